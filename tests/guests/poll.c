// poll_oneoff: relative and absolute clock timeouts, the earliest of two
// clocks wins, a ready descriptor ends the wait before a long clock, and
// bad subscriptions are reported as events.
#include "check.h"

#include <time.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(void) {
  __wasi_timestamp_t t;
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) == 0);
  return t;
}

static __wasi_subscription_t clockSub(__wasi_userdata_t userdata, __wasi_timestamp_t timeout,
                                      __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

int main(void) {
  const __wasi_timestamp_t ms = 1000000;
  __wasi_event_t events[4];
  __wasi_size_t n = 0;

  __wasi_subscription_t one = clockSub(11, 30 * ms, 0);
  __wasi_timestamp_t start = now();
  CHECK(__wasi_poll_oneoff(&one, events, 1, &n) == 0);
  CHECK(now() - start >= 30 * ms);
  CHECK(n == 1 && events[0].userdata == 11 && events[0].error == 0 &&
        events[0].type == __WASI_EVENTTYPE_CLOCK);
  printf("relative timeout: ok\n");

  __wasi_subscription_t abs =
      clockSub(12, now() + 20 * ms, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  start = now();
  CHECK(__wasi_poll_oneoff(&abs, events, 1, &n) == 0);
  CHECK(now() - start >= 15 * ms);
  CHECK(n == 1 && events[0].userdata == 12);
  printf("absolute timeout: ok\n");

  __wasi_subscription_t two[2] = {clockSub(21, 10 * 1000 * ms, 0), clockSub(22, 10 * ms, 0)};
  start = now();
  CHECK(__wasi_poll_oneoff(two, events, 2, &n) == 0);
  CHECK(now() - start < 5 * 1000 * ms);
  CHECK(n == 1 && events[0].userdata == 22);
  printf("earliest clock: ok\n");

  // stdout is writable at once: the 10 s clock never fires.
  __wasi_subscription_t mixed[2];
  mixed[0] = clockSub(31, 10 * 1000 * ms, 0);
  memset(&mixed[1], 0, sizeof mixed[1]);
  mixed[1].userdata = 32;
  mixed[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  mixed[1].u.u.fd_write.file_descriptor = 1;
  start = now();
  CHECK(__wasi_poll_oneoff(mixed, events, 2, &n) == 0);
  CHECK(now() - start < 5 * 1000 * ms);
  CHECK(n == 1 && events[0].userdata == 32 && events[0].type == __WASI_EVENTTYPE_FD_WRITE &&
        events[0].error == 0);
  printf("fd ready first: ok\n");

  // A closed descriptor is an event with EBADF, reported without waiting.
  mixed[1].u.u.fd_write.file_descriptor = 77;
  start = now();
  CHECK(__wasi_poll_oneoff(mixed, events, 2, &n) == 0);
  CHECK(now() - start < 5 * 1000 * ms);
  CHECK(n == 1 && events[0].userdata == 32 && events[0].error == __WASI_ERRNO_BADF);
  CHECK(__wasi_poll_oneoff(mixed, events, 0, &n) == __WASI_ERRNO_INVAL);
  printf("errors: ok\n");

  struct timespec pause = {0, 10 * 1000000};
  start = now();
  CHECK(nanosleep(&pause, NULL) == 0);
  CHECK(now() - start >= 10 * ms);
  printf("nanosleep: ok\n");
  return 0;
}
