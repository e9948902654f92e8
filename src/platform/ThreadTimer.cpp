#include "platform/ThreadTimer.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace lucet::platform {
namespace {

struct ThreadTimer {
  timer_t id = {};
  bool created = false;
  ~ThreadTimer() {
    if (created) timer_delete(id);
  }
};
thread_local ThreadTimer threadTimer;

void arm(uint64_t ns, int flags) {
  if (!threadTimer.created) return;
  itimerspec spec;
  std::memset(&spec, 0, sizeof spec);
  spec.it_value.tv_sec = time_t(ns / 1'000'000'000);
  spec.it_value.tv_nsec = long(ns % 1'000'000'000);
  // A zero it_value would disarm instead of firing at once.
  if (ns == 0) spec.it_value.tv_nsec = 1;
  timer_settime(threadTimer.id, flags, &spec, nullptr);
}

} // namespace

Status ensureThreadTimer() {
  if (threadTimer.created) return Status::ok();
  sigevent event;
  std::memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = InterruptSignal;
  // glibc names the field sigev_notify_thread_id only from 2.41 on.
  event._sigev_un._tid = currentThreadId();
  if (timer_create(CLOCK_MONOTONIC, &event, &threadTimer.id) != 0)
    return Error::format("cannot create the thread's interrupt timer: {}", std::strerror(errno));
  threadTimer.created = true;
  return Status::ok();
}

void armThreadTimerAt(uint64_t monotonicNs) {
  arm(monotonicNs, TIMER_ABSTIME);
}

void armThreadTimerIn(uint64_t delayNs) {
  arm(delayNs, 0);
}

void disarmThreadTimer() {
  if (!threadTimer.created) return;
  itimerspec spec;
  std::memset(&spec, 0, sizeof spec);
  timer_settime(threadTimer.id, 0, &spec, nullptr);
}

uint64_t monotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000 + uint64_t(ts.tv_nsec);
}

pid_t currentThreadId() {
  return pid_t(syscall(SYS_gettid));
}

void interruptThread(pid_t thread) {
  syscall(SYS_tgkill, getpid(), thread, InterruptSignal);
}

} // namespace lucet::platform
