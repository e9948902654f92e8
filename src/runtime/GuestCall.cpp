#include "runtime/GuestCall.h"

#include "platform/SignalHandlers.h"
#include "platform/StackSwitch.h"
#include "platform/ThreadTimer.h"
#include "runtime/InterruptState.h"
#include "runtime/LoadedModule.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace lucet::rt {
namespace {

thread_local GuestCall *innermostCall = nullptr;

// How often an interrupt is retried while the guest is in host code.
constexpr uint64_t InterruptRetryNs = 1'000'000;

void runTrampoline(void *arg) {
  auto *call = static_cast<GuestCall *>(arg);
  call->trampoline(call->vmctx, call->code, call->slots);
}

[[noreturn]] void noGuestRunning(const char *what) {
  std::fprintf(stderr, "lucet runtime: %s called with no guest running on this thread\n", what);
  std::abort();
}

// A signal is ours only while this thread runs a guest, and only when the
// fault lies in that guest's memory reservation or stack guard, or was raised
// by its code. Anything else goes on to the previous handler.
bool handleGuestFault(int signo, siginfo_t *info, void *ucontext) {
  GuestCall *call = innermostCall;
  if (!call) return false;
  uintptr_t pc = platform::faultingPc(ucontext);
  auto address = uintptr_t(info->si_addr);
  // The code may be another instance's, called through an import.
  const LoadedModule *module = call->module;
  if (!module->containsCode(reinterpret_cast<const void *>(pc)))
    module = LoadedModule::containingCode(reinterpret_cast<const void *>(pc));
  bool inGuestCode = module != nullptr;
  abi::TrapCode code = abi::TrapCode::None;
  switch (signo) {
  case SIGSEGV:
  case SIGBUS:
    if (address >= call->guardBegin && address < call->guardEnd)
      code = abi::TrapCode::StackOverflow;
    else if (address >= call->heapBegin && address < call->heapEnd)
      code = abi::TrapCode::OutOfBounds;
    else if (inGuestCode)
      // Guest code touching memory outside its reservation can only be a
      // frame that jumped over the stack guard.
      code = address < call->stackTop && address + (1u << 20) >= call->guardBegin
                 ? abi::TrapCode::StackOverflow
                 : abi::TrapCode::OutOfBounds;
    break;
  case SIGFPE:
    if (inGuestCode)
      code = info->si_code == FPE_INTOVF ? abi::TrapCode::IntegerOverflow
                                         : abi::TrapCode::IntegerDivideByZero;
    break;
  case SIGILL:
    if (inGuestCode) code = abi::TrapCode::Unreachable;
    break;
  case platform::InterruptSignal: {
    bool outerDue = false;
    for (GuestCall *c = call->previous; c && !outerDue; c = c->previous)
      outerDue = interruptDue(*c);
    if (!interruptDue(*call)) {
      // An outer call is stopped once this one returns to it.
      if (!outerDue) return false;
      platform::armThreadTimerIn(InterruptRetryNs);
      return true;
    }
    if (!inGuestCode) {
      // Unwinding through host frames would skip their cleanup: the host
      // function stops the call when it returns (a blocking system call
      // sees EINTR), and the timer tries again in case it is not one of ours.
      call->interruptPending = 1;
      platform::armThreadTimerIn(InterruptRetryNs);
      return true;
    }
    if (call->interrupt) call->interrupt->take();
    code = abi::TrapCode::Interrupted;
    break;
  }
  default:
    break;
  }
  if (code == abi::TrapCode::None) return false;
  std::optional<uint32_t> funcIndex;
  if (module) funcIndex = module->functionAt(reinterpret_cast<const void *>(pc));
  call->outcome = GuestCall::Outcome::Trapped;
  call->trapCode = code;
  call->funcIndex = funcIndex.value_or(UINT32_MAX);
  std::optional<LoadedModule::WasmLocation> location;
  if (funcIndex) location = module->wasmLocationAt(reinterpret_cast<const void *>(pc), *funcIndex);
  // Name the function whose wasm code faulted, even when it was inlined.
  if (location) call->funcIndex = location->funcIndex;
  call->wasmOffset = location ? location->wasmOffset : 0;
  call->hasWasmOffset = location.has_value();
  platform::restoreInterruptedSignalMask(ucontext);
  _longjmp(call->hostContext, 1);
}

} // namespace

// Kept out of line so that its frame, holding only the jmp_buf's owner and
// no destructors, is the save point.
[[gnu::noinline]] bool enterGuest(GuestCall *call) {
  call->previous = innermostCall;
  call->outcome = GuestCall::Outcome::Running;
  innermostCall = call;
  if (_setjmp(call->hostContext) != 0) {
    // `call` is not modified after _setjmp, so its value survives the jump.
    innermostCall = call->previous;
    return false;
  }
  platform::callOnStack(reinterpret_cast<void *>(call->stackTop), runTrampoline, call);
  innermostCall = call->previous;
  return true;
}

GuestCall *currentGuestCall() {
  return innermostCall;
}

bool interruptDue(const GuestCall &call) {
  if (call.interrupt && call.interrupt->requested()) return true;
  return call.deadline != 0 && platform::monotonicNow() >= call.deadline;
}

void rearmTimerForCurrentCall() {
  for (GuestCall *c = innermostCall; c; c = c->previous) {
    if (c->interrupt && c->interrupt->requested()) {
      platform::armThreadTimerIn(0);
      return;
    }
    if (c->deadline != 0) {
      platform::armThreadTimerAt(c->deadline);
      return;
    }
  }
}

void unwindWithTrap(abi::TrapCode code, uint32_t funcIndex, uint32_t wasmOffset,
                    bool hasWasmOffset) {
  GuestCall *call = innermostCall;
  if (!call) noGuestRunning("a trap");
  call->outcome = GuestCall::Outcome::Trapped;
  call->trapCode = code;
  call->funcIndex = funcIndex;
  call->wasmOffset = wasmOffset;
  call->hasWasmOffset = hasWasmOffset;
  _longjmp(call->hostContext, 1);
}

void unwindWithExit(uint32_t exitCode) {
  GuestCall *call = innermostCall;
  if (!call) noGuestRunning("exit");
  call->outcome = GuestCall::Outcome::Exited;
  call->exitCode = exitCode;
  _longjmp(call->hostContext, 1);
}

void stopIfInterrupted() {
  GuestCall *call = innermostCall;
  if (!call || !call->interruptPending) return;
  if (call->interrupt) call->interrupt->take();
  unwindWithTrap(abi::TrapCode::Interrupted, UINT32_MAX, 0, false);
}

Status prepareThreadForGuests() {
  static const Status installed = platform::installSignalHandlers(handleGuestFault);
  if (!installed) return installed.error();
  LUCET_TRY(platform::ensureThreadTimer());
  return platform::ensureSignalStack();
}

} // namespace lucet::rt
