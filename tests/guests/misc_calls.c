// The WASI calls no other guest makes: fd_advise, fd_fdstat_set_rights,
// fd_renumber, random_get, sched_yield and proc_raise. argv[1] is a
// preopened directory to make files in.
#include "check.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <wasi/api.h>

// Not declared by wasi-libc any more; imported by hand.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) uint16_t
rawProcRaise(uint8_t signal);

#define WASI_ERR(expr, want)                                                                       \
  do {                                                                                             \
    __wasi_errno_t e_ = (expr);                                                                    \
    if (e_ != (want)) {                                                                            \
      printf("FAIL line %d: %s gave %d, want %s\n", __LINE__, #expr, e_, #want);                   \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static int makeFile(const char *name, const char *text) {
  int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  return fd;
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);

  // fd_advise: every advice is accepted on a file; a bad one is EINVAL.
  int a = makeFile("a.txt", "contents of a");
  for (int advice = __WASI_ADVICE_NORMAL; advice <= __WASI_ADVICE_NOREUSE; ++advice)
    WASI_ERR(__wasi_fd_advise(a, 0, 100, (__wasi_advice_t)advice), 0);
  WASI_ERR(__wasi_fd_advise(a, 0, 100, 6), __WASI_ERRNO_INVAL);
  WASI_ERR(__wasi_fd_advise(99, 0, 100, __WASI_ADVICE_NORMAL), __WASI_ERRNO_BADF);
  CHECK(posix_fadvise(a, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
  printf("fd_advise: ok\n");

  // fd_fdstat_set_rights: rights can be dropped, never regained.
  __wasi_fdstat_t st;
  WASI_ERR(__wasi_fd_fdstat_get(a, &st), 0);
  CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
  __wasi_rights_t fewer = st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE;
  WASI_ERR(__wasi_fd_fdstat_set_rights(a, fewer, 0), 0);
  WASI_ERR(__wasi_fd_fdstat_get(a, &st), 0);
  CHECK(st.fs_rights_base == fewer);
  CHECK_ERRNO(write(a, "x", 1), EBADF); // wasi-libc's word for ENOTCAPABLE here
  WASI_ERR(__wasi_fd_fdstat_set_rights(a, fewer | __WASI_RIGHTS_FD_WRITE, 0),
           __WASI_ERRNO_NOTCAPABLE);
  char buf[32] = {0};
  CHECK(read(a, buf, sizeof buf - 1) == 13);
  CHECK(strcmp(buf, "contents of a") == 0);
  printf("fd_fdstat_set_rights: ok\n");

  // fd_renumber: b takes over a's file; a is gone.
  int b = makeFile("b.txt", "contents of b");
  CHECK(lseek(a, 0, SEEK_SET) == 0);
  WASI_ERR(__wasi_fd_renumber(a, b), 0);
  memset(buf, 0, sizeof buf);
  CHECK(read(b, buf, sizeof buf - 1) == 13);
  CHECK(strcmp(buf, "contents of a") == 0);
  CHECK_ERRNO(read(a, buf, 1), EBADF);
  WASI_ERR(__wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);
  WASI_ERR(__wasi_fd_renumber(b, 77), __WASI_ERRNO_BADF);
  CHECK(close(b) == 0);
  printf("fd_renumber: ok\n");

  // random_get: 64 bytes, not all zero, and two draws differ.
  uint8_t r1[64] = {0}, r2[64] = {0};
  WASI_ERR(__wasi_random_get(r1, sizeof r1), 0);
  WASI_ERR(__wasi_random_get(r2, sizeof r2), 0);
  int nonzero = 0;
  for (size_t i = 0; i < sizeof r1; ++i) nonzero |= r1[i];
  CHECK(nonzero && memcmp(r1, r2, sizeof r1) != 0);
  CHECK(getentropy(r1, sizeof r1) == 0);
  WASI_ERR(__wasi_random_get(r1, 0), 0);
  printf("random_get: ok\n");

  CHECK(sched_yield() == 0);
  WASI_ERR(__wasi_sched_yield(), 0);
  printf("sched_yield: ok\n");

  CHECK(rawProcRaise(6) == __WASI_ERRNO_NOSYS);
  printf("proc_raise: ENOSYS\n");
  return 0;
}
