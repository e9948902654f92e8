// Pooled instances (regions), reset, the kill switch and deadlines, and
// exported globals, through the public C++ API.
#include "GuestBuilder.h"

#include "lucet/lucet.hh"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

namespace {

using lucet::test::GuestBuilder;
using lucet::test::smallLimits;
using namespace std::chrono_literals;

// Two pages of memory with "lucet" at 1024 and 64 KiB of 0xAB at 65536, a
// counter global, and functions that change both.
constexpr const char *StatefulGuest = R"((module
  (memory (export "memory") 2)
  (data (i32.const 1024) "lucet")
  (data (i32.const 65536) "%%FILL%%")
  (global $counter (export "counter") (mut i32) (i32.const 7))
  (global (export "fixed") i64 (i64.const -5))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i32.store8 (i32.const 1024) (i32.const 88))
    (i32.store (i32.const 70000) (i32.const 0))
    (i32.store (i32.const 4096) (i32.const 99))
    (global.get $counter))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow") (result i32) (memory.grow (i32.const 3)))
  (func (export "size") (result i32) (memory.size))
  (func (export "compute") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1)))
  (func (export "crash") (result i32) (i32.load (i32.const -4))))
)";

constexpr const char *LoopGuest = R"((module
  (import "env" "pause" (func $pause))
  (memory 1)
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_calls") (loop $l (call $pause) (br $l)))
  (func (export "quick") (result i32) (i32.const 5)))
)";

std::string fill(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += "\\ab";
  return s;
}

class RegionTest : public ::testing::Test {
protected:
  lucet::Module load(std::string wat) {
    if (auto at = wat.find("%%FILL%%"); at != std::string::npos)
      wat.replace(at, 8, fill(64 * 1024));
    return builder_.load(wat);
  }

  static lucet::InstanceOptions inRegion(const lucet::Region &region) {
    lucet::InstanceOptions options;
    options.region = region;
    return options;
  }

  GuestBuilder builder_;
};

TEST_F(RegionTest, SlotsAreTakenAndGivenBack) {
  lucet::Module module = load(StatefulGuest);
  auto region = lucet::Region::create(smallLimits(), 2);
  ASSERT_TRUE(region) << region.error().message();
  EXPECT_EQ(region->capacity(), 2u);
  EXPECT_EQ(region->slotsInUse(), 0u);
  {
    auto a = lucet::Instance::create(module, inRegion(*region));
    auto b = lucet::Instance::create(module, inRegion(*region));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(region->slotsInUse(), 2u);
    auto c = lucet::Instance::create(module, inRegion(*region));
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message().find("all 2 slots"), std::string::npos) << c.error().message();
  }
  EXPECT_EQ(region->slotsInUse(), 0u);
  EXPECT_TRUE(lucet::Instance::create(module, inRegion(*region)));
}

TEST_F(RegionTest, ANewInstanceInAUsedSlotSeesInitialMemory) {
  lucet::Module module = load(StatefulGuest);
  auto region = lucet::Region::create(smallLimits(), 1);
  ASSERT_TRUE(region);
  for (int round = 0; round < 3; ++round) {
    auto instance = lucet::Instance::create(module, inRegion(*region));
    ASSERT_TRUE(instance) << instance.error().message();
    std::span<uint8_t> memory = instance->memory();
    ASSERT_EQ(memory.size(), 2u * 65536);
    EXPECT_EQ(std::memcmp(memory.data() + 1024, "lucet", 5), 0) << "round " << round;
    EXPECT_EQ(memory[65536], 0xab);
    EXPECT_EQ(memory[65536 + 65535], 0xab);
    EXPECT_EQ(memory[4096], 0) << "round " << round;
    EXPECT_EQ(instance->global("counter")->i32(), 7);
    auto bumped = instance->run("bump");
    ASSERT_TRUE(bumped && bumped->returned());
    EXPECT_EQ(bumped->values[0].i32(), 8);
    EXPECT_EQ(memory[1024], 88);
    EXPECT_EQ(instance->run("grow")->values[0].i32(), 2);
    EXPECT_EQ(instance->run("size")->values[0].i32(), 5);
    instance->memory()[4 * 65536 + 10] = 1; // a grown page, dirtied
  }
}

TEST_F(RegionTest, ResetRestoresMemoryGlobalsAndSize) {
  lucet::Module module = load(StatefulGuest);
  auto region = lucet::Region::create(smallLimits(), 1);
  ASSERT_TRUE(region);
  lucet::InstanceOptions standalone;
  standalone.limits = smallLimits();
  for (const auto &options : {inRegion(*region), standalone}) {
    auto instance = lucet::Instance::create(module, options);
    ASSERT_TRUE(instance);
    ASSERT_EQ(instance->run("bump")->values[0].i32(), 8);
    ASSERT_TRUE(instance->setGlobal("counter", lucet::Val(int32_t(100))));
    ASSERT_EQ(instance->run("grow")->values[0].i32(), 2);
    ASSERT_TRUE(instance->reset());
    EXPECT_EQ(instance->global("counter")->i32(), 7);
    EXPECT_EQ(instance->run("size")->values[0].i32(), 2);
    EXPECT_EQ(instance->run("peek", {lucet::Val(1024)})->values[0].i32(), 'l');
    EXPECT_EQ(instance->run("peek", {lucet::Val(4096)})->values[0].i32(), 0);
    EXPECT_EQ(instance->run("peek", {lucet::Val(70000)})->values[0].i32(), 0xab);
    EXPECT_EQ(instance->run("bump")->values[0].i32(), 8);
  }
}

TEST_F(RegionTest, GlobalsAreReadAndCheckedWhenSet) {
  lucet::Module module = load(StatefulGuest);
  lucet::InstanceOptions options;
  options.limits = smallLimits();
  auto instance = lucet::Instance::create(module, options);
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->global("fixed")->i64(), -5);
  EXPECT_FALSE(instance->global("nothing"));
  EXPECT_FALSE(instance->global("bump")); // a function, not a global
  auto immutable = instance->setGlobal("fixed", lucet::Val(int64_t(1)));
  ASSERT_FALSE(immutable);
  EXPECT_NE(immutable.error().message().find("immutable"), std::string::npos);
  auto wrongType = instance->setGlobal("counter", lucet::Val(int64_t(1)));
  ASSERT_FALSE(wrongType);
  EXPECT_NE(wrongType.error().message().find("i32"), std::string::npos);
  ASSERT_TRUE(instance->setGlobal("counter", lucet::Val(int32_t(41))));
  EXPECT_EQ(instance->run("bump")->values[0].i32(), 42);
}

TEST_F(RegionTest, ATrapInOneInstanceLeavesTheOthersIntact) {
  lucet::Module module = load(StatefulGuest);
  auto region = lucet::Region::create(smallLimits(), 3);
  ASSERT_TRUE(region);
  auto a = lucet::Instance::create(module, inRegion(*region));
  auto b = lucet::Instance::create(module, inRegion(*region));
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->run("bump")->values[0].i32(), 8);
  auto crashed = b->run("crash");
  ASSERT_TRUE(crashed && crashed->trapped());
  EXPECT_EQ(crashed->trap.kind, lucet::TrapKind::OutOfBounds);
  EXPECT_EQ(a->run("bump")->values[0].i32(), 9);
  EXPECT_EQ(b->run("compute", {lucet::Val(6)})->values[0].i32(), 37);
}

TEST_F(RegionTest, TwoThreadsRunAThousandInstancesEach) {
  lucet::Module module = load(StatefulGuest);
  auto region = lucet::Region::create(smallLimits(), 4);
  ASSERT_TRUE(region);
  std::atomic<int> good = 0, trapped = 0;
  auto work = [&](int thread) {
    for (int i = 0; i < 1000; ++i) {
      auto instance = lucet::Instance::create(module, inRegion(*region));
      if (!instance) continue;
      if (i % 100 == 99) {
        auto r = instance->run("crash");
        if (r && r->trapped()) ++trapped;
        continue;
      }
      int32_t n = thread * 1000 + i;
      auto r = instance->run("compute", {lucet::Val(n)});
      auto bumped = instance->run("bump");
      if (r && r->returned() && r->values[0].i32() == n * n + 1 && bumped &&
          bumped->values[0].i32() == 8)
        ++good;
    }
  };
  std::thread first(work, 0), second(work, 1);
  first.join();
  second.join();
  EXPECT_EQ(good, 2 * 990);
  EXPECT_EQ(trapped, 2 * 10);
  EXPECT_EQ(region->slotsInUse(), 0u);
}

class KillSwitchTest : public RegionTest {
protected:
  void SetUp() override {
    module_ = std::make_unique<lucet::Module>(load(LoopGuest));
    ASSERT_TRUE(linker_.func("env", "pause", [this] {
      ++pauses_;
      std::this_thread::sleep_for(1ms);
    }));
    lucet::InstanceOptions options;
    options.limits = smallLimits();
    auto instance = lucet::Instance::create(*module_, linker_, options);
    ASSERT_TRUE(instance) << instance.error().message();
    instance_ = std::make_unique<lucet::Instance>(std::move(*instance));
  }

  std::unique_ptr<lucet::Module> module_;
  lucet::Linker linker_;
  std::atomic<int> pauses_ = 0;
  std::unique_ptr<lucet::Instance> instance_;
};

TEST_F(KillSwitchTest, TerminateStopsAnInfiniteLoopFromAnotherThread) {
  lucet::InterruptHandle handle = instance_->interruptHandle();
  auto start = std::chrono::steady_clock::now();
  std::thread killer([&] {
    std::this_thread::sleep_for(50ms);
    handle.terminate();
  });
  auto outcome = instance_->run("spin");
  auto elapsed = std::chrono::steady_clock::now() - start;
  killer.join();
  ASSERT_TRUE(outcome && outcome->trapped());
  EXPECT_EQ(outcome->trap.kind, lucet::TrapKind::Interrupted);
  EXPECT_EQ(outcome->trap.function, "spin");
  EXPECT_LT(elapsed, 5s);
  // The instance is still usable, and the request was used up.
  auto next = instance_->run("quick");
  ASSERT_TRUE(next && next->returned());
  EXPECT_EQ(next->values[0].i32(), 5);
}

TEST_F(KillSwitchTest, TerminateWaitsForTheHostFunctionToReturn) {
  lucet::InterruptHandle handle = instance_->interruptHandle();
  std::thread killer([&] {
    while (pauses_ < 3) std::this_thread::sleep_for(1ms);
    handle.terminate();
  });
  auto outcome = instance_->run("spin_calls");
  killer.join();
  ASSERT_TRUE(outcome && outcome->trapped());
  EXPECT_EQ(outcome->trap.kind, lucet::TrapKind::Interrupted);
  EXPECT_GE(pauses_, 3);
}

TEST_F(KillSwitchTest, TerminateBeforeARunStopsTheNextOne) {
  instance_->interruptHandle().terminate();
  auto stopped = instance_->run("quick");
  ASSERT_TRUE(stopped && stopped->trapped());
  EXPECT_EQ(stopped->trap.kind, lucet::TrapKind::Interrupted);
  auto next = instance_->run("quick");
  ASSERT_TRUE(next && next->returned());
}

TEST_F(KillSwitchTest, AHandleOutlivesItsInstance) {
  lucet::InterruptHandle handle = instance_->interruptHandle();
  instance_.reset();
  handle.terminate(); // nothing to stop, and nothing breaks
  SUCCEED();
}

TEST_F(KillSwitchTest, ADeadlineStopsARunAndSparesAQuickOne) {
  auto start = std::chrono::steady_clock::now();
  auto outcome = instance_->run("spin", {}, 30ms);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(outcome && outcome->trapped());
  EXPECT_EQ(outcome->trap.kind, lucet::TrapKind::Interrupted);
  EXPECT_GE(elapsed, 30ms);
  EXPECT_LT(elapsed, 5s);
  auto calls = instance_->run("spin_calls", {}, 30ms);
  ASSERT_TRUE(calls && calls->trapped());
  EXPECT_EQ(calls->trap.kind, lucet::TrapKind::Interrupted);
  auto quick = instance_->run("quick", {}, 10s);
  ASSERT_TRUE(quick && quick->returned());
  // The timer of a finished run must not hit a later run without one.
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(instance_->run("quick")->returned());
}

// Tables live in host memory, so they count against the instance's limits.
TEST_F(RegionTest, TablesCountAgainstTheInstanceLimits) {
  // Four tables of 10M elements would take 320 MB whatever the heap limit.
  lucet::Module huge = load(R"((module
    (table 10000000 funcref) (table 10000000 funcref)
    (table 10000000 funcref) (table 10000000 funcref)))");
  lucet::InstanceOptions options;
  options.limits = smallLimits();
  auto refused = lucet::Instance::create(huge, options);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find(
                "table 1 needs 10000000 elements, more than the instance's tables may still have "
                "(the limit is 10000000 elements for all its tables together)"),
            std::string::npos)
      << refused.error().message();

  lucet::Module growable = load(R"((module
    (table $t 10 funcref)
    (func (export "grow") (param i32) (result i32)
      (table.grow $t (ref.null func) (local.get 0)))))");
  options.limits.tableElements = 100;
  auto instance = lucet::Instance::create(growable, options);
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ(instance->run("grow", {lucet::Val(int32_t(91))})->values[0].i32(), -1);
  EXPECT_EQ(instance->run("grow", {lucet::Val(int32_t(90))})->values[0].i32(), 10);
  EXPECT_EQ(instance->run("grow", {lucet::Val(int32_t(1))})->values[0].i32(), -1);

  // In a region, the region's limits apply.
  lucet::InstanceLimits tiny = smallLimits();
  tiny.tableElements = 5;
  auto region = lucet::Region::create(tiny, 1);
  ASSERT_TRUE(region) << region.error().message();
  auto inSlot = lucet::Instance::create(growable, inRegion(*region));
  ASSERT_FALSE(inSlot);
  EXPECT_NE(inSlot.error().message().find("table 0 needs 10 elements, the limit is 5 elements "
                                          "per table"),
            std::string::npos)
      << inSlot.error().message();
}

TEST_F(RegionTest, AbsurdSlotCountIsRefused) {
  auto region = lucet::Region::create(smallLimits(), 500'000'000);
  ASSERT_FALSE(region);
  EXPECT_NE(region.error().message().find("at most 100000"), std::string::npos)
      << region.error().message();
}

} // namespace
