// A trap ends the guest exactly at the trapping instruction: every store
// (to memory or a global) before it is visible afterwards and none after it
// is. Under the guard-page model the trap is a fault of the access itself,
// which the optimizer must not delete, merge or move stores across; with
// explicit bounds checks (a small reservation) loops are versioned on an
// up-front range check, and must trap at the same access as unversioned code.
// Every test runs at -O0 and -O2, under both models.
#include "CompiledModuleFixture.h"

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class TrapPrecision : public lucet::testing::EveryHeapModel {};

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

// Found by differential execution against V8 (fuzz/differential): at -O2,
// LLVM deleted the first store as overwritten by the last, deleted loads
// whose value became unused, and turned a loop without exit into a spin.
constexpr const char *Overwrites = R"((module (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "g") (result i32) (global.get $g))
  (func (export "load32") (param $p i32) (result i32) (i32.load (local.get $p)))
  (func (export "store_trap_store") (param $p i32)
    (i32.store (i32.const 16) (i32.const 1))
    (i32.store (i32.const 8) (i32.load (local.get $p)))
    (i32.store (i32.const 16) (i32.const 2)))
  (func (export "global_trap_global") (param $p i32)
    (global.set $g (i32.const 1))
    (i32.store (i32.const 8) (i32.load (local.get $p)))
    (global.set $g (i32.const 2)))
  (func (export "load_feeds_empty_if") (param $p i32)
    (if (i32.load16_u offset=8 (local.get $p)) (then)))
  (func (export "load_into_unread_local") (param $p i32) (result i32) (local $x i32)
    (local.set $x (i32.load (local.get $p)))
    (i32.const 3))
  (func (export "loop_without_exit") (param $p i32)
    (loop $l
      (global.set $g (i32.sub (global.get $g) (i32.const 1)))
      (i32.store16 (local.get $p) (i32.const 1))
      (br $l)))
  (func (export "global_in_loop") (param $p i32) (param $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (drop (i32.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 4096)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))))
)";

TEST_P(TrapPrecision, OverwrittenStoreBeforeATrapIsVisible) {
  auto instance = instantiate(Overwrites, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  EXPECT_EQ(trapOf(*instance, "store_trap_store", {V::i32(65536)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(16)}), 1);
  EXPECT_EQ(trapOf(*instance, "global_trap_global", {V::i32(65533)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "g"), 1);
  run(*instance, "store_trap_store", {V::i32(0)});
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(16)}), 2);
}

TEST_P(TrapPrecision, LoadWhoseValueBecomesUnusedStillTraps) {
  auto instance = instantiate(Overwrites, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  EXPECT_EQ(trapOf(*instance, "load_feeds_empty_if", {V::i32(65528)}), TrapCode::OutOfBounds);
  EXPECT_EQ(trapOf(*instance, "load_into_unread_local", {V::i32(65535)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load_into_unread_local", {V::i32(65532)}), 3);
}

TEST_P(TrapPrecision, LoopWithoutExitTrapsInItsFirstIteration) {
  auto instance = instantiate(Overwrites, hostOnly_, options());
  ASSERT_TRUE(instance);
  EXPECT_EQ(trapOf(*instance, "loop_without_exit", {rt::Value::i32(65535)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "g"), -1);
}

TEST_P(TrapPrecision, GlobalWrittenInALoopIsCurrentAtTheTrap) {
  auto instance = instantiate(Overwrites, hostOnly_, options());
  ASSERT_TRUE(instance);
  // Iterations at 0, 4096, ..., 61440 read memory; the 17th (65536) traps
  // after its global write.
  EXPECT_EQ(trapOf(*instance, "global_in_loop", {rt::Value::i32(0), rt::Value::i32(100)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "g"), 17);
}

// Loops that explicit checks version: the copy without checks may run only
// when no iteration can fault, including when the i32 address wraps.
constexpr const char *Loops = R"((module (memory 1)
  (func (export "load32") (param $p i32) (result i32) (i32.load (local.get $p)))
  (func (export "fill_up") (param $p i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "fill_down") (param $p i32) (param $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2)))
                 (i32.add (local.get $n) (i32.const 100)))
      (br $next))))
  (func (export "copy_up") (param $dst i32) (param $src i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i64.store offset=8 (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3)))
        (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))
)";

TEST_P(TrapPrecision, LoopTrapsAtTheFirstAccessOutOfBounds) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  // In bounds: all of it runs.
  run(*instance, "fill_up", {V::i32(1000), V::i32(100)});
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(1000)}), 1);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(1396)}), 100);
  // Ten words fit before the end; the eleventh traps.
  EXPECT_EQ(trapOf(*instance, "fill_up", {V::i32(65536 - 40), V::i32(20)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(65536 - 40)}), 1);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(65536 - 4)}), 10);
  // The address wraps to 0 at the fifth word, but the first already traps.
  EXPECT_EQ(trapOf(*instance, "fill_up", {V::i32(-16), V::i32(8)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(0)}), 0);
  // Downwards across the wrap from p = -4: words 3, 2 and 1 land at 8, 4
  // and 0, then word 0, at -4, traps.
  EXPECT_EQ(trapOf(*instance, "fill_down", {V::i32(-4), V::i32(4)}), TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(8)}), 103);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(4)}), 102);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(0)}), 101);
  // A copy whose source runs off the end: the stores before stay.
  run(*instance, "fill_up", {V::i32(65536 - 64), V::i32(16)});
  EXPECT_EQ(trapOf(*instance, "copy_up", {V::i32(2000), V::i32(65536 - 32), V::i32(8)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(2008)}), 9);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(2008 + 24 + 4)}), 16);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(2008 + 32)}), 0);
}

INSTANTIATE_TEST_SUITE_P(Models, TrapPrecision, lucet::testing::everyHeapModel(),
                         lucet::testing::heapModelName);

} // namespace
