/* fft: iterative radix-2 complex FFT (double), forward then inverse, repeated.
 * Twiddle factors come from half-angle recurrences using only sqrt, so no libm
 * transcendental (whose last bit differs between C libraries) is involved. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

static void fft(double *re, double *im, unsigned n, const double *wr, const double *wi, int inverse) {
  for (unsigned i = 1, j = 0; i < n; i++) { /* bit reversal */
    unsigned bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (unsigned len = 2; len <= n; len <<= 1) {
    unsigned half = len >> 1, step = n / len;
    for (unsigned i = 0; i < n; i += len)
      for (unsigned k = 0; k < half; k++) {
        double c = wr[k * step], s = inverse ? -wi[k * step] : wi[k * step];
        double xr = re[i + k + half], xi = im[i + k + half];
        double tr = xr * c - xi * s, ti = xr * s + xi * c;
        re[i + k + half] = re[i + k] - tr; im[i + k + half] = im[i + k] - ti;
        re[i + k] += tr; im[i + k] += ti;
      }
  }
  if (inverse)
    for (unsigned i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

int main(int argc, char **argv) {
  unsigned reps = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 16;
  const unsigned logn = 18, n = 1u << logn;
  double *re = malloc(8 * n), *im = malloc(8 * n), *wr = malloc(8 * (n / 2)), *wi = malloc(8 * (n / 2));
  if (!re || !im || !wr || !wi) return 1;
  /* w_k = exp(-2*pi*i*k/n). Angles theta_m = 2*pi/2^m via half-angle formulas. */
  double cm[32], sm[32];
  cm[1] = -1.0; sm[1] = 0.0; /* theta = pi */
  cm[2] = 0.0;  sm[2] = 1.0; /* theta = pi/2 */
  for (unsigned m = 3; m <= logn; m++) {
    cm[m] = sqrt((1.0 + cm[m - 1]) * 0.5);
    sm[m] = sm[m - 1] / (2.0 * cm[m]);
  }
  /* build table by binary decomposition of k: angle(k) = sum of bits k_b * 2pi*2^b/n */
  for (unsigned k = 0; k < n / 2; k++) {
    double c = 1.0, s = 0.0;
    for (unsigned b = 0; b < logn - 1; b++)
      if (k & (1u << b)) { /* angle 2*pi*2^b/n = 2*pi/2^(logn-b) */
        unsigned m = logn - b;
        double nc = c * cm[m] - s * sm[m], ns = c * sm[m] + s * cm[m];
        c = nc; s = ns;
      }
    wr[k] = c; wi[k] = -s;
  }
  uint32_t seed = 7;
  for (unsigned i = 0; i < n; i++) {
    seed = seed * 1664525u + 1013904223u;
    re[i] = (double)(seed >> 16) / 65536.0 - 0.5;
    im[i] = 0.0;
  }
  double acc = 0.0;
  for (unsigned r = 0; r < reps; r++) {
    fft(re, im, n, wr, wi, 0);
    acc += re[r + 1] * 1e-3 + im[(r * 977) % n] * 1e-3;
    fft(re, im, n, wr, wi, 1);
  }
  double err = 0.0, sum = 0.0;
  for (unsigned i = 0; i < n; i++) { sum += re[i]; err += im[i] < 0 ? -im[i] : im[i]; }
  uint64_t b1, b2;
  memcpy(&b1, &acc, 8);
  memcpy(&b2, &sum, 8);
  printf("acc=%.9f sum=%.9f err<1e-9:%d\n", acc, sum, err < 1e-9);
  printf("%016llx%016llx\n", (unsigned long long)b1, (unsigned long long)b2);
  return 0;
}
