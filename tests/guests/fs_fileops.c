// Reading and writing at offsets, truncating, syncing and appending in the
// preopen argv[1].
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);
  int fd = open("f.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "0123456789", 10) == 10);

  // pread and pwrite leave the position alone.
  char buf[16] = {0};
  CHECK(pread(fd, buf, 4, 3) == 4 && memcmp(buf, "3456", 4) == 0);
  CHECK(pwrite(fd, "AB", 2, 8) == 2);
  CHECK(lseek(fd, 0, SEEK_CUR) == 10);
  CHECK(pread(fd, buf, sizeof buf, 0) == 10 && memcmp(buf, "01234567AB", 10) == 0);
  CHECK(pread(fd, buf, 4, 100) == 0);
  CHECK_ERRNO(pread(fd, buf, 4, -1), EINVAL);
  printf("pread/pwrite: ok\n");

  CHECK(lseek(fd, -2, SEEK_END) == 8);
  CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "AB", 2) == 0);
  CHECK(lseek(fd, 2, SEEK_SET) == 2);
  CHECK(lseek(fd, 3, SEEK_CUR) == 5);
  CHECK_ERRNO(lseek(fd, -100, SEEK_SET), EINVAL);
  printf("seek: ok\n");

  struct stat st;
  CHECK(ftruncate(fd, 4) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
  CHECK(ftruncate(fd, 4096) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 4096);
  CHECK(pread(fd, buf, 2, 100) == 2 && buf[0] == 0 && buf[1] == 0);
  CHECK(ftruncate(fd, 6) == 0);
  CHECK(posix_fallocate(fd, 0, 8192) == 0);
  CHECK(fstat(fd, &st) == 0 && st.st_size == 8192);
  CHECK(ftruncate(fd, 6) == 0);
  printf("truncate: ok\n");

  CHECK(fsync(fd) == 0);
  CHECK(fdatasync(fd) == 0);
  CHECK(close(fd) == 0);
  CHECK_ERRNO(fsync(fd), EBADF);
  printf("sync: ok\n");

  fd = open("f.txt", O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(write(fd, "+", 1) == 1); // appends whatever the position
  CHECK(close(fd) == 0);
  fd = open("f.txt", O_RDONLY);
  CHECK(fd >= 0);
  // A read-only descriptor lacks the rights: libc turns ENOTCAPABLE into
  // EBADF for write, and passes it on for ftruncate.
  CHECK_ERRNO(write(fd, "x", 1), EBADF);
  CHECK_ERRNO(ftruncate(fd, 0), ENOTCAPABLE);
  CHECK(read(fd, buf, sizeof buf) == 7 && memcmp(buf, "0123\0\0+", 7) == 0);
  CHECK(close(fd) == 0);
  printf("append: ok\n");
  return 0;
}
