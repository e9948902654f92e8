/* mul128: ed25519-style field arithmetic modulo 2^255 - 19 in radix 2^51
 * (five 51-bit limbs), built on unsigned __int128 products. wasm32 has no
 * 64x64->128 multiply, so clang lowers each product to a call of
 * compiler-rt's __multi3. Runs N thousand rounds of a square-and-multiply
 * chain (an inversion-like ladder) and prints the reduced result. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef unsigned __int128 u128;
typedef struct {
  uint64_t v[5];
} fe;

static const uint64_t MASK51 = (1ull << 51) - 1;

static void fe_carry(fe *r, const u128 t[5]) {
  uint64_t c;
  u128 a0 = t[0], a1 = t[1], a2 = t[2], a3 = t[3], a4 = t[4];
  r->v[0] = (uint64_t)a0 & MASK51;
  c = (uint64_t)(a0 >> 51);
  a1 += c;
  r->v[1] = (uint64_t)a1 & MASK51;
  c = (uint64_t)(a1 >> 51);
  a2 += c;
  r->v[2] = (uint64_t)a2 & MASK51;
  c = (uint64_t)(a2 >> 51);
  a3 += c;
  r->v[3] = (uint64_t)a3 & MASK51;
  c = (uint64_t)(a3 >> 51);
  a4 += c;
  r->v[4] = (uint64_t)a4 & MASK51;
  c = (uint64_t)(a4 >> 51);
  r->v[0] += c * 19;
  r->v[1] += r->v[0] >> 51;
  r->v[0] &= MASK51;
}

static void fe_mul(fe *r, const fe *f, const fe *g) {
  const uint64_t *a = f->v, *b = g->v;
  uint64_t b1 = b[1] * 19, b2 = b[2] * 19, b3 = b[3] * 19, b4 = b[4] * 19;
  u128 t[5];
  t[0] = (u128)a[0] * b[0] + (u128)a[1] * b4 + (u128)a[2] * b3 + (u128)a[3] * b2 + (u128)a[4] * b1;
  t[1] =
      (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4 + (u128)a[3] * b3 + (u128)a[4] * b2;
  t[2] =
      (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] + (u128)a[3] * b4 + (u128)a[4] * b3;
  t[3] = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] + (u128)a[3] * b[0] +
         (u128)a[4] * b4;
  t[4] = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] + (u128)a[3] * b[1] +
         (u128)a[4] * b[0];
  fe_carry(r, t);
}

static void fe_sq(fe *r, const fe *f) {
  fe_mul(r, f, f);
}

/* 64x64 -> high 64 bits, the other shape of wide multiply (hash mixers). */
static uint64_t mulhi(uint64_t a, uint64_t b) {
  return (uint64_t)(((u128)a * b) >> 64);
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 20000;
  fe x = {{0x3ffffffffffedull, 0x7ffffffffffffull, 0x1234567890abcull, 0x7edcba9876543ull,
           0x11111111ull}};
  fe acc = {{1, 0, 0, 0, 0}};
  uint64_t mix = 0x9E3779B97F4A7C15ull;
  for (unsigned round = 0; round < n; round++) {
    for (int i = 0; i < 1000; i++) {
      fe_sq(&x, &x);
      if ((i & 7) == 0) fe_mul(&acc, &acc, &x);
      mix ^= mulhi(mix + x.v[i % 5], 0xD6E8FEB86659FD93ull) + (uint64_t)i;
    }
  }
  printf("%013llx %013llx %013llx %013llx %013llx\n", (unsigned long long)acc.v[0],
         (unsigned long long)acc.v[1], (unsigned long long)acc.v[2], (unsigned long long)acc.v[3],
         (unsigned long long)acc.v[4]);
  printf("%016llx\n", (unsigned long long)(mix ^ acc.v[0] ^ x.v[4]));
  return 0;
}
