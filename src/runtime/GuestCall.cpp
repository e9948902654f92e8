#include "runtime/GuestCall.h"

#include "platform/GuestStack.h"
#include "platform/SignalHandlers.h"
#include "platform/SignalSafeWriter.h"
#include "platform/StackSwitch.h"
#include "platform/StackSwitchAnnotations.h"
#include "platform/ThreadTimer.h"
#include "runtime/FaultClassifier.h"
#include "runtime/HeapRegistry.h"
#include "runtime/InterruptState.h"
#include "runtime/LoadedModule.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace lucet::rt {
namespace {

thread_local GuestCall *innermostCall = nullptr;

// How often an interrupt is retried while the guest is in host code.
constexpr uint64_t InterruptRetryNs = 1'000'000;

void runTrampoline(void *arg) {
  auto *call = static_cast<GuestCall *>(arg);
  platform::finishStackSwitch(nullptr, &call->hostStackBottom, &call->hostStackSize);
  call->trampoline(call->vmctx, call->code, call->slots);
  platform::startStackSwitch(nullptr, call->hostStackBottom, call->hostStackSize);
}

// Leaves the guest's stack for the host context saved by enterGuest.
[[noreturn]] void jumpToHost(GuestCall *call) {
  platform::startStackSwitch(nullptr, call->hostStackBottom, call->hostStackSize);
  _longjmp(call->hostContext, 1);
}

[[noreturn]] void noGuestRunning(const char *what) {
  std::fprintf(stderr, "lucet runtime: %s called with no guest running on this thread\n", what);
  std::abort();
}

const char *signalName(int signo) {
  switch (signo) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  default:
    return "signal";
  }
}

[[noreturn]] void abortOnRuntimeBug(int signo, uintptr_t pc, uintptr_t address,
                                    const LoadedModule *module, const char *reason) {
  platform::SignalSafeWriter out;
  out.text("lucet runtime: fatal: ").text(signalName(signo)).text(" at pc ").hex(pc);
  out.text(" (")
      .text(module ? "guest code of " : "host code")
      .text(module ? module->path().c_str() : "");
  if (module)
    if (std::optional<uint32_t> f = module->functionAt(reinterpret_cast<const void *>(pc)))
      out.text(", function ").decimal(*f);
  out.text("), address ").hex(address).text(": ").text(reason);
  out.text(". This is a bug in lucet, not in the guest; aborting.\n");
  out.writeTo(STDERR_FILENO);
  std::abort();
}

// Interrupts (kill switch, deadline): see InterruptState.h. Returns whether
// the signal was ours; sets `code` when the call must end now.
bool handleInterrupt(GuestCall *call, bool inGuestCode, abi::TrapCode &code) {
  bool outerDue = false;
  for (GuestCall *c = call->previous; c && !outerDue; c = c->previous) outerDue = interruptDue(*c);
  if (!interruptDue(*call)) {
    // An outer call is stopped once this one returns to it.
    if (!outerDue) return false;
    platform::armThreadTimerIn(InterruptRetryNs);
    return true;
  }
  if (!inGuestCode) {
    // Unwinding through host frames would skip their cleanup: the host
    // function stops the call when it returns (a blocking system call sees
    // EINTR), and the timer tries again in case it is not one of ours.
    call->interruptPending = 1;
    platform::armThreadTimerIn(InterruptRetryNs);
    return true;
  }
  if (call->interrupt) call->interrupt->take();
  code = abi::TrapCode::Interrupted;
  return true;
}

// A signal is ours only while this thread runs a guest; FaultClassifier.h
// says which faults are traps. Anything else goes on to the previous handler,
// except a fault that shows a bug in the sandbox, which aborts.
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
  if (signo == platform::InterruptSignal) {
    if (!handleInterrupt(call, inGuestCode, code)) return false;
    if (code == abi::TrapCode::None) return true;
  } else {
    FaultFacts facts;
    facts.signo = signo;
    facts.address = address;
    facts.pcInGuestCode = inGuestCode;
    facts.stackGuardBegin = call->guardBegin;
    facts.stackGuardEnd = call->guardEnd;
    facts.heapBegin = call->heapBegin;
    facts.heapEnd = call->heapEnd;
    const abi::MemoryInstance *memory = call->vmctx ? call->vmctx->memory : nullptr;
    facts.heapAccessibleEnd = memory ? uintptr_t(memory->base) + memory->size : call->heapBegin;
    facts.addressInOtherHeap =
        (address < call->heapBegin || address >= call->heapEnd) && inRegisteredHeap(address);
    FaultClassification verdict = classifyFault(facts);
    if (verdict.verdict == FaultVerdict::NotOurs) return false;
    if (verdict.verdict == FaultVerdict::RuntimeBug)
      abortOnRuntimeBug(signo, pc, address, module, verdict.reason);
    code = verdict.code;
  }

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
  jumpToHost(call);
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
    platform::finishStackSwitch(call->hostFakeStack, nullptr, nullptr);
    innermostCall = call->previous;
    return false;
  }
  platform::startStackSwitch(&call->hostFakeStack, reinterpret_cast<const void *>(call->guardEnd),
                             call->stackTop - call->guardEnd);
  platform::callOnStack(reinterpret_cast<void *>(call->stackTop), runTrampoline, call);
  platform::finishStackSwitch(call->hostFakeStack, nullptr, nullptr);
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
  jumpToHost(call);
}

void unwindWithExit(uint32_t exitCode) {
  GuestCall *call = innermostCall;
  if (!call) noGuestRunning("exit");
  call->outcome = GuestCall::Outcome::Exited;
  call->exitCode = exitCode;
  jumpToHost(call);
}

void ensureHostStackHeadroom() {
  GuestCall *call = innermostCall;
  if (!call) return;
  auto sp = uintptr_t(__builtin_frame_address(0));
  // Only when running on this call's stack (an embedder may call host
  // functions on a stack of its own).
  if (sp < call->guardEnd || sp > call->stackTop) return;
  if (sp - call->guardEnd >= platform::GuestStack::HostReserve) return;
  unwindWithTrap(abi::TrapCode::StackOverflow, UINT32_MAX, 0, false);
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
