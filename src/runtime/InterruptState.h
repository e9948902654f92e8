#pragma once

// A request to stop an instance's run, made from any thread (a kill switch).
// The run in progress ends with an Interrupted trap as soon as the guest is
// in its own code: at once when it is computing, or when a host function it
// called returns (a blocking host call is interrupted, and sees EINTR). A
// request made while nothing runs stops the next run before it starts.

#include "platform/ThreadTimer.h"

#include <atomic>
#include <sys/types.h>

namespace lucet::rt {

class InterruptState {
public:
  void request() {
    requested_.store(true);
    if (pid_t thread = thread_.load()) platform::interruptThread(thread);
  }
  bool requested() const { return requested_.load(); }
  // Consumes the request, if there is one. Async-signal-safe.
  bool take() { return requested_.exchange(false); }

  // The thread running the instance, told to request() while it runs.
  void enter(pid_t thread) { thread_.store(thread); }
  void leave() { thread_.store(0); }

private:
  std::atomic<bool> requested_{false};
  std::atomic<pid_t> thread_{0};
};

} // namespace lucet::rt
