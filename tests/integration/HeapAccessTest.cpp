// Linear memory accesses carry an alias tag of their own (ModuleContext.h,
// MemoryKind): the optimizer may keep the memory size, globals and table
// fields in registers across heap stores, but never across what can change
// them (memory.grow, global.set, table.set, calls). Runs the code to check
// that nothing stale is used, with and without bounds checks.
#include "CompiledModuleFixture.h"

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class CompilerHeapAccess : public lucet::testing::CompiledModuleFixture {
protected:
  static compiler::CompileOptions boundsChecked() {
    compiler::CompileOptions options;
    options.reservedSize = 1ull << 30;
    options.guardSize = 64 * 1024;
    return options;
  }
  static rt::InstanceLimits smallHeap() {
    rt::InstanceLimits limits;
    limits.heapAddressSpace = 1ull << 30;
    limits.maxHeapSize = 1ull << 30;
    return limits;
  }
};

// Stores in a loop, growing memory half-way: the accesses after the grow
// must see the new size (bounds-checked code reads it from the runtime).
constexpr const char *GrowInLoop = R"((module (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "fill") (param $n i32) (result i32) (local $i i32)
    block loop
      local.get $i local.get $n i32.ge_u br_if 1
      local.get $i i32.const 8192 i32.eq
      if i32.const 1 memory.grow drop end
      local.get $i i32.const 8 i32.mul local.get $i i64.extend_i32_u i64.store
      global.get $g i32.const 1 i32.add global.set $g
      local.get $i i32.const 1 i32.add local.set $i
      br 0
    end end
    global.get $g)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)))";

TEST_F(CompilerHeapAccess, BoundsCheckedStoresSeeMemoryGrow) {
  auto instance = instantiate(GrowInLoop, hostOnly_, boundsChecked(), smallHeap());
  ASSERT_TRUE(instance);
  // 8192 * 8 bytes is exactly the first page: the loop needs the grow.
  EXPECT_EQ(runI32(*instance, "fill", {rt::Value::i32(16384)}), 16384);
  EXPECT_EQ(runI32(*instance, "load", {rt::Value::i32(8 * 16383)}), 16383);
  EXPECT_EQ(trapOf(*instance, "load", {rt::Value::i32(2 * 65536 - 3)}), TrapCode::OutOfBounds);
  // A fresh instance, before any grow, traps at the first page's end.
  auto fresh = instantiate(GrowInLoop, hostOnly_, boundsChecked(), smallHeap());
  ASSERT_TRUE(fresh);
  EXPECT_EQ(trapOf(*fresh, "load", {rt::Value::i32(65533)}), TrapCode::OutOfBounds);
}

TEST_F(CompilerHeapAccess, GuardPageStoresSeeMemoryGrow) {
  auto instance = instantiate(GrowInLoop, hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "fill", {rt::Value::i32(16384)}), 16384);
  EXPECT_EQ(runI32(*instance, "load", {rt::Value::i32(8 * 16383)}), 16383);
  EXPECT_EQ(trapOf(*instance, "load", {rt::Value::i32(2 * 65536 - 3)}), TrapCode::OutOfBounds);
}

// A global read, a heap store of another value and a global re-read: the
// heap store does not change the global, a global.set does.
TEST_F(CompilerHeapAccess, GlobalsAndHeapStayApart) {
  auto instance = instantiate(R"((module (memory 1)
    (global $g (mut i32) (i32.const 5))
    (func (export "f") (param i32) (result i32)
      global.get $g
      local.get 0 i32.const 99 i32.store
      global.get $g i32.add
      local.get 0 i32.load i32.add
      i32.const 7 global.set $g
      global.get $g i32.add)))",
                              hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "f", {rt::Value::i32(0)}), 5 + 5 + 99 + 7);
  EXPECT_EQ(runI32(*instance, "f", {rt::Value::i32(16)}), 7 + 7 + 99 + 7);
}

// Vector loads and stores, whole and by lane, go through the same helpers.
TEST_F(CompilerHeapAccess, SimdLoadsAndStores) {
  auto instance = instantiate(R"((module (memory 1)
    (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
    (func (export "copy") (result i32)
      i32.const 32 i32.const 0 v128.load v128.store
      i32.const 44 i32.load)
    (func (export "lane") (result i32)
      i32.const 64 i32.const 2 v128.const i32x4 0 0 0 0 v128.load8_lane 5 v128.store
      i32.const 64 i32.load offset=4)
    (func (export "storelane") (result i32)
      i32.const 100 i32.const 0 v128.load v128.store16_lane 3
      i32.const 100 i32.load16_u)
    (func (export "zero") (result i32)
      i32.const 4 v128.load32_zero i32x4.extract_lane 0
      i32.const 4 v128.load32_zero i32x4.extract_lane 1 i32.add)
    (func (export "extend") (result i32)
      i32.const 8 v128.load8x8_s i16x8.extract_lane_s 7)
    (func (export "splat") (result i32)
      i32.const 12 v128.load32_splat i32x4.extract_lane 3)
    (func (export "oob") (result i32)
      i32.const 0 i32.const 65530 v128.load v128.store
      i32.const 0 i32.load)))",
                              hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "copy"), 0x100f0e0d);
  EXPECT_EQ(runI32(*instance, "lane"), 0x0300);
  EXPECT_EQ(runI32(*instance, "storelane"), 0x0807);
  EXPECT_EQ(runI32(*instance, "zero"), 0x08070605);
  EXPECT_EQ(runI32(*instance, "extend"), 0x10);
  EXPECT_EQ(runI32(*instance, "splat"), 0x100f0e0d);
  EXPECT_EQ(trapOf(*instance, "oob"), TrapCode::OutOfBounds);
}

} // namespace
