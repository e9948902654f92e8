// A program for wasm64 (memory64): clang-19 --target=wasm64-unknown-unknown,
// freestanding, since Debian has no wasm64 wasi-libc. Its memory has 64-bit
// addresses; it calls WASI's fd_write with 32-bit offsets into it, as a
// wasm32 program would. The native build prints the same.
#include <stdint.h>

#ifdef __wasm__
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) uint32_t
fd_write(uint32_t fd, uint32_t iovs, uint32_t count, uint32_t written);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) void
proc_exit(uint32_t code);

struct iovec32 {
  uint32_t buf, len;
};
static void put(const char *s, uint32_t n) {
  static struct iovec32 v;
  static uint32_t written;
  v.buf = (uint32_t)(uintptr_t)s;
  v.len = n;
  fd_write(1, (uint32_t)(uintptr_t)&v, 1, (uint32_t)(uintptr_t)&written);
}
#else
#include <unistd.h>
static void put(const char *s, uint32_t n) {
  (void)!write(1, s, n);
}
#endif

static void putNumber(const char *label, uint32_t labelLength, uint64_t v) {
  char digits[24];
  int k = 0;
  do {
    digits[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char line[26];
  int n = 0;
  while (k) line[n++] = digits[--k];
  line[n++] = '\n';
  put(label, labelLength);
  put(line, (uint32_t)n);
}

static uint64_t table[1 << 16];

int main(void) {
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < (1u << 16); ++i) {
    table[i] = h;
    h = (h ^ i) * 1099511628211ull;
  }
  uint64_t sum = 0;
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t i = 0; i < (1u << 16); i += 7)
      sum += table[(i * 2654435761u) & 0xffff] >> (r & 15);
  putNumber("sum ", 4, sum);
  putNumber("pointer bytes ", 14, sizeof(void *) == 8 ? 8 : 4);
  return 0;
}

#ifdef __wasm__
void _start(void) {
  proc_exit((uint32_t)main());
}
#endif
