/* lz: compression-like loop. Builds text-like data from a small vocabulary,
 * compresses it with a greedy LZ77 (hash-chain-free, single hash slot),
 * decompresses it, verifies the round trip and also run-length encodes it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;
static uint32_t rnd(void) {
  seed = seed * 1103515245u + 12345u;
  return seed >> 8;
}

#define HBITS 15
#define MINMATCH 4
#define MAXOFF 65535

/* Output format: token byte: high bit 0 -> literal run of (t+1) bytes follows;
 * high bit 1 -> match of length (t & 0x7f) + MINMATCH, then 2-byte offset. */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
  static uint32_t table[1u << HBITS];
  memset(table, 0xff, sizeof table);
  size_t i = 0, o = 0, lit_start = 0;
  while (i + MINMATCH <= n) {
    uint32_t v;
    memcpy(&v, in + i, 4);
    uint32_t h = (v * 2654435761u) >> (32 - HBITS);
    uint32_t cand = table[h];
    table[h] = (uint32_t)i;
    if (cand != 0xffffffffu && i - cand <= MAXOFF && memcmp(in + cand, in + i, 4) == 0) {
      size_t len = 4;
      while (i + len < n && len < 127 + MINMATCH && in[cand + len] == in[i + len]) len++;
      while (lit_start < i) { /* flush literals */
        size_t run = i - lit_start;
        if (run > 128) run = 128;
        out[o++] = (uint8_t)(run - 1);
        memcpy(out + o, in + lit_start, run);
        o += run;
        lit_start += run;
      }
      size_t off = i - cand;
      out[o++] = (uint8_t)(0x80 | (len - MINMATCH));
      out[o++] = (uint8_t)off;
      out[o++] = (uint8_t)(off >> 8);
      i += len;
      lit_start = i;
    } else {
      i++;
    }
  }
  while (lit_start < n) {
    size_t run = n - lit_start;
    if (run > 128) run = 128;
    out[o++] = (uint8_t)(run - 1);
    memcpy(out + o, in + lit_start, run);
    o += run;
    lit_start += run;
  }
  return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t t = in[i++];
    if (t & 0x80) {
      size_t len = (size_t)(t & 0x7f) + MINMATCH;
      size_t off = (size_t)in[i] | ((size_t)in[i + 1] << 8);
      i += 2;
      for (size_t k = 0; k < len; k++, o++) out[o] = out[o - off];
    } else {
      size_t run = (size_t)t + 1;
      memcpy(out + o, in + i, run);
      i += run;
      o += run;
    }
  }
  return o;
}

static size_t rle(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && j - i < 255 && in[j] == in[i]) j++;
    out[o++] = (uint8_t)(j - i);
    out[o++] = in[i];
    i = j;
  }
  return o;
}

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 24;
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ",
                                "lorem ", "ipsum ", "dolor ", "sit ", "amet ", "\n", "aaaaaaaa ", "0000 "};
  const size_t n = 2u << 20;
  uint8_t *data = malloc(n), *comp = malloc(n * 2 + 16), *back = malloc(n), *r = malloc(n * 2 + 16);
  if (!data || !comp || !back || !r) return 1;
  uint64_t sum = 0;
  for (unsigned round = 0; round < rounds; round++) {
    size_t k = 0;
    while (k < n) {
      uint32_t x = rnd();
      if ((x & 7) == 0) { /* occasional noise byte */
        data[k++] = (uint8_t)(x >> 8);
        continue;
      }
      const char *w = words[(x >> 4) & 15];
      size_t len = strlen(w);
      for (size_t q = 0; q < len && k < n; q++) data[k++] = (uint8_t)w[q];
    }
    size_t c = compress(data, n, comp);
    size_t d = decompress(comp, c, back);
    if (d != n || memcmp(back, data, n) != 0) {
      printf("round trip failed\n");
      return 1;
    }
    size_t rl = rle(data, n, r);
    uint32_t h = 0;
    for (size_t q = 0; q < c; q++) h = h * 31u + comp[q];
    sum = sum * 1000003u + c * 7u + rl + h;
  }
  printf("%llu\n", (unsigned long long)sum);
  return 0;
}
