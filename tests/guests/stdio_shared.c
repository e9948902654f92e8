// Tries to change the host's own stdio through the descriptors lucet-wasi
// hands on: truncate, set times, allocate, seek and pwrite must be refused
// (ENOTCAPABLE), and status flags must be the guest's own. Run with stdin a
// pipe that stays empty, stdout a file opened to append that already holds
// a line, stderr a regular file; the test checks the host side afterwards.
#include "check.h"

#include <wasi/api.h>

// `expr` must give `want`. Unlike CHECK, goes on after a failure, so that everything is tried on
// the host's files even where a refusal is missing.
static int failures;
#define EXPECT_IS(call, want)                                                                      \
  do {                                                                                             \
    __wasi_errno_t e_ = (call);                                                                    \
    if (e_ != (want)) {                                                                            \
      printf("FAIL line %d: %s gave %d, want %d\n", __LINE__, #call, e_, (int)(want));             \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

static __wasi_fdflags_t flagsOf(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK(__wasi_fd_fdstat_get(fd, &st) == __WASI_ERRNO_SUCCESS);
  return st.fs_flags;
}

static void writeAll(__wasi_fd_t fd, const char *text) {
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  size_t n = 0;
  EXPECT_IS(__wasi_fd_write(fd, &iov, 1, &n), __WASI_ERRNO_SUCCESS);
  CHECK(n == strlen(text));
}

int main(void) {
  // The host opened stdout to append, and the guest is told so.
  EXPECT_IS(flagsOf(1), __WASI_FDFLAGS_APPEND);
  const __wasi_fd_t stdio[3] = {1, 2, 0};
  for (int i = 0; i < 3; ++i) {
    __wasi_fd_t fd = stdio[i];
    EXPECT_IS(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_IS(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
              __WASI_ERRNO_NOTCAPABLE);
    EXPECT_IS(__wasi_fd_allocate(fd, 0, 4096), __WASI_ERRNO_NOTCAPABLE);
    __wasi_filesize_t pos = 0;
    EXPECT_IS(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
    uint8_t byte = 'X';
    __wasi_ciovec_t iov = {&byte, 1};
    size_t n = 0;
    EXPECT_IS(__wasi_fd_pwrite(fd, &iov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_IS(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_SUCCESS);
    EXPECT_IS(flagsOf(fd), __WASI_FDFLAGS_NONBLOCK);
  }

  // Non-blocking for this guest only: the empty pipe says "try again".
  uint8_t c;
  __wasi_iovec_t in = {&c, 1};
  size_t got = 0;
  EXPECT_IS(__wasi_fd_read(0, &in, 1, &got), __WASI_ERRNO_AGAIN);

  // Without APPEND the guest still cannot write over the earlier line.
  EXPECT_IS(__wasi_fd_fdstat_set_flags(1, 0), __WASI_ERRNO_SUCCESS);
  EXPECT_IS(flagsOf(1), 0);
  writeAll(1, "guest line\n");
  if (failures) return 1;
  writeAll(1, "stdio: ok\n");
  return 0;
}
