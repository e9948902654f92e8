// Wasm exceptions crossing host frames through the C++ API: a host function
// throws (Caller::throwException) a tag of the host's or of the guest's, and
// the guest catches it as one of its own, with try_table or the legacy
// instructions, through guest frames in between; one nobody catches is an
// UncaughtException trap naming the tag.
#include "GuestBuilder.h"

#include "lucet/lucet.hh"

#include <gtest/gtest.h>

#include <malloc.h>
#include <memory>

namespace {

using lucet::test::GuestBuilder;
using lucet::test::smallOptions;

constexpr const char *HostThrowGuest = R"((module
  (import "env" "boom" (tag $boom (param i32 i64)))
  (import "env" "fail" (func $fail (param i32)))
  (tag $own (export "own") (param f64))
  (export "boom" (tag $boom))
  ;; fail(x) in a try_table, two guest frames down: returns i32 + i64 of
  ;; what it caught, or -1 when fail returned.
  (func $middle (param i32) (call $fail (local.get 0)))
  (func $outer (param i32) (call $middle (local.get 0)))
  (func (export "catch_boom") (param i32) (result i64)
    (local $wide i64)
    (block $caught (result i32 i64)
      (try_table (catch $boom $caught) (call $outer (local.get 0)))
      (return (i64.const -1)))
    (local.set $wide)
    (i64.add (i64.extend_i32_u) (local.get $wide)))
  ;; The same with legacy try/catch.
  (func (export "legacy_catch_boom") (param i32) (result i64)
    (local $wide i64)
    (try (result i64)
      (do (call $outer (local.get 0)) (i64.const -1))
      (catch $boom
        (local.set $wide)
        (i64.add (i64.extend_i32_u) (local.get $wide)))))
  ;; Catches the guest's own tag; 1.0 less than the payload, or -1.
  (func (export "catch_own") (param i32) (result f64)
    (block $caught (result f64)
      (try_table (catch $own $caught) (call $outer (local.get 0)))
      (return (f64.const -1)))
    (f64.sub (f64.const 1)))
  ;; Catches anything: 1 when something was thrown.
  (func (export "catch_all") (param i32) (result i32)
    (block $caught
      (try_table (catch_all $caught) (call $outer (local.get 0)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "uncaught") (param i32) (call $outer (local.get 0)))
  ;; Catches n host throws; returns the sum of their i32 payloads.
  (func (export "catch_loop") (param $n i32) (result i64)
    (local $sum i64)
    (loop $again
      (block $caught (result i32 i64)
        (try_table (catch $boom $caught) (call $fail (local.get $n)))
        (unreachable))
      (drop)
      (local.set $sum (i64.add (i64.extend_i32_u) (local.get $sum)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
))";

// Counts the objects a host function made and destroyed.
struct Counted {
  explicit Counted(int &destroyed) : destroyed_(destroyed) {}
  ~Counted() { ++destroyed_; }
  int &destroyed_;
};

class HostExceptionsTest : public ::testing::Test {
protected:
  // What fail(x) throws.
  enum class Throws { Nothing, Boom, Own, Stranger, WrongTypes };

  void SetUp() override {
    module_ = builder_.load(HostThrowGuest);
    auto defined = linker_.func("env", "fail", [this](lucet::Caller &caller, int32_t x) {
      auto counted = std::make_shared<Counted>(destroyed_);
      switch (throws_) {
      case Throws::Nothing:
        break;
      case Throws::Boom:
        caller.throwException(boom_, {lucet::Val(x), lucet::Val(int64_t(x) * 1000)});
        break;
      case Throws::Own:
        caller.throwException(*own_, {lucet::Val(double(x) + 0.5)});
        break;
      case Throws::Stranger:
        caller.throwException(stranger_, {});
        break;
      case Throws::WrongTypes:
        caller.throwException(boom_, {lucet::Val(1.5)});
        break;
      }
    });
    ASSERT_TRUE(defined) << defined.error().message();
    ASSERT_TRUE(linker_.defineTag("env", "boom", boom_));
    auto instance = lucet::Instance::create(*module_, linker_, smallOptions());
    ASSERT_TRUE(instance) << instance.error().message();
    instance_ = std::make_unique<lucet::Instance>(std::move(*instance));
    own_ = instance_->tag("own");
    ASSERT_TRUE(own_);
  }

  static void expectUncaught(const lucet::Outcome &outcome, const char *tag) {
    ASSERT_TRUE(outcome.trapped());
    EXPECT_EQ(outcome.trap.kind, lucet::TrapKind::UncaughtException);
    EXPECT_EQ(outcome.trap.message, "tag \"" + std::string(tag) + "\"");
  }

  lucet::Outcome run(const char *name, Throws throws, int32_t arg) {
    throws_ = throws;
    auto outcome = instance_->run(name, {lucet::Val(arg)});
    EXPECT_TRUE(outcome) << outcome.error().message();
    return outcome ? *outcome : lucet::Outcome{};
  }

  GuestBuilder builder_;
  std::optional<lucet::Module> module_;
  lucet::Linker linker_;
  lucet::Tag boom_ = lucet::Tag::create("boom", {lucet::ValType::I32, lucet::ValType::I64});
  lucet::Tag stranger_ = lucet::Tag::create("stranger", {});
  std::optional<lucet::Tag> own_;
  std::unique_ptr<lucet::Instance> instance_;
  Throws throws_ = Throws::Nothing;
  int destroyed_ = 0;
};

TEST_F(HostExceptionsTest, GuestCatchesWhatAHostFunctionThrows) {
  auto caught = run("catch_boom", Throws::Boom, 6);
  ASSERT_TRUE(caught.returned()) << caught.trap.describe();
  EXPECT_EQ(caught.values.at(0).i64(), 6 + 6000);
  auto legacy = run("legacy_catch_boom", Throws::Boom, 11);
  ASSERT_TRUE(legacy.returned()) << legacy.trap.describe();
  EXPECT_EQ(legacy.values.at(0).i64(), 11 + 11000);
  // Nothing thrown: the call returns normally.
  auto quiet = run("catch_boom", Throws::Nothing, 5);
  ASSERT_TRUE(quiet.returned());
  EXPECT_EQ(quiet.values.at(0).i64(), -1);
  // The host function's own objects were destroyed each time.
  EXPECT_EQ(destroyed_, 3);
}

TEST_F(HostExceptionsTest, HostThrowsTheGuestsOwnTag) {
  auto caught = run("catch_own", Throws::Own, 7);
  ASSERT_TRUE(caught.returned()) << caught.trap.describe();
  EXPECT_EQ(caught.values.at(0).f64(), 6.5);
  // boom is not the guest's own tag: catch $own lets it pass.
  auto other = run("catch_own", Throws::Boom, 1);
  expectUncaught(other, "boom");
}

TEST_F(HostExceptionsTest, ATagTheGuestDoesNotKnowIsCaughtOnlyByCatchAll) {
  auto all = run("catch_all", Throws::Stranger, 3);
  ASSERT_TRUE(all.returned()) << all.trap.describe();
  EXPECT_EQ(all.values.at(0).i32(), 1);
  auto notBoom = run("catch_boom", Throws::Stranger, 8);
  expectUncaught(notBoom, "stranger");
}

TEST_F(HostExceptionsTest, UncaughtIsATrapAndTheInstanceStaysUsable) {
  auto uncaught = run("uncaught", Throws::Boom, 1);
  expectUncaught(uncaught, "boom");
  auto again = run("catch_boom", Throws::Boom, 21);
  ASSERT_TRUE(again.returned());
  EXPECT_EQ(again.values.at(0).i64(), 21 + 21000);
  ASSERT_TRUE(instance_->reset());
  auto afterReset = run("catch_all", Throws::Stranger, 3);
  ASSERT_TRUE(afterReset.returned());
  EXPECT_EQ(afterReset.values.at(0).i32(), 1);
}

TEST_F(HostExceptionsTest, ValuesOfTheWrongTypesAreAHostError) {
  auto wrong = run("catch_all", Throws::WrongTypes, 4);
  ASSERT_TRUE(wrong.trapped());
  EXPECT_EQ(wrong.trap.kind, lucet::TrapKind::HostError);
  EXPECT_EQ(wrong.trap.message,
            "throwException: tag \"boom\" takes (i32, i64) -> (), not (f64) -> ()");
}

TEST_F(HostExceptionsTest, TagsAreGenerativeAndKeepTheirIdentityThroughExports) {
  EXPECT_FALSE(lucet::Tag::create("boom", {lucet::ValType::I32, lucet::ValType::I64}) == boom_);
  EXPECT_TRUE(boom_ == boom_);
  // The guest re-exports the tag it imported: the same tag.
  std::optional<lucet::Tag> exported = instance_->tag("boom");
  ASSERT_TRUE(exported);
  EXPECT_TRUE(*exported == boom_);
  EXPECT_FALSE(*own_ == boom_);
  EXPECT_EQ(own_->params(), std::vector<lucet::ValType>{lucet::ValType::F64});
  EXPECT_FALSE(instance_->tag("catch_boom")); // a function, not a tag
  EXPECT_FALSE(instance_->tag("missing"));
}

TEST_F(HostExceptionsTest, AnImportedTagMustBeDefinedWithItsTypes) {
  lucet::Linker linker = linker_;
  ASSERT_TRUE(linker.defineTag("env", "boom", lucet::Tag::create("boom", {lucet::ValType::I32})));
  auto refused = lucet::Instance::create(*module_, linker, smallOptions());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("env.boom"), std::string::npos)
      << refused.error().message();
}

TEST_F(HostExceptionsTest, CaughtHostExceptionsAreFreed) {
  ASSERT_TRUE(run("catch_loop", Throws::Boom, 100).returned());
  size_t before = mallinfo2().uordblks;
  constexpr int32_t Rounds = 100000;
  auto outcome = run("catch_loop", Throws::Boom, Rounds);
  ASSERT_TRUE(outcome.returned()) << outcome.trap.describe();
  EXPECT_EQ(outcome.values.at(0).i64(), int64_t(Rounds) * (Rounds + 1) / 2);
  EXPECT_EQ(destroyed_, 100 + Rounds);
  // Each object is about 100 bytes: keeping them would take 10 MB.
  EXPECT_LT(mallinfo2().uordblks, before + (1u << 20));
}

} // namespace
