// A directory replaced by a symlink to outside the preopen between two path
// operations (tests/cli/SymlinkSwapTest.cpp). argv[1] is the preopen, which
// holds the directories abs/ and rel/, each with f.txt ("inside\n").
//   1. Reads abs/f.txt and rel/f.txt, holds abs/ open, prints "waiting".
//   2. Waits for a line on stdin, while the host replaces abs/ with a
//      symlink to an absolute path outside the preopen and rel/ with one to
//      "..", the preopen's parent; both hold secret.txt.
//   3. Every path through abs/ or rel/ is refused; the descriptor held on
//      the old abs/ still reads the original file.
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void readInside(int dirFd, const char *path) {
  char buf[32] = {0};
  int fd = openat(dirFd, path, O_RDONLY);
  CHECK(fd >= 0);
  CHECK(read(fd, buf, sizeof buf - 1) == 7);
  CHECK(strcmp(buf, "inside\n") == 0);
  close(fd);
}

static void refuseThrough(const char *dir) {
  char path[64], other[64];
  struct stat st;
  snprintf(path, sizeof path, "%s/secret.txt", dir);
  CHECK_REFUSED(open(path, O_RDONLY));
  CHECK_REFUSED(open(path, O_WRONLY | O_TRUNC));
  CHECK_REFUSED(stat(path, &st));
  CHECK_REFUSED(unlink(path));
  CHECK_REFUSED(rename(path, "stolen.txt"));
  CHECK_REFUSED(link(path, "linked.txt"));
  snprintf(other, sizeof other, "%s/new.txt", dir);
  CHECK_REFUSED(open(other, O_CREAT | O_WRONLY, 0644));
  snprintf(other, sizeof other, "%s/newdir", dir);
  CHECK_REFUSED(mkdir(other, 0755));
  snprintf(other, sizeof other, "%s/.", dir);
  CHECK_REFUSED(open(other, O_RDONLY | O_DIRECTORY));
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);
  readInside(AT_FDCWD, "abs/f.txt");
  readInside(AT_FDCWD, "rel/f.txt");
  int held = open("abs", O_RDONLY | O_DIRECTORY);
  CHECK(held >= 0);
  printf("first: ok\nwaiting\n");
  fflush(stdout);

  char line[16];
  CHECK(fgets(line, sizeof line, stdin) != NULL);
  CHECK(strcmp(line, "swapped\n") == 0);

  refuseThrough("abs");
  refuseThrough("rel");
  // What the guest already holds is still the directory it opened.
  readInside(held, "f.txt");
  close(held);
  printf("done\n");
  return 0;
}
