// Tries to leave the preopened directory (fd 3, guest path argv[1]) by
// "..", by an absolute path and through a symlink. Every attempt must fail;
// exit status 0 only when all of them did.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static int escaped = 0;

static void tryLibc(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    printf("ESCAPED libc %s\n", path);
    escaped = 1;
    close(fd);
  } else {
    printf("refused libc %s\n", path);
  }
}

// Bypasses libc's own path handling so the host's resolver is what is tested.
static void tryRaw(const char *path) {
  __wasi_fd_t fd;
  __wasi_errno_t err =
      __wasi_path_open(3, 0, path, __WASI_OFLAGS_CREAT,
                       __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (err == 0) {
    printf("ESCAPED raw %s\n", path);
    escaped = 1;
    (void)__wasi_fd_close(fd);
  } else {
    printf("refused raw %s\n", path);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: escape DIR\n");
    return 2;
  }
  char path[512];
  snprintf(path, sizeof path, "%s/../escaped_dotdot.txt", argv[1]);
  tryLibc(path);
  tryLibc("/escaped_absolute.txt");
  tryRaw("../escaped_raw_dotdot.txt");
  tryRaw("subdir/../../escaped_raw_nested.txt");
  tryRaw("/tmp/escaped_raw_absolute.txt");

  // A symlink inside the sandbox that points out of it must not be followed.
  if (__wasi_path_symlink("..", 3, "up") == 0)
    tryRaw("up/escaped_symlink.txt");
  else
    printf("symlink not created\n");

  printf(escaped ? "sandbox broken\n" : "sandbox held\n");
  return escaped;
}
