#include "runtime/FaultClassifier.h"

#include <csignal>

namespace lucet::rt {

FaultClassification classifyFault(const FaultFacts &f) {
  auto trap = [](abi::TrapCode code) {
    return FaultClassification{FaultVerdict::GuestTrap, code, ""};
  };
  auto bug = [](const char *reason) {
    return FaultClassification{FaultVerdict::RuntimeBug, abi::TrapCode::None, reason};
  };
  bool memoryFault = f.signo == SIGSEGV || f.signo == SIGBUS;
  bool inStackGuard = f.address >= f.stackGuardBegin && f.address < f.stackGuardEnd;
  bool inOwnHeap = f.address >= f.heapBegin && f.address < f.heapEnd;
  bool inSandbox = inStackGuard || inOwnHeap || f.addressInOtherHeap;

  if (!f.pcInGuestCode) {
    // Host code (a host function, WASI, a runtime service) runs on the
    // guest's stack and reads guest memory through checked views: faulting
    // on either means a check is missing. Anything else is the embedder's
    // business.
    if (memoryFault && inStackGuard)
      return bug("host code ran into the guest stack's guard (it was entered without the stack "
                 "headroom host calls require)");
    if (memoryFault && inSandbox) return bug("host code accessed guest memory out of bounds");
    return {};
  }
  switch (f.signo) {
  case SIGSEGV:
  case SIGBUS:
    if (inStackGuard) return trap(abi::TrapCode::StackOverflow);
    if (inOwnHeap)
      return f.address >= f.heapAccessibleEnd
                 ? trap(abi::TrapCode::OutOfBounds)
                 : bug("guest code faulted inside the accessible part of its memory");
    if (f.addressInOtherHeap) return trap(abi::TrapCode::OutOfBounds);
    return bug("guest code faulted outside its memory and stack guard");
  case SIGFPE:
    return bug("guest code raised SIGFPE, but division traps are explicit checks");
  case SIGILL:
    return bug("guest code executed an illegal instruction, but traps are explicit calls");
  default:
    return {};
  }
}

} // namespace lucet::rt
