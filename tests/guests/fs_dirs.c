// Directories in the preopen argv[1]: mkdir, rmdir, unlink and their errnos.
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);
  int fd;

  CHECK(mkdir("d", 0755) == 0);
  CHECK_ERRNO(mkdir("d", 0755), EEXIST);
  CHECK(mkdir("d/sub", 0755) == 0);
  CHECK_ERRNO(mkdir("missing/x", 0755), ENOENT);
  struct stat st;
  CHECK(stat("d/sub", &st) == 0 && S_ISDIR(st.st_mode));
  // A directory is never opened for writing, with O_DIRECTORY or without.
  CHECK_ERRNO(open(".", O_RDWR | O_DIRECTORY), EISDIR);
  CHECK_ERRNO(open("d", O_RDWR), EISDIR);
  CHECK_ERRNO(open("d/sub/", O_WRONLY), EISDIR);
  fd = open("d", O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  CHECK(close(fd) == 0);
  printf("mkdir: ok\n");

  fd = open("d/file", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(close(fd) == 0);
  CHECK_ERRNO(mkdir("d/file", 0755), EEXIST);
  CHECK_ERRNO(rmdir("d"), ENOTEMPTY);
  CHECK_ERRNO(rmdir("d/file"), ENOTDIR);
  CHECK_ERRNO(rmdir("d/nothing"), ENOENT);
  printf("rmdir errors: ok\n");

  CHECK_ERRNO(unlink("d/sub"), EISDIR);
  CHECK_ERRNO(unlink("d/nothing"), ENOENT);
  CHECK_ERRNO(unlink("d/file/"), ENOTDIR);
  CHECK(unlink("d/file") == 0);
  CHECK_ERRNO(stat("d/file", &st), ENOENT);
  printf("unlink: ok\n");

  CHECK_ERRNO(rmdir("d"), ENOTEMPTY);
  CHECK(rmdir("d/sub") == 0);
  CHECK(rmdir("d") == 0);
  CHECK_ERRNO(stat("d", &st), ENOENT);
  CHECK(mkdir("kept", 0755) == 0);
  printf("rmdir: ok\n");
  return 0;
}
