// The clock, randomness, scheduling and poll operations of WasiCtx.

#include "platform/Clock.h"
#include "platform/Random.h"
#include "wasi/WasiCtx.h"

#include <algorithm>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <time.h>

namespace lucet::wasi {

namespace {

std::optional<platform::ClockId> platformClock(uint32_t clockId) {
  switch (static_cast<ClockId>(clockId)) {
  case ClockId::Realtime:
    return platform::ClockId::Realtime;
  case ClockId::Monotonic:
    return platform::ClockId::Monotonic;
  case ClockId::ProcessCputimeId:
    return platform::ClockId::ProcessCpuTime;
  case ClockId::ThreadCputimeId:
    return platform::ClockId::ThreadCpuTime;
  }
  return std::nullopt;
}

} // namespace

ErrnoOr<Timestamp> WasiCtx::clockTimeGet(uint32_t clockId, Timestamp precision) {
  auto clock = platformClock(clockId);
  if (!clock) return Errno::Inval;
  // clock_gettime fails only for a clock the host lacks.
  auto now = platform::clockTime(*clock);
  if (!now) return Errno::Inval;
  return *now;
}

ErrnoOr<Timestamp> WasiCtx::clockResGet(uint32_t clockId) {
  auto clock = platformClock(clockId);
  if (!clock) return Errno::Inval;
  auto res = platform::clockResolution(*clock);
  if (!res) return Errno::Inval;
  return *res;
}

Errno WasiCtx::randomGet(std::span<uint8_t> out) {
  // getrandom fails only on kernels without it (ENOSYS), never for a valid
  // buffer; tell the guest the host failed.
  return platform::fillRandom(out) ? Errno::Success : Errno::Io;
}

Errno WasiCtx::schedYield() {
  sched_yield();
  return Errno::Success;
}

ErrnoOr<std::vector<Event>> WasiCtx::pollOneoff(std::span<const Subscription> subscriptions) {
  if (subscriptions.empty()) return Errno::Inval;

  std::vector<Event> events;
  std::vector<pollfd> pollFds;
  std::vector<size_t> pollSubs; // subscription index of each pollfd
  // The earliest clock deadline, as a relative timeout in ns.
  std::optional<uint64_t> timeoutNs;
  std::vector<std::pair<size_t, uint64_t>> clockSubs; // (index, relative timeout)

  for (size_t i = 0; i < subscriptions.size(); ++i) {
    const Subscription &sub = subscriptions[i];
    Event ev{};
    ev.userdata = sub.userdata;
    ev.type = sub.tag;
    switch (sub.tag) {
    case EventType::Clock: {
      auto clock = platformClock(sub.u.clock.id);
      if (!clock) {
        ev.error = static_cast<uint16_t>(Errno::Inval);
        events.push_back(ev);
        continue;
      }
      uint64_t relative = sub.u.clock.timeout;
      if (sub.u.clock.flags & subclockflags::Abstime) {
        auto now = platform::clockTime(*clock);
        if (!now) {
          ev.error = static_cast<uint16_t>(Errno::Inval);
          events.push_back(ev);
          continue;
        }
        relative = sub.u.clock.timeout > *now ? sub.u.clock.timeout - *now : 0;
      }
      clockSubs.emplace_back(i, relative);
      timeoutNs = timeoutNs ? std::min(*timeoutNs, relative) : relative;
      break;
    }
    case EventType::FdRead:
    case EventType::FdWrite: {
      auto entry = fds_.get(sub.u.fdReadwrite.fd, rights::PollFdReadwrite);
      if (!entry) {
        ev.error = static_cast<uint16_t>(entry.error());
        events.push_back(ev);
        continue;
      }
      short want = sub.tag == EventType::FdRead ? POLLIN : POLLOUT;
      pollFds.push_back(pollfd{(*entry)->hostFd, want, 0});
      pollSubs.push_back(i);
      break;
    }
    default:
      return Errno::Inval;
    }
  }

  // Errors already found are events too: report them without waiting.
  if (!events.empty()) timeoutNs = 0;

  timespec ts{};
  timespec *tsp = nullptr;
  if (timeoutNs) {
    ts.tv_sec = static_cast<time_t>(*timeoutNs / 1'000'000'000u);
    ts.tv_nsec = static_cast<long>(*timeoutNs % 1'000'000'000u);
    tsp = &ts;
  }
  // EINTR is not retried: it is how the runtime's kill switch (an
  // InterruptHandle, a run timeout) ends a guest waiting here; the run stops
  // as soon as this call returns.
  int ready = ppoll(pollFds.data(), pollFds.size(), tsp, nullptr);
  if (ready < 0) return lastHostErrno();

  for (size_t k = 0; k < pollFds.size(); ++k) {
    if (pollFds[k].revents == 0) continue;
    const Subscription &sub = subscriptions[pollSubs[k]];
    Event ev{};
    ev.userdata = sub.userdata;
    ev.type = sub.tag;
    if (pollFds[k].revents & POLLNVAL) {
      ev.error = static_cast<uint16_t>(Errno::BadF);
    } else {
      if (pollFds[k].revents & POLLHUP) ev.flags |= eventrwflags::FdReadwriteHangup;
      int avail = 0;
      if (sub.tag == EventType::FdRead && ioctl(pollFds[k].fd, FIONREAD, &avail) == 0 && avail > 0)
        ev.nbytes = static_cast<uint64_t>(avail);
    }
    events.push_back(ev);
  }
  // With no fd ready, the earliest clocks are what ended the wait.
  if (ready == 0 && timeoutNs && events.empty()) {
    for (const auto &[index, relative] : clockSubs) {
      if (relative != *timeoutNs) continue;
      Event ev{};
      ev.userdata = subscriptions[index].userdata;
      ev.type = EventType::Clock;
      events.push_back(ev);
    }
  }
  return events;
}

} // namespace lucet::wasi
