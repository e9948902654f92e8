// Clocks: monotonic never goes back and advances; realtime is printed for
// the test to compare with the host's; resolutions are sane.
#include "check.h"

#include <time.h>
#include <wasi/api.h>

static long long ns(struct timespec t) {
  return (long long)t.tv_sec * 1000000000ll + t.tv_nsec;
}

int main(void) {
  struct timespec a, b, res;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
  long long prev = ns(a);
  for (int i = 0; i < 1000; ++i) {
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(b) >= prev);
    prev = ns(b);
  }
  struct timespec pause = {0, 20 * 1000000};
  CHECK(nanosleep(&pause, NULL) == 0);
  CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
  CHECK(ns(b) - ns(a) >= 20 * 1000000ll);
  printf("monotonic: ok\n");

  CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 && ns(res) <= 1000000);
  CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && ns(res) > 0);
  CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b) == 0);
  __wasi_timestamp_t t;
  CHECK(__wasi_clock_time_get(99, 1, &t) == __WASI_ERRNO_INVAL);
  CHECK(__wasi_clock_res_get(99, &t) == __WASI_ERRNO_INVAL);
  printf("resolution: ok\n");

  struct timespec real;
  CHECK(clock_gettime(CLOCK_REALTIME, &real) == 0);
  printf("realtime: %lld\n", (long long)real.tv_sec);
  return 0;
}
