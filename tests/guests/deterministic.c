// Sorting, hashing and formatting (integers, floats, padding) with results
// that depend only on the C semantics, so the wasm build and a native build
// of this same file must print identical output.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t state = 12345;

static uint32_t nextRandom(void) {
  state = state * 1103515245u + 12345u;
  return (state >> 8) & 0xffffff;
}

static int compareInts(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compareWords(const void *a, const void *b) { return strcmp(a, b); }

static uint64_t fnv1a(const void *data, size_t size) {
  const unsigned char *bytes = data;
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// Newton's method: only +, * and /, which IEEE 754 rounds identically
// everywhere (unlike libm functions).
static double squareRoot(double x) {
  double guess = x > 1 ? x / 2 : 1;
  for (int i = 0; i < 60; ++i)
    guess = (guess + x / guess) / 2;
  return guess;
}

int main(void) {
  enum { Count = 2000 };
  static int values[Count];
  for (int i = 0; i < Count; ++i)
    values[i] = (int)(nextRandom() % 100000) - 50000;
  qsort(values, Count, sizeof values[0], compareInts);
  printf("min=%d max=%d median=%d\n", values[0], values[Count - 1], values[Count / 2]);
  printf("hash=%016" PRIx64 "\n", fnv1a(values, sizeof values));

  char text[256];
  int length = snprintf(text, sizeof text, "%-8s|%8s|%08.3f|%+d|%x|%o|%c", "left", "right",
                        3.14159265, 42, 48879, 8, 'z');
  printf("%s (%d)\n", text, length);

  double sum = 0;
  for (int i = 1; i <= 1000; ++i)
    sum += 1.0 / i;
  printf("harmonic=%.15f\n", sum);
  printf("sqrt2=%.17g sqrt1e10=%.6e\n", squareRoot(2.0), squareRoot(1e10));
  printf("floats: %f %e %g %g %a\n", 0.1, 12345.678, 1e-5, 123456789.0, 1.0);
  printf("float32: %.9g\n", (double)(1.0f / 3.0f));
  printf("int64: %" PRId64 " %" PRIu64 "\n", INT64_MIN, UINT64_MAX);

  char words[][8] = {"pear", "apple", "fig", "banana", "cherry", "date"};
  qsort(words, 6, sizeof words[0], compareWords);
  for (int i = 0; i < 6; ++i)
    printf("%s%s", words[i], i < 5 ? "," : "\n");
  return 0;
}
