/* apsp: all-pairs shortest paths (Floyd-Warshall) over a dense N-node graph
 * with 32-bit weights: for every k, a 2-D sweep d[i][j] = min(d[i][j],
 * d[i][k] + d[k][j]). Prints a checksum of the distance matrix. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 900;
  int32_t *d = malloc(sizeof(int32_t) * n * n);
  if (!d) return 1;
  uint32_t s = 12345;
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      s = s * 1103515245u + 12345u;
      d[i * n + j] = i == j ? 0 : (int32_t)((s >> 8) % 1000) + 1;
    }
  for (unsigned k = 0; k < n; k++) {
    const int32_t *dk = d + (size_t)k * n;
    for (unsigned i = 0; i < n; i++) {
      int32_t *di = d + (size_t)i * n;
      int32_t dik = di[k];
      for (unsigned j = 0; j < n; j++) {
        int32_t via = dik + dk[j];
        di[j] = via < di[j] ? via : di[j];
      }
    }
  }
  uint64_t h = 1469598103934665603ull;
  for (unsigned i = 0; i < n * n; i++) h = (h ^ (uint32_t)d[i]) * 1099511628211ull;
  printf("%016llx\n", (unsigned long long)h);
  return 0;
}
