// WebAssembly 3.0 exceptions and tail calls through the public API: what an
// embedder sees when an exception leaves the guest, that exception objects
// do not pile up, and that tail calls run in constant stack, also through
// tables and into host functions.
#include "GuestBuilder.h"

#include "lucet/lucet.hh"

#include <gtest/gtest.h>

#include <malloc.h>

namespace {

using lucet::test::GuestBuilder;
using lucet::test::smallOptions;

constexpr const char *ExceptionGuest = R"((module
  (tag $oops (export "oops") (param i32))
  (tag $quiet)
  (func $raise (param i32) (throw $oops (local.get 0)))
  (func (export "uncaught") (param i32) (call $raise (local.get 0)))
  (func (export "uncaught_quiet") (throw $quiet))
  ;; Throws and catches n times; returns the sum of the payloads.
  (func (export "catch_loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $again
      (block $caught (result i32)
        (try_table (catch $oops $caught) (call $raise (local.get $n)))
        (unreachable))
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
  ;; The same with the legacy instructions, rethrowing once per round.
  (func (export "legacy_loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $again
      (try
        (do
          (try (do (call $raise (local.get $n)))
               (catch_all (rethrow 0))))
        (catch $oops (local.set $sum (i32.add (local.get $sum)))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
  ;; A held legacy catch (rethrow names it): recaught inside its handler,
  ;; then left by a branch, by its end, or by rethrowing it.
  (func (export "legacy_nested") (param $n i32) (result i32)
    (local $sum i32) (local $v i32)
    (loop $again
      (block $next
        (try
          (do
            (try
              (do (call $raise (local.get $n)))
              (catch $oops
                (local.set $v)
                (try (do (rethrow 1)) (catch $oops (drop)))
                (if (i32.eqz (i32.rem_u (local.get $v) (i32.const 3)))
                  (then
                    (local.set $sum (i32.add (local.get $sum) (local.get $v)))
                    (br $next)))
                (if (i32.and (local.get $v) (i32.const 1))
                  (then (local.set $sum (i32.add (local.get $sum) (local.get $v))))
                  (else (rethrow 1))))))
          (catch $oops (local.set $sum (i32.add (local.get $sum))))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
  ;; Keeps each exception as an exnref (and drops it): they live until reset.
  (func (export "keep_loop") (param $n i32)
    (loop $again
      (block $caught (result exnref)
        (try_table (catch_all_ref $caught) (call $raise (local.get $n)))
        (unreachable))
      (drop)
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
)";

constexpr const char *TailCallGuest = R"((module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (type $pred (func (param i64) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $even_indirect $odd_indirect)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (func $even_indirect (export "even_indirect") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  (func $odd_indirect (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  ;; Ordinary recursion still exhausts the stack.
  (func $deep (export "deep") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (i64.add (i64.const 1) (call $deep (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "add_tail") (param i32 i32) (result i32)
    (return_call $add (local.get 0) (local.get 1))))
)";

class ExceptionsAndTailCallsTest : public ::testing::Test {
protected:
  lucet::Module load(const char *wat) { return builder_.load(wat); }

  static size_t heapInUse() { return mallinfo2().uordblks; }

  GuestBuilder builder_;
};

TEST_F(ExceptionsAndTailCallsTest, UncaughtExceptionIsATrapNamingTheTag) {
  lucet::Module module = load(ExceptionGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  auto outcome = instance->run("uncaught", {lucet::Val(int32_t(7))});
  ASSERT_TRUE(outcome) << outcome.error().message();
  ASSERT_TRUE(outcome->trapped());
  EXPECT_EQ(outcome->trap.kind, lucet::TrapKind::UncaughtException);
  EXPECT_EQ(outcome->trap.message, "tag \"oops\"");
  EXPECT_NE(outcome->trap.describe().find("uncaught exception: tag \"oops\""), std::string::npos);

  // A tag the module does not export is named by its index.
  auto quiet = instance->run("uncaught_quiet");
  ASSERT_TRUE(quiet && quiet->trapped());
  EXPECT_EQ(quiet->trap.kind, lucet::TrapKind::UncaughtException);
  EXPECT_EQ(quiet->trap.message, "tag tag[1]");

  // The instance stays usable.
  auto sum = instance->run("catch_loop", {lucet::Val(int32_t(10))});
  ASSERT_TRUE(sum && !sum->trapped());
  EXPECT_EQ(sum->values.at(0).i32(), 55);
}

TEST_F(ExceptionsAndTailCallsTest, CaughtExceptionsAreFreed) {
  lucet::Module module = load(ExceptionGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  constexpr int32_t Rounds = 100000;
  for (const char *name : {"catch_loop", "legacy_loop", "legacy_nested"}) {
    // Warm up, then measure: each object is about 100 bytes, so keeping
    // them would grow the heap by about 10 MB.
    ASSERT_TRUE(instance->run(name, {lucet::Val(int32_t(100))}));
    size_t before = heapInUse();
    auto outcome = instance->run(name, {lucet::Val(Rounds)});
    ASSERT_TRUE(outcome && !outcome->trapped()) << name;
    EXPECT_EQ(uint32_t(outcome->values.at(0).i32()), uint32_t(int64_t(Rounds) * (Rounds + 1) / 2))
        << name;
    EXPECT_LT(heapInUse(), before + (1u << 20)) << name;
  }
}

TEST_F(ExceptionsAndTailCallsTest, ExnrefsLiveUntilTheInstanceIsReset) {
  lucet::Module module = load(ExceptionGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  size_t before = heapInUse();
  auto outcome = instance->run("keep_loop", {lucet::Val(int32_t(20000))});
  ASSERT_TRUE(outcome && !outcome->trapped());
  size_t kept = heapInUse();
  if (kept == 0) GTEST_SKIP() << "mallinfo2 does not see this allocator (sanitizer build)";
  EXPECT_GT(kept, before + 20000 * 64);
  ASSERT_TRUE(instance->reset());
  EXPECT_LT(heapInUse(), before + (256u << 10));
}

TEST_F(ExceptionsAndTailCallsTest, TailCallsRunInConstantStack) {
  lucet::Module module = load(TailCallGuest);
  lucet::Linker linker;
  ASSERT_TRUE(linker.func("env", "add", [](int32_t a, int32_t b) { return a + b; }));
  auto instance = lucet::Instance::create(module, linker, smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  // 256 KiB of stack holds a few thousand frames; these chains are 10^7
  // and 10^6 calls deep.
  auto even = instance->run("even", {lucet::Val(int64_t(10'000'001))});
  ASSERT_TRUE(even && !even->trapped()) << (even ? even->trap.describe() : "");
  EXPECT_EQ(even->values.at(0).i32(), 0);
  auto indirect = instance->run("even_indirect", {lucet::Val(int64_t(1'000'000))});
  ASSERT_TRUE(indirect && !indirect->trapped()) << (indirect ? indirect->trap.describe() : "");
  EXPECT_EQ(indirect->values.at(0).i32(), 1);
  // A tail call into a host function.
  auto added = instance->run("add_tail", {lucet::Val(int32_t(40)), lucet::Val(int32_t(2))});
  ASSERT_TRUE(added && !added->trapped());
  EXPECT_EQ(added->values.at(0).i32(), 42);
  // Ordinary calls are not turned into tail calls.
  auto deep = instance->run("deep", {lucet::Val(int64_t(1'000'000))});
  ASSERT_TRUE(deep);
  ASSERT_TRUE(deep->trapped());
  EXPECT_EQ(deep->trap.kind, lucet::TrapKind::StackOverflow);
}

} // namespace
