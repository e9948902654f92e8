/* strings: string processing. Generates a text of pseudo-random words,
 * tokenizes it with strtok-free manual scanning, copies tokens into separately
 * allocated strings, sorts them (a merge sort over a byte-wise comparison,
 * both written here), counts distinct words and hashes the sorted sequence.
 *
 * The sort and the comparison are the workload's own so that native and
 * wasm run the same algorithm: with libc's qsort and strcmp this measured
 * glibc's merge sort and AVX2 strcmp against wasi-libc's (musl's) smoothsort,
 * which copies every element through a memcpy call, and its byte-loop strcmp
 * (60 % of the wasm instructions), not the runtime. malloc, free, snprintf
 * and strstr still come from each side's libc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static uint32_t seed = 2024;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static int str_cmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}

/* Stable top-down merge sort of n strings, using tmp (n entries). */
static void sort_strings(char **v, char **tmp, size_t n) {
  if (n < 2) return;
  size_t half = n / 2;
  sort_strings(v, tmp, half);
  sort_strings(v + half, tmp, n - half);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) tmp[k++] = str_cmp(v[j], v[i]) < 0 ? v[j++] : v[i++];
  while (i < half) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  for (k = 0; k < n; k++) v[k] = tmp[k];
}

int main(int argc, char **argv) {
  unsigned nwords = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 400000;
  static const char syl[][4] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zu", "qe", "xi", "ba"};
  size_t cap = (size_t)nwords * 24 + 1;
  char *text = malloc(cap);
  if (!text) return 1;
  size_t len = 0;
  for (unsigned w = 0; w < nwords; w++) {
    unsigned ns = 1 + rnd() % 4;
    for (unsigned s = 0; s < ns; s++) {
      const char *p = syl[rnd() % 12];
      text[len++] = p[0]; text[len++] = p[1];
    }
    if (rnd() % 5 == 0) text[len++] = (char)('0' + rnd() % 10);
    uint32_t sep = rnd() % 16;
    text[len++] = sep < 11 ? ' ' : sep < 13 ? ',' : sep < 15 ? '\n' : '.';
    if (sep >= 11) text[len++] = ' ';
  }
  text[len] = 0;
  char **tok = malloc(sizeof(char *) * nwords);
  size_t nt = 0;
  uint32_t upper_hits = 0;
  for (size_t i = 0; i < len;) {
    while (i < len && !isalnum((unsigned char)text[i])) i++;
    size_t start = i;
    while (i < len && isalnum((unsigned char)text[i])) i++;
    if (i > start) {
      char *t = malloc(i - start + 1);
      memcpy(t, text + start, i - start);
      t[i - start] = 0;
      if (t[0] == 'k') { t[0] = (char)toupper((unsigned char)t[0]); upper_hits++; }
      tok[nt++] = t;
    }
  }
  char **tmp = malloc(sizeof(char *) * (nt ? nt : 1));
  if (!tmp) return 1;
  sort_strings(tok, tmp, nt);
  free(tmp);
  uint64_t h = 1469598103934665603ull;
  size_t distinct = 0, total_chars = 0;
  for (size_t i = 0; i < nt; i++) {
    if (i == 0 || str_cmp(tok[i], tok[i - 1]) != 0) distinct++;
    size_t l = strlen(tok[i]);
    total_chars += l;
    for (size_t k = 0; k < l; k++) { h ^= (uint8_t)tok[i][k]; h *= 1099511628211ull; }
    h ^= 0xff; h *= 1099511628211ull;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", tok[i]);
    if (strstr(buf, "zuzu")) h += 1;
  }
  for (size_t i = 0; i < nt; i++) free(tok[i]);
  free(tok);
  free(text);
  printf("tokens=%zu distinct=%zu chars=%zu upper=%u\n", nt, distinct, total_chars, upper_hits);
  printf("%016llx\n", (unsigned long long)h);
  return 0;
}
