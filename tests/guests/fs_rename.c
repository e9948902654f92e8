// rename within the preopen argv[1], and out of it (refused); argv[2] is a
// name beside the preopen that must never appear.
#include "check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void create(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, path, strlen(path)) == (ssize_t)strlen(path));
  CHECK(close(fd) == 0);
}

int main(int argc, char **argv) {
  CHECK(argc == 3);
  CHECK(chdir(argv[1]) == 0);
  struct stat st;
  create("a");
  CHECK(rename("a", "b") == 0);
  CHECK_ERRNO(stat("a", &st), ENOENT);
  CHECK(stat("b", &st) == 0 && st.st_size == 1);

  CHECK(mkdir("d1", 0755) == 0);
  CHECK(mkdir("d2", 0755) == 0);
  CHECK(rename("b", "d1/b") == 0);
  CHECK(rename("d1/b", "d2/c") == 0);
  CHECK(stat("d2/c", &st) == 0);
  create("over");
  CHECK(rename("over", "d2/c") == 0); // replaces an existing file
  CHECK(stat("d2/c", &st) == 0 && st.st_size == 4);
  CHECK(rename("d1", "d3") == 0); // a directory
  CHECK(stat("d3", &st) == 0 && S_ISDIR(st.st_mode));
  printf("rename inside: ok\n");

  CHECK_ERRNO(rename("missing", "x"), ENOENT);
  CHECK_ERRNO(rename("d2/c", "nodir/c"), ENOENT);
  CHECK_ERRNO(rename("d3", "d2/c"), ENOTDIR);
  CHECK_ERRNO(rename("d2/c", "d3"), EISDIR);   // a file over a directory
  CHECK_ERRNO(rename("d2/c", "d3/"), ENOTDIR); // a trailing slash says the source is a directory
  create("d3/inner");
  CHECK_ERRNO(rename("d2", "d3"), ENOTEMPTY);
  printf("rename errors: ok\n");

  char outside[256];
  snprintf(outside, sizeof outside, "../%s", argv[2]);
  CHECK_REFUSED(rename("d2/c", outside));
  CHECK_REFUSED(rename("d2/c", "d3/../../escaped"));
  CHECK_REFUSED(rename(outside, "in"));
  CHECK(stat("d2/c", &st) == 0);
  printf("rename outside: ok\n");
  return 0;
}
