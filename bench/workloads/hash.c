/* hash: integer and bit work. Generates a pseudo-random byte buffer with a
 * xorshift generator, then hashes it repeatedly with FNV-1a (byte at a time)
 * and with a 64-bit multiply/rotate mixer over 8-byte lanes (xxhash-like). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  rng_state = x;
  return x;
}

static uint64_t rotl64(uint64_t v, unsigned r) { return (v << r) | (v >> (64 - r)); }

static uint32_t fnv1a32(const uint8_t *p, size_t n, uint32_t seed) {
  uint32_t h = 2166136261u ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

static uint64_t mix64(const uint8_t *p, size_t n, uint64_t seed) {
  const uint64_t k1 = 0x9FB21C651E98DF25ull, k2 = 0xC2B2AE3D27D4EB4Full;
  uint64_t a = seed + k1, b = seed ^ k2, c = seed - k1, d = ~seed;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    uint64_t w[4];
    memcpy(w, p + i, 32);
    a = rotl64(a + w[0] * k2, 31) * k1;
    b = rotl64(b + w[1] * k2, 29) * k1;
    c = rotl64(c + w[2] * k2, 27) * k1;
    d = rotl64(d + w[3] * k2, 33) * k1;
  }
  uint64_t h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18);
  for (; i < n; i++) h = rotl64(h ^ (p[i] * k1), 11) * k2;
  h ^= h >> 33;
  h *= k2;
  h ^= h >> 29;
  return h;
}

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 80;
  const size_t n = 4u << 20; /* 4 MiB of data */
  uint8_t *buf = malloc(n);
  if (!buf) return 1;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t r = next_rand();
    memcpy(buf + i, &r, 8);
  }
  uint64_t acc = 0;
  for (unsigned r = 0; r < rounds; r++) {
    uint32_t f = fnv1a32(buf, n, r);
    uint64_t m = mix64(buf, n, acc);
    acc = rotl64(acc ^ f, 5) + m;
    buf[(r * 7919u) % n] ^= (uint8_t)acc; /* make each round depend on the last */
  }
  free(buf);
  printf("%016llx\n", (unsigned long long)acc);
  return 0;
}
