/* fileio: WASI I/O with large transfers. Writes a file of SIZE MiB in 64 KiB
 * chunks into the directory given as argv[2] (a preopened directory under
 * WASI), reads it back in 64 KiB chunks, checks the content, and removes it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64u * 1024u)

static void fill(uint8_t *buf, uint32_t chunk_index) {
  uint32_t x = chunk_index * 2654435761u + 1u;
  for (uint32_t i = 0; i < CHUNK; i += 4) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    memcpy(buf + i, &x, 4);
  }
}

int main(int argc, char **argv) {
  unsigned mib = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 256;
  const char *dir = argc > 2 ? argv[2] : ".";
  char path[1024];
  snprintf(path, sizeof path, "%s/fileio.bin", dir);
  uint8_t *buf = malloc(CHUNK), *rbuf = malloc(CHUNK);
  if (!buf || !rbuf) return 1;
  uint32_t chunks = mib * (1024u * 1024u / CHUNK);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror("open for write"); return 1; }
  for (uint32_t c = 0; c < chunks; c++) {
    fill(buf, c);
    if (write(fd, buf, CHUNK) != (ssize_t)CHUNK) { perror("write"); return 1; }
  }
  close(fd);
  fd = open(path, O_RDONLY);
  if (fd < 0) { perror("open for read"); return 1; }
  uint64_t h = 0, total = 0;
  for (uint32_t c = 0;; c++) {
    size_t got = 0;
    while (got < CHUNK) {
      ssize_t r = read(fd, rbuf + got, CHUNK - got);
      if (r < 0) { perror("read"); return 1; }
      if (r == 0) break;
      got += (size_t)r;
    }
    if (got == 0) break;
    total += got;
    for (size_t i = 0; i < got; i += 64) h = (h ^ rbuf[i]) * 0x100000001B3ull;
    if (c % 64 == 0) { /* spot-check content */
      fill(buf, c);
      if (memcmp(buf, rbuf, got) != 0) { printf("content mismatch at chunk %u\n", c); return 1; }
    }
  }
  close(fd);
  unlink(path);
  printf("%llu %016llx\n", (unsigned long long)total, (unsigned long long)h);
  return 0;
}
