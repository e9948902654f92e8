// Hard links and symlinks in the preopen argv[1]; argv[2] is a file beside
// the preopen (its name relative to the preopen's parent), which nothing
// may reach.
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void expectContents(const char *path, const char *want) {
  int fd = open(path, O_RDONLY);
  CHECK(fd >= 0);
  char buf[64] = {0};
  ssize_t n = read(fd, buf, sizeof buf - 1);
  CHECK(n == (ssize_t)strlen(want));
  CHECK(strcmp(buf, want) == 0);
  CHECK(close(fd) == 0);
}

int main(int argc, char **argv) {
  CHECK(argc == 3);
  CHECK(chdir(argv[1]) == 0);
  int fd = open("target.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "target\n", 7) == 7);
  CHECK(close(fd) == 0);
  CHECK(mkdir("dir", 0755) == 0);

  CHECK(link("target.txt", "hard.txt") == 0);
  struct stat st;
  CHECK(stat("target.txt", &st) == 0 && st.st_nlink == 2);
  expectContents("hard.txt", "target\n");
  CHECK_ERRNO(link("target.txt", "hard.txt"), EEXIST);
  CHECK_ERRNO(link("missing", "x"), ENOENT);
  // A new name with a trailing slash names a directory, which a link is not.
  CHECK_ERRNO(link("target.txt", "slashed/"), ENOENT);
  CHECK_ERRNO(link("target.txt", "dir/"), EEXIST);
  CHECK_ERRNO(link("target.txt", "hard.txt/"), EEXIST);
  CHECK_ERRNO(lstat("slashed", &st), ENOENT);
  printf("link: ok\n");

  CHECK(symlink("target.txt", "sym") == 0);
  CHECK(symlink("../target.txt", "dir/up") == 0);
  char buf[64];
  ssize_t n = readlink("sym", buf, sizeof buf);
  CHECK(n == 10 && memcmp(buf, "target.txt", 10) == 0);
  n = readlink("sym", buf, 3); // cut to the buffer, as POSIX says
  CHECK(n == 3 && memcmp(buf, "tar", 3) == 0);
  CHECK_ERRNO(readlink("target.txt", buf, sizeof buf), EINVAL);
  expectContents("sym", "target\n");
  expectContents("dir/up", "target\n");
  CHECK(lstat("sym", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat("sym", &st) == 0 && S_ISREG(st.st_mode));
  CHECK_ERRNO(symlink("target.txt", "sym"), EEXIST);
  CHECK(symlink("nowhere", "dangling") == 0);
  CHECK_ERRNO(open("dangling", O_RDONLY), ENOENT);
  CHECK_ERRNO(symlink("target.txt", "slashed/"), ENOENT);
  CHECK_ERRNO(symlink("target.txt", "dir/"), EEXIST);
  CHECK_ERRNO(symlink("target.txt", "dangling/"), EEXIST);
  CHECK_ERRNO(link("target.txt", "dangling/"), EEXIST);
  CHECK_ERRNO(lstat("slashed", &st), ENOENT);
  CHECK(unlink("sym") == 0);
  CHECK(stat("target.txt", &st) == 0);
  printf("symlink inside: ok\n");

  // Links whose relative targets lead out: made (the target is only text),
  // but never followed out, for reading or for creating. An absolute target
  // is refused outright: a host program could follow it later.
  char outside[256];
  snprintf(outside, sizeof outside, "../%s", argv[2]);
  CHECK(symlink(outside, "out") == 0);
  CHECK_REFUSED(symlink("/etc/passwd", "abs"));
  CHECK_ERRNO(lstat("abs", &st), ENOENT);
  CHECK(symlink("dir/../../x", "sneaky") == 0);
  CHECK_REFUSED(open("out", O_RDONLY));
  CHECK_REFUSED(open("out", O_WRONLY | O_TRUNC));
  CHECK_REFUSED(open("sneaky", O_WRONLY | O_CREAT, 0644));
  CHECK_REFUSED(stat("out", &st));
  CHECK_REFUSED(link(outside, "stolen"));
  CHECK(lstat("out", &st) == 0 && S_ISLNK(st.st_mode));
  printf("symlink outside: ok\n");
  return 0;
}
