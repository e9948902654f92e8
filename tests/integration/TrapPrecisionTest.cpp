// A trap ends the guest exactly at the trapping instruction: every store
// before it is visible afterwards and none after it is. Under the guard-page
// model the trap is a fault of the access itself, so the optimizer must not
// merge a store that succeeds with one that faults (LLVM merges adjacent
// stores into one wider store, which then faults whole), nor drop a load that
// faults because its result is unused. (A load whose result only becomes
// dead during optimisation, e.g. one stored to a local nobody reads, is
// still removed: a known gap.)
#include "CompiledModuleFixture.h"

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class TrapPrecision : public lucet::testing::CompiledModuleFixture,
                      public ::testing::WithParamInterface<unsigned> {
protected:
  compiler::CompileOptions options() const {
    compiler::CompileOptions o;
    o.optLevel = GetParam();
    return o;
  }
};

constexpr const char *Stores = R"((module (memory 1)
  (func (export "two_i32") (param $p i32)
    (i32.store (local.get $p) (i32.const 0x11111111))
    (i32.store offset=4 (local.get $p) (i32.const 0x22222222)))
  (func (export "four_i8") (param $p i32)
    (i32.store8 (local.get $p) (i32.const 0x41))
    (i32.store8 offset=1 (local.get $p) (i32.const 0x42))
    (i32.store8 offset=2 (local.get $p) (i32.const 0x43))
    (i32.store8 offset=3 (local.get $p) (i32.const 0x44)))
  (func (export "two_i64") (param $p i32)
    (i64.store (local.get $p) (i64.const 0x1111111111111111))
    (i64.store offset=8 (local.get $p) (i64.const 0x2222222222222222)))
  (func (export "zeros") (param $p i32)
    (i32.store (local.get $p) (i32.const 0))
    (i32.store offset=4 (local.get $p) (i32.const 0))
    (i32.store offset=8 (local.get $p) (i32.const 0))
    (i32.store offset=12 (local.get $p) (i32.const 0)))
  (func (export "fill_ff") (param $p i32) (param $n i32)
    (memory.fill (local.get $p) (i32.const 0xff) (local.get $n)))
  (func (export "load8") (param $p i32) (result i32) (i32.load8_u (local.get $p)))
  (func (export "dead_load") (param $p i32) (result i32)
    (drop (i32.add (i32.load (local.get $p)) (i32.load8_u offset=1 (local.get $p))))
    (i32.const 7))
  (func (export "load_then_return") (param $p i32) (result i32)
    (i64.load16_u (local.get $p))
    (i32.const 255)
    (return))
  (func (export "load_then_br") (param $p i32) (result i32)
    (block $out (result i32)
      (i32.load (local.get $p))
      (i32.const 9)
      (br $out)))
  (func (export "load_then_br_table") (param $p i32) (result i32)
    (block $a (result i32) (block $b (result i32)
      (i32.load (local.get $p))
      (i32.const 5)
      (br_table $a $b (local.get $p)))))
  (func (export "load_then_unreachable") (param $p i32)
    (drop (block (result i32) (i32.load (local.get $p)) (unreachable))))
  (func (export "zero_loop") (param $p i32) (param $end i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (i32.store8 (local.get $p) (i32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next)))))
)";

TEST_P(TrapPrecision, StoreBeforeAFaultingStoreIsVisible) {
  auto instance = instantiate(Stores, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  // i32 pair: 65532..65535 fits, 65536.. does not.
  EXPECT_EQ(trapOf(*instance, "two_i32", {V::i32(65532)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65532)}), 0x11);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65535)}), 0x11);
  // Bytes: the first two fit.
  EXPECT_EQ(trapOf(*instance, "four_i8", {V::i32(65534)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65534)}), 0x41);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65535)}), 0x42);
  // i64 pair.
  EXPECT_EQ(trapOf(*instance, "two_i64", {V::i32(65528)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65528)}), 0x11);
  // Four zero stores, which LLVM likes to turn into one memset.
  run(*instance, "fill_ff", {V::i32(65520), V::i32(16)});
  EXPECT_EQ(trapOf(*instance, "zeros", {V::i32(65528)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65528)}), 0);
  EXPECT_EQ(runI32(*instance, "load8", {V::i32(65535)}), 0);
  // A store loop, which LLVM likes to turn into a call of the host's memset.
  run(*instance, "fill_ff", {V::i32(65000), V::i32(536)});
  EXPECT_EQ(trapOf(*instance, "zero_loop", {V::i32(65000), V::i32(70000)}), TrapCode::OutOfBounds);
  for (int32_t at : {65000, 65300, 65535}) EXPECT_EQ(runI32(*instance, "load8", {V::i32(at)}), 0);
}

TEST_P(TrapPrecision, UnusedLoadStillTraps) {
  auto instance = instantiate(Stores, hostOnly_, options());
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "dead_load", {rt::Value::i32(0)}), 7);
  EXPECT_EQ(trapOf(*instance, "dead_load", {rt::Value::i32(65534)}), TrapCode::OutOfBounds);
  // Operands a branch or a trap discards.
  for (const char *f : {"load_then_return", "load_then_br", "load_then_br_table"})
    EXPECT_EQ(trapOf(*instance, f, {rt::Value::i32(65536)}), TrapCode::OutOfBounds) << f;
  EXPECT_EQ(runI32(*instance, "load_then_return", {rt::Value::i32(0)}), 255);
  EXPECT_EQ(runI32(*instance, "load_then_br", {rt::Value::i32(0)}), 9);
  EXPECT_EQ(trapOf(*instance, "load_then_unreachable", {rt::Value::i32(65536)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(trapOf(*instance, "load_then_unreachable", {rt::Value::i32(0)}), TrapCode::Unreachable);
}

INSTANTIATE_TEST_SUITE_P(OptLevels, TrapPrecision, ::testing::Values(0u, 2u),
                         [](const auto &info) { return "O" + std::to_string(info.param); });

} // namespace
