/* matmul: dense double-precision matrix multiply C = A*B (i-k-j loop order,
 * row-major), repeated, then a checksum over C. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 800;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
         *c = malloc(sizeof(double) * n * n);
  if (!a || !b || !c) return 1;
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      a[i * n + j] = (double)((i * 7 + j * 3) % 17) - 8.0;
      b[i * n + j] = (double)((i * 5 + j * 11) % 13) * 0.25;
    }
  for (int rep = 0; rep < 2; rep++) {
    memset(c, 0, sizeof(double) * n * n);
    for (unsigned i = 0; i < n; i++)
      for (unsigned k = 0; k < n; k++) {
        double aik = a[i * n + k];
        for (unsigned j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
      }
    double *t = a; /* feed the product back in, scaled, for the next round */
    a = c;
    c = t;
    for (unsigned i = 0; i < n * n; i++) a[i] *= 1.0 / 64.0;
  }
  double sum = 0.0;
  for (unsigned i = 0; i < n * n; i++) sum += a[i] * (double)(i % 7 + 1);
  uint64_t bits;
  memcpy(&bits, &sum, 8);
  printf("%.6f\n%016llx\n", sum, (unsigned long long)bits);
  return 0;
}
