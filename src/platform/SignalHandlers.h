#pragma once

// Process-wide handlers for the synchronous signals guest code raises
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL) and for the signal that interrupts a
// running guest (InterruptSignal, see ThreadTimer.h). The runtime decides whether a signal is
// its own through a FaultHandler; any signal it does not claim goes on to the
// action that was installed before ours, so a host bug still crashes (or
// reaches the embedder's own handler) as if we were not there.

#include "support/Expected.h"

#include <csignal>

namespace lucet::platform {

// Called on the signal's thread, on the alternate stack, with the signal
// blocked. Returns false to pass the signal on. To claim it, it either does
// not return (jumps back to the host) or returns true after fixing the context
// so that returning from the handler is safe. Must be async-signal-safe.
using FaultHandler = bool (*)(int signo, siginfo_t *info, void *ucontext);

// Installs our handlers once per process and makes `handler` the one they
// consult. Later calls only replace the handler.
Status installSignalHandlers(FaultHandler handler);

// Gives the calling thread an alternate signal stack, unless it has one
// already, so that a guest stack overflow can still be handled. Freed when
// the thread exits.
Status ensureSignalStack();

// A handler that jumps out instead of returning must first restore the
// signal mask that was in effect when the signal arrived (_longjmp does not).
void restoreInterruptedSignalMask(void *ucontext);

// The faulting instruction's address.
uintptr_t faultingPc(void *ucontext);

} // namespace lucet::platform
