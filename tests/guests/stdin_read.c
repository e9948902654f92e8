// Reads stdin to its end in small pieces and reports what came: byte count,
// line count and the last line, then a read at the end gives 0.
#include "check.h"

#include <unistd.h>

int main(void) {
  static char all[1 << 20];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(0, all + total, 7); // odd-sized pieces across lines
    CHECK(n >= 0);
    if (n == 0) break;
    total += (size_t)n;
    CHECK(total < sizeof all);
  }
  CHECK(read(0, all + total, 7) == 0);
  int lines = 0;
  size_t lastStart = 0;
  for (size_t i = 0; i < total; ++i) {
    if (all[i] != '\n') continue;
    ++lines;
    if (i + 1 < total) lastStart = i + 1;
  }
  printf("bytes=%zu lines=%d\n", total, lines);
  printf("last=%.*s", (int)(total - lastStart), all + lastStart);
  CHECK_ERRNO(write(0, "x", 1), EBADF);
  return 0;
}
