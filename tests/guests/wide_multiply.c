// 128-bit products through compiler-rt's __multi3 (which lucetc compiles as
// one native multiply, compiler/WideMultiply.h) checked against a
// schoolbook product of 32-bit limbs that does not call it, on edge cases
// and pseudo-random operands; prints a checksum of every product.
#include "check.h"

#include <stdint.h>

typedef unsigned __int128 u128;

// a * b from 32-bit limbs, modulo 2^128; noinline so that clang cannot
// fold it into a call of __multi3.
__attribute__((noinline)) static void schoolbook(u128 a, u128 b, uint64_t *low, uint64_t *high) {
  uint32_t x[4], y[4], r[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    x[i] = (uint32_t)(a >> (32 * i));
    y[i] = (uint32_t)(b >> (32 * i));
  }
  for (int i = 0; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; i + j < 4; j++) {
      uint64_t t = (uint64_t)x[i] * y[j] + r[i + j] + carry;
      r[i + j] = (uint32_t)t;
      carry = t >> 32;
    }
  }
  *low = (uint64_t)r[1] << 32 | r[0];
  *high = (uint64_t)r[3] << 32 | r[2];
}

static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint64_t checksum = 1469598103934665603ull;
static void check(u128 a, u128 b) {
  u128 p = a * b;
  uint64_t low, high;
  schoolbook(a, b, &low, &high);
  if ((uint64_t)p != low || (uint64_t)(p >> 64) != high) {
    printf("FAIL %016llx%016llx * %016llx%016llx\n", (unsigned long long)(uint64_t)(a >> 64),
           (unsigned long long)(uint64_t)a, (unsigned long long)(uint64_t)(b >> 64),
           (unsigned long long)(uint64_t)b);
    exit(1);
  }
  checksum = (checksum ^ low) * 1099511628211ull;
  checksum = (checksum ^ high) * 1099511628211ull;
}

int main(void) {
  const uint64_t edges[] = {0,
                            1,
                            2,
                            0xffffffffull,
                            0x100000000ull,
                            0x7fffffffffffffffull,
                            0x8000000000000000ull,
                            0xffffffffffffffffull};
  size_t n = sizeof edges / sizeof edges[0];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      for (size_t k = 0; k < n; k++) {
        check(((u128)edges[i] << 64) | edges[j], edges[k]);
        check(edges[k], ((u128)edges[j] << 64) | edges[i]);
        check(((u128)edges[i] << 64) | edges[j], ((u128)edges[k] << 64) | edges[i]);
      }
  for (int i = 0; i < 100000; i++) {
    u128 a = ((u128)next() << 64) | next(), b = ((u128)next() << 64) | next();
    check(a, b);
    check(a >> (i % 128), b >> (i % 61));
  }
  printf("%016llx\n", (unsigned long long)checksum);
  return 0;
}
