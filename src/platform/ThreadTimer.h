#pragma once

// A one-shot timer per thread that sends that thread InterruptSignal: how a
// run with a deadline is stopped, and how a stop request that arrives while
// the guest is in host code is retried until the guest is back in its own
// code. Arming and disarming are async-signal-safe.

#include "support/Expected.h"

#include <csignal>
#include <cstdint>
#include <sys/types.h>

namespace lucet::platform {

// The signal the runtime uses to interrupt guests: SIGURG, whose default
// action is to be ignored, so a stray one harms nothing.
inline constexpr int InterruptSignal = SIGURG;

// Creates the calling thread's timer unless it has one. Deleted when the
// thread exits.
Status ensureThreadTimer();

// Fires at `monotonicNs` (CLOCK_MONOTONIC), or `delayNs` from now. No-ops
// on a thread without a timer. Replace any earlier arming.
void armThreadTimerAt(uint64_t monotonicNs);
void armThreadTimerIn(uint64_t delayNs);
void disarmThreadTimer();

// CLOCK_MONOTONIC in nanoseconds. Async-signal-safe.
uint64_t monotonicNow();

// The calling thread's kernel id, and a way to send it InterruptSignal from
// any thread.
pid_t currentThreadId();
void interruptThread(pid_t thread);

} // namespace lucet::platform
