// Many directory entries: more than one fd_readdir buffer holds, read back
// through libc's readdir and through fd_readdir directly with a small buffer,
// continuing from each entry's cookie.
#include "check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define Count 300

static int seen[Count];

// "f123" -> 123, anything else -> -1.
static int indexOf(const char *name, size_t len) {
  if (len < 2 || name[0] != 'f') return -1;
  int n = 0;
  for (size_t i = 1; i < len; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    n = n * 10 + (name[i] - '0');
  }
  return n < Count ? n : -1;
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  CHECK(chdir(argv[1]) == 0);
  CHECK(mkdir("many", 0755) == 0);
  for (int i = 0; i < Count; ++i) {
    char name[32];
    snprintf(name, sizeof name, "many/f%d", i);
    int fd = open(name, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(close(fd) == 0);
  }

  DIR *dir = opendir("many");
  CHECK(dir != NULL);
  int files = 0, dots = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      ++dots;
      continue;
    }
    int i = indexOf(e->d_name, strlen(e->d_name));
    CHECK(i >= 0);
    CHECK(seen[i] == 0);
    seen[i] = 1;
    ++files;
  }
  CHECK(closedir(dir) == 0);
  CHECK(files == Count);
  printf("readdir: %d files, %d dot entries\n", files, dots);

  // Raw: a buffer that holds only a few entries, so every call after the
  // first resumes from a cookie.
  memset(seen, 0, sizeof seen);
  int dirFd = open("many", O_RDONLY | O_DIRECTORY);
  CHECK(dirFd >= 0);
  __wasi_dircookie_t cookie = 0;
  int calls = 0;
  files = 0;
  for (;;) {
    uint8_t buf[128];
    __wasi_size_t used = 0;
    CHECK(__wasi_fd_readdir(dirFd, buf, sizeof buf, cookie, &used) == 0);
    ++calls;
    size_t at = 0;
    int progressed = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t d;
      memcpy(&d, buf + at, sizeof d);
      if (at + sizeof d + d.d_namlen > used) break; // cut: read again from `cookie`
      const char *name = (const char *)buf + at + sizeof d;
      int i = indexOf(name, d.d_namlen);
      if (i >= 0) {
        CHECK(seen[i] == 0);
        seen[i] = 1;
        ++files;
      }
      cookie = d.d_next;
      at += sizeof d + d.d_namlen;
      progressed = 1;
    }
    if (used < sizeof buf) break;
    CHECK(progressed);
  }
  CHECK(files == Count);
  CHECK(calls > 10);
  // Past the end there is nothing.
  uint8_t buf[128];
  __wasi_size_t used = 1;
  CHECK(__wasi_fd_readdir(dirFd, buf, sizeof buf, cookie, &used) == 0);
  CHECK(used == 0);
  CHECK(close(dirFd) == 0);
  printf("fd_readdir with cookies: %d files\n", files);
  return 0;
}
