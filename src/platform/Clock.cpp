#include "platform/Clock.h"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace lucet::platform {

static clockid_t hostClock(ClockId clock) {
  switch (clock) {
  case ClockId::Realtime:
    return CLOCK_REALTIME;
  case ClockId::Monotonic:
    return CLOCK_MONOTONIC;
  case ClockId::ProcessCpuTime:
    return CLOCK_PROCESS_CPUTIME_ID;
  case ClockId::ThreadCpuTime:
    return CLOCK_THREAD_CPUTIME_ID;
  }
  return CLOCK_MONOTONIC;
}

static uint64_t toNanoseconds(const timespec &ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

Expected<uint64_t> clockTime(ClockId clock) {
  timespec ts;
  if (clock_gettime(hostClock(clock), &ts) != 0)
    return Error::format("clock_gettime: {}", std::strerror(errno));
  return toNanoseconds(ts);
}

Expected<uint64_t> clockResolution(ClockId clock) {
  timespec ts;
  if (clock_getres(hostClock(clock), &ts) != 0)
    return Error::format("clock_getres: {}", std::strerror(errno));
  uint64_t ns = toNanoseconds(ts);
  // A zero resolution would tell guests time never advances; report 1 ns.
  return ns == 0 ? 1 : ns;
}

} // namespace lucet::platform
