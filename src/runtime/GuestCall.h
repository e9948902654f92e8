#pragma once

// Entering guest code and leaving it abnormally. A call saves a host context
// (with _setjmp) and switches to the instance's stack; a trap or exit, from a
// runtime callback, a host function or the signal handler, jumps straight
// back to it. That is why nothing with a destructor may live in the frames
// between the save point and guest code, and why host functions must hold no
// such objects when they end the guest.

#include "abi/InstanceContext.h"
#include "abi/TrapCode.h"
#include "support/Expected.h"

#include <csetjmp>
#include <csignal>
#include <cstdint>

namespace lucet::rt {

class InterruptState;
class LoadedModule;

// One call into a guest on this thread, innermost first. Plain data only: the
// signal handler reads it.
struct GuestCall {
  enum class Outcome : uint8_t { Running, Trapped, Exited };

  // Set up before entering.
  abi::VMContext *vmctx = nullptr;
  const LoadedModule *module = nullptr;
  uintptr_t heapBegin = 0, heapEnd = 0;   // the memory's whole reservation
  uintptr_t guardBegin = 0, guardEnd = 0; // the stack's guard
  uintptr_t stackTop = 0;
  abi::Trampoline trampoline = nullptr;
  void *code = nullptr;
  uint8_t *slots = nullptr;
  InterruptState *interrupt = nullptr; // may stop the call from another thread
  uint64_t deadline = 0;               // CLOCK_MONOTONIC ns; 0 for none
  // Set by the signal handler when the call was due to stop while in host
  // code; host functions honour it when they return (stopIfInterrupted).
  volatile sig_atomic_t interruptPending = 0;

  // How it ended, when it did not return.
  Outcome outcome = Outcome::Running;
  abi::TrapCode trapCode = abi::TrapCode::None;
  uint32_t funcIndex = UINT32_MAX;
  uint32_t wasmOffset = 0;
  bool hasWasmOffset = false;
  uint32_t exitCode = 0;

  GuestCall *previous = nullptr;
  jmp_buf hostContext;
  // The host stack left for the guest's (StackSwitchAnnotations.h).
  void *hostFakeStack = nullptr;
  const void *hostStackBottom = nullptr;
  size_t hostStackSize = 0;
};

// Runs call->trampoline(call->vmctx, call->code, call->slots) on the stack at
// call->stackTop. Returns true when it returned, false when it ended with a
// trap or exit (see call->outcome).
bool enterGuest(GuestCall *call);

// The innermost call on this thread, or nullptr outside guest code.
GuestCall *currentGuestCall();

// Whether `call` should stop now: its instance was asked to, or its deadline
// has passed. Async-signal-safe.
bool interruptDue(const GuestCall &call);

// Arms this thread's timer for the deadline of the innermost call still
// running, if it has one (after a nested call used the timer).
void rearmTimerForCurrentCall();

// Ends the innermost call. Must be called on the thread running it.
[[noreturn]] void unwindWithTrap(abi::TrapCode code, uint32_t funcIndex, uint32_t wasmOffset,
                                 bool hasWasmOffset);
[[noreturn]] void unwindWithExit(uint32_t exitCode);

// Called first by every entry from guest code into the host (host
// functions, WASI, runtime services), before any object with a destructor
// exists: host code runs on the guest's stack, and a fault in its guard could
// only abort the process. Ends the call with a StackOverflow trap when less
// than GuestStack::HostReserve bytes are left.
void ensureHostStackHeadroom();

// Called by host functions just before they return to the guest: ends the
// innermost call with an Interrupted trap when it was asked to stop while in
// host code. Costs two loads otherwise.
void stopIfInterrupted();

// Installs the signal handler that turns guest faults into traps and gives
// this thread a signal stack.
Status prepareThreadForGuests();

} // namespace lucet::rt
