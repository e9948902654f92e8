// A read-only preopen (WasiConfig::preopenDirReadOnly): argv[1] is the
// guest path of the preopen, which holds keep.txt ("keep\n") and the
// directory sub. Reading works; every change is refused and leaves the
// host untouched.
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);

  char buf[16] = {0};
  int fd = open("keep.txt", O_RDONLY);
  CHECK(fd >= 0);
  CHECK(read(fd, buf, sizeof buf - 1) == 5);
  close(fd);
  printf("read: %s", buf);

  CHECK_REFUSED(open("new.txt", O_CREAT | O_WRONLY, 0644));
  CHECK_REFUSED(open("keep.txt", O_WRONLY | O_TRUNC));
  CHECK_REFUSED(mkdir("newdir", 0755));
  CHECK_REFUSED(rmdir("sub"));
  CHECK_REFUSED(unlink("keep.txt"));
  CHECK_REFUSED(rename("keep.txt", "moved.txt"));
  CHECK_REFUSED(symlink("keep.txt", "link"));
  CHECK_REFUSED(link("keep.txt", "hard"));
  CHECK_REFUSED(utimensat(AT_FDCWD, "keep.txt", NULL, 0));
  // Opened without the right to write (wasi-libc says EBADF for write).
  fd = open("keep.txt", O_WRONLY);
  CHECK(fd >= 0);
  CHECK_ERRNO(write(fd, "x", 1), EBADF);
  close(fd);
  printf("done\n");
  return 0;
}
