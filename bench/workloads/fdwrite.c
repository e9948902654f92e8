/* fdwrite: WASI I/O with many small writes. Writes N short lines to standard
 * output with one write(2) (one fd_write under WASI) per line; the harness
 * sends stdout to /dev/null. The checksum goes to standard error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 1000000;
  char line[48];
  uint64_t bytes = 0;
  uint32_t h = 0;
  for (unsigned i = 0; i < n; i++) {
    /* hand-formatted to keep the cost in the write path, not in printf */
    unsigned v = i * 2654435761u, k = 0;
    char digits[12];
    do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    size_t len = 0;
    line[len++] = 'r';
    line[len++] = '=';
    while (k) line[len++] = digits[--k];
    line[len++] = '\n';
    ssize_t w = write(1, line, len);
    if (w != (ssize_t)len) { fprintf(stderr, "short write\n"); return 1; }
    bytes += (uint64_t)w;
    h = h * 33u + (uint32_t)len + (uint8_t)line[2];
  }
  fprintf(stderr, "%llu %u\n", (unsigned long long)bytes, h);
  return 0;
}
