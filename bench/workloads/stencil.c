/* stencil: 2-D five-point Jacobi relaxation on an NxN grid of doubles, two
 * grids swapped each sweep (the inner loop is a unit-stride row walk with
 * neighbours one row apart), then a checksum over the grid. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 1000;
  unsigned sweeps = 300;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
  if (!a || !b) return 1;
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) a[i * n + j] = (double)((i * 31 + j * 17) % 101) * 0.01;
  memcpy(b, a, sizeof(double) * n * n);
  for (unsigned s = 0; s < sweeps; s++) {
    for (unsigned i = 1; i + 1 < n; i++)
      for (unsigned j = 1; j + 1 < n; j++)
        b[i * n + j] = 0.2 * (a[i * n + j] + a[(i - 1) * n + j] + a[(i + 1) * n + j] +
                              a[i * n + j - 1] + a[i * n + j + 1]);
    double *t = a;
    a = b;
    b = t;
  }
  double sum = 0.0;
  for (unsigned i = 0; i < n * n; i++) sum += a[i] * (double)(i % 5 + 1);
  uint64_t bits;
  memcpy(&bits, &sum, 8);
  printf("%.6f\n%016llx\n", sum, (unsigned long long)bits);
  return 0;
}
