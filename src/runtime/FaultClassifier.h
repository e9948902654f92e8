#pragma once

// What a synchronous signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL) raised while a
// guest runs on this thread means. Generated code raises exactly two kinds of
// fault, and only at two kinds of site: a heap access past the accessible
// part of a memory (an out-of-bounds trap, the guard-page model) and a frame
// reaching the stack guard (stack overflow, with probes so that no frame
// jumps over it). Every other trap is an explicit check that calls the
// runtime. So a fault anywhere else, or any fault raised by host code that
// touches the sandbox, is a bug in the compiler or the runtime: it must abort
// loudly, never pass as a guest trap.

#include "abi/TrapCode.h"

#include <cstdint>

namespace lucet::rt {

struct FaultFacts {
  int signo = 0;
  uintptr_t address = 0;      // si_addr
  bool pcInGuestCode = false; // the PC lies in a loaded module's code
  // The running call's stack guard.
  uintptr_t stackGuardBegin = 0, stackGuardEnd = 0;
  // The running call's memory: its whole reservation, and where its
  // accessible part ends. All zero without a memory.
  uintptr_t heapBegin = 0, heapAccessibleEnd = 0, heapEnd = 0;
  // The address lies in some other live memory's reservation (the code may
  // be another instance's, called through an import).
  bool addressInOtherHeap = false;
};

enum class FaultVerdict {
  NotOurs,   // pass it on to the handler installed before ours
  GuestTrap, // end the guest call with `code`
  RuntimeBug // abort with a diagnostic
};

struct FaultClassification {
  FaultVerdict verdict = FaultVerdict::NotOurs;
  abi::TrapCode code = abi::TrapCode::None;
  const char *reason = ""; // for RuntimeBug
};

// Pure and async-signal-safe.
FaultClassification classifyFault(const FaultFacts &facts);

} // namespace lucet::rt
