#include "runtime/FaultClassifier.h"

#include <gtest/gtest.h>

#include <csignal>

namespace lucet::rt {
namespace {

// A call whose stack guard is [0x1000, 0x2000) and whose memory reserves
// [0x100000, 0x900000) with 0x10000 bytes accessible.
FaultFacts facts(int signo, uintptr_t address, bool inGuestCode) {
  FaultFacts f;
  f.signo = signo;
  f.address = address;
  f.pcInGuestCode = inGuestCode;
  f.stackGuardBegin = 0x1000;
  f.stackGuardEnd = 0x2000;
  f.heapBegin = 0x100000;
  f.heapAccessibleEnd = 0x110000;
  f.heapEnd = 0x900000;
  return f;
}

TEST(FaultClassifier, GuestFaultsAtTrapSitesAreTraps) {
  auto guardHit = classifyFault(facts(SIGSEGV, 0x1ff8, true));
  EXPECT_EQ(guardHit.verdict, FaultVerdict::GuestTrap);
  EXPECT_EQ(guardHit.code, abi::TrapCode::StackOverflow);
  for (uintptr_t address : {uintptr_t(0x110000), uintptr_t(0x8fffff)}) {
    auto heapHit = classifyFault(facts(SIGSEGV, address, true));
    EXPECT_EQ(heapHit.verdict, FaultVerdict::GuestTrap);
    EXPECT_EQ(heapHit.code, abi::TrapCode::OutOfBounds);
  }
  auto bus = classifyFault(facts(SIGBUS, 0x200000, true));
  EXPECT_EQ(bus.code, abi::TrapCode::OutOfBounds);
  // Another instance's memory, reached through an imported function.
  FaultFacts other = facts(SIGSEGV, 0x7f0000000000, true);
  other.addressInOtherHeap = true;
  EXPECT_EQ(classifyFault(other).code, abi::TrapCode::OutOfBounds);
}

TEST(FaultClassifier, GuestFaultsElsewhereAreRuntimeBugs) {
  // Outside the memory and the stack guard: a wild pointer in generated code.
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x10, true)).verdict, FaultVerdict::RuntimeBug);
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x900000, true)).verdict, FaultVerdict::RuntimeBug);
  // Inside the accessible part, which can never fault.
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x10ffff, true)).verdict, FaultVerdict::RuntimeBug);
  // Division and unreachable are explicit checks, never hardware traps.
  EXPECT_EQ(classifyFault(facts(SIGFPE, 0, true)).verdict, FaultVerdict::RuntimeBug);
  EXPECT_EQ(classifyFault(facts(SIGILL, 0, true)).verdict, FaultVerdict::RuntimeBug);
}

TEST(FaultClassifier, HostFaultsInTheSandboxAreRuntimeBugs) {
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x1800, false)).verdict, FaultVerdict::RuntimeBug);
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x120000, false)).verdict, FaultVerdict::RuntimeBug);
  FaultFacts other = facts(SIGBUS, 0x7f0000000000, false);
  other.addressInOtherHeap = true;
  EXPECT_EQ(classifyFault(other).verdict, FaultVerdict::RuntimeBug);
}

TEST(FaultClassifier, HostFaultsElsewhereAreNotOurs) {
  EXPECT_EQ(classifyFault(facts(SIGSEGV, 0x10, false)).verdict, FaultVerdict::NotOurs);
  EXPECT_EQ(classifyFault(facts(SIGFPE, 0, false)).verdict, FaultVerdict::NotOurs);
  EXPECT_EQ(classifyFault(facts(SIGILL, 0, false)).verdict, FaultVerdict::NotOurs);
}

} // namespace
} // namespace lucet::rt
