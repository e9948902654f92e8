/* memchase: memory-bound access over a 32 MiB array: a random pointer chase
 * through a single-cycle permutation (Sattolo's algorithm), so every load
 * depends on the previous one and misses the cache, followed by strided sums
 * with several strides. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t st = 0x2545F4914F6CDD1Dull;
static uint32_t rnd32(void) {
  st ^= st >> 12; st ^= st << 25; st ^= st >> 27;
  return (uint32_t)((st * 0x2545F4914F6CDD1Dull) >> 32);
}

int main(int argc, char **argv) {
  unsigned steps_m = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 2; /* millions of chase steps */
  const uint32_t n = 8u << 20; /* 8 Mi entries of 4 bytes */
  uint32_t *next = malloc(sizeof(uint32_t) * n);
  if (!next) return 1;
  for (uint32_t i = 0; i < n; i++) next[i] = i;
  for (uint32_t i = n - 1; i > 0; i--) { /* Sattolo: one cycle through all entries */
    uint32_t j = rnd32() % i;
    uint32_t t = next[i]; next[i] = next[j]; next[j] = t;
  }
  uint32_t p = 0;
  uint64_t chase = 0;
  for (uint64_t s = 0; s < (uint64_t)steps_m * 1000000u; s++) {
    p = next[p];
    chase += p;
  }
  uint64_t strided = 0;
  static const uint32_t strides[] = {1, 16, 1024, 4099};
  for (unsigned k = 0; k < 4; k++)
    for (uint32_t start = 0; start < strides[k]; start += (strides[k] > 64 ? strides[k] / 64 : 1) )
      for (uint32_t i = start; i < n; i += strides[k]) strided += next[i] ^ i;
  printf("%u %llu %llu\n", p, (unsigned long long)chase, (unsigned long long)strided);
  return 0;
}
