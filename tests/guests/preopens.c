// Lists the preopened directories as WASI numbers them: fd 3, 4, ... until
// the first fd that is not a preopen.
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  for (__wasi_fd_t fd = 3;; ++fd) {
    __wasi_prestat_t prestat;
    if (__wasi_fd_prestat_get(fd, &prestat) != 0)
      break;
    char name[256];
    size_t length = prestat.u.dir.pr_name_len;
    if (length >= sizeof name ||
        __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, length) != 0) {
      printf("fd %u: bad name\n", fd);
      return 1;
    }
    name[length] = 0;
    printf("fd %u: %s\n", fd, name);
  }
  return 0;
}
