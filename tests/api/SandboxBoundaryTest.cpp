// Where host code meets the sandbox: host functions run on the guest's stack
// and see guest memory. A guest that leaves too little stack gets a trap
// before the host function runs (so the host's destructors all run), and host
// code that touches guest memory unchecked is a bug that aborts loudly; it
// never passes as a guest trap.
#include "GuestBuilder.h"

#include "lucet/compile.hh"
#include "lucet/lucet.hh"

#include <gtest/gtest.h>

#include <atomic>

namespace {

using lucet::test::GuestBuilder;

// Recurses forever, calling the host at every level.
constexpr const char *DeepHostCallsGuest = R"(
(module
  (import "env" "deep" (func $deep))
  (memory (export "memory") 1)
  (func $recurse (export "recurse") (param i32) (result i32)
    call $deep
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
)";

constexpr const char *PeekGuest = R"(
(module
  (import "env" "peek" (func $peek (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "peek") (param i32) (result i32) (call $peek (local.get 0))))
)";

std::atomic<int> made{0}, destroyed{0};

struct Counted {
  Counted() { ++made; }
  ~Counted() { ++destroyed; }
  Counted(const Counted &) = delete;
  Counted &operator=(const Counted &) = delete;
};

lucet::InstanceOptions smallStack() {
  lucet::InstanceOptions options;
  options.limits.heapSize = 1 << 20;
  options.limits.stackSize = 256 << 10;
  return options;
}

lucet::Module load(GuestBuilder &builder, const char *wat) {
  auto module = lucet::Module::load(builder.build(wat));
  EXPECT_TRUE(module) << (module ? "" : module.error().message());
  return std::move(module).value();
}

// The host function needs far more stack than a guest frame, so without the
// headroom check it would be what runs into the guard, and the trap would
// unwind past its destructor.
TEST(SandboxBoundary, GuestThatExhaustsTheStackCannotStrandHostFrames) {
  GuestBuilder builder;
  lucet::Module module = load(builder, DeepHostCallsGuest);
  lucet::Linker linker;
  ASSERT_TRUE(linker.func("env", "deep", [](lucet::Caller &) {
    Counted counted;
    volatile char frame[24 * 1024];
    for (size_t i = 0; i < sizeof frame; i += 256) frame[i] = char(i);
    (void)frame[7];
  }));
  made = destroyed = 0;
  for (int round = 0; round < 3; ++round) {
    auto instance = lucet::Instance::create(module, linker, smallStack());
    ASSERT_TRUE(instance) << instance.error().message();
    auto result = instance->run("recurse", {lucet::Val(0)});
    ASSERT_TRUE(result) << result.error().message();
    ASSERT_TRUE(result->trapped());
    EXPECT_EQ(result->trap.kind, lucet::TrapKind::StackOverflow);
  }
  EXPECT_GT(made.load(), 100);
  EXPECT_EQ(made.load(), destroyed.load());
}

using SandboxBoundaryDeathTest = ::testing::Test;

// A host function reading past the accessible memory through a raw pointer
// (a missing bounds check) faults in the guest's reservation: the runtime
// must not report that as the guest's out-of-bounds trap.
TEST(SandboxBoundaryDeathTest, HostFaultInGuestMemoryAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  GuestBuilder builder;
  lucet::Module module = load(builder, PeekGuest);
  lucet::Linker linker;
  ASSERT_TRUE(linker.func("env", "peek", [](lucet::Caller &caller, uint32_t offset) -> int32_t {
    auto first = caller.slice(0, 1);
    if (!first) return -1;
    // Deliberately unchecked.
    return static_cast<volatile uint8_t *>(first->data())[offset];
  }));
  auto instance = lucet::Instance::create(module, linker, smallStack());
  ASSERT_TRUE(instance) << instance.error().message();
  auto inBounds = instance->run("peek", {lucet::Val(100)});
  ASSERT_TRUE(inBounds && inBounds->returned());
  EXPECT_DEATH((void)instance->run("peek", {lucet::Val(1 << 20)}),
               "lucet runtime: fatal: SIGSEGV .*host code.*host code accessed guest memory out "
               "of bounds");
}

} // namespace
