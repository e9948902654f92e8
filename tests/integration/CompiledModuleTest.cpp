// Runs real lucetc output in the runtime: arithmetic and control flow give
// the right values, each trap kind is reported with its function and wasm
// offset, and the heap model holds (guard pages and explicit checks).
#include "CompiledModuleFixture.h"
#include "compiler/Compiler.h"
#include "runtime/Instance.h"
#include "runtime/LoadedModule.h"
#include "support/FileIO.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace lucet;
namespace fs = std::filesystem;

namespace {

class CompiledModuleTest : public lucet::testing::CompiledModuleFixture {
protected:
  std::unique_ptr<rt::Instance> instantiate(const std::string &text,
                                            const compiler::CompileOptions &options = {},
                                            const rt::InstanceLimits &limits = {}) {
    return CompiledModuleFixture::instantiate(text, hostOnly_, options, limits);
  }
};

// Extended constant expressions (3.0) are evaluated at instantiation, with
// i32 arithmetic wrapping at 32 bits and i64 at 64.
TEST_F(CompiledModuleTest, ExtendedConstantExpressionsInitializeGlobalsAndSegments) {
  auto instance = instantiate(R"((module (memory 1)
    (global $a i32 (i32.const 10))
    (global $b i32 (i32.add (global.get $a) (i32.mul (i32.const 3) (i32.const 4))))
    (global $wrap i32 (i32.add (i32.const 0x7fffffff) (i32.const 1)))
    (global $big i64 (i64.mul (i64.const 0x100000001) (i64.const 0x100000001)))
    (data (i32.sub (global.get $b) (i32.const 2)) "x")
    (func (export "b") (result i32) (global.get $b))
    (func (export "wrap") (result i32) (global.get $wrap))
    (func (export "big") (result i64) (global.get $big))
    (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))))");
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "b"), 22);
  EXPECT_EQ(uint32_t(runI32(*instance, "wrap")), 0x80000000u);
  auto big = run(*instance, "big");
  ASSERT_EQ(big.values.size(), 1u);
  EXPECT_EQ(uint64_t(big.values[0].asI64()), 0x0000000200000001ull);
  EXPECT_EQ(runI32(*instance, "load8", {rt::Value::i32(20)}), 'x');
}

TEST_F(CompiledModuleTest, ArithmeticAndControlFlow) {
  auto instance = instantiate(R"((module
    (func $fac (export "fac") (param i64) (result i64)
      local.get 0 i64.eqz
      if (result i64) i64.const 1
      else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end)
    (func (export "sum") (param i32) (result i32) (local i32)
      block loop
        local.get 0 i32.eqz br_if 1
        local.get 1 local.get 0 i32.add local.set 1
        local.get 0 i32.const 1 i32.sub local.set 0
        br 0
      end end
      local.get 1)
    (func (export "swap") (param i32 i32) (result i32 i32) local.get 1 local.get 0)
    (func (export "pick") (param i32) (result i32)
      block block block
        local.get 0 br_table 0 1 2
      end i32.const 10 return end i32.const 20 return end i32.const 30)
    (func (export "fmin") (param f64 f64) (result f64) local.get 0 local.get 1 f64.min)
    (func (export "rem") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_s)))");
  ASSERT_TRUE(instance);
  auto r = run(*instance, "fac", {rt::Value::i64(20)});
  ASSERT_EQ(r.kind, rt::RunResult::Kind::Returned);
  EXPECT_EQ(r.values[0].asI64(), 2432902008176640000);
  EXPECT_EQ(run(*instance, "sum", {rt::Value::i32(100)}).values[0].asI32(), 5050);
  auto swapped = run(*instance, "swap", {rt::Value::i32(1), rt::Value::i32(2)});
  ASSERT_EQ(swapped.values.size(), 2u);
  EXPECT_EQ(swapped.values[0].asI32(), 2);
  EXPECT_EQ(swapped.values[1].asI32(), 1);
  EXPECT_EQ(run(*instance, "pick", {rt::Value::i32(0)}).values[0].asI32(), 10);
  EXPECT_EQ(run(*instance, "pick", {rt::Value::i32(1)}).values[0].asI32(), 20);
  EXPECT_EQ(run(*instance, "pick", {rt::Value::i32(7)}).values[0].asI32(), 30);
  EXPECT_TRUE(std::signbit(
      run(*instance, "fmin", {rt::Value::f64(0.0), rt::Value::f64(-0.0)}).values[0].asF64()));
  EXPECT_EQ(
      run(*instance, "rem", {rt::Value::i32(INT32_MIN), rt::Value::i32(-1)}).values[0].asI32(), 0);
}

TEST_F(CompiledModuleTest, TrapsNameKindFunctionAndOffset) {
  auto instance = instantiate(R"((module
    (memory 1)
    (table 2 funcref)
    (type $v (func))
    (func $oob (export "oob") (result i32) i32.const 70000 i32.load)
    (func $div (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)
    (func $ovf (export "ovf") (result i32) i32.const 0x80000000 i32.const -1 i32.div_s)
    (func $unr (export "unr") unreachable)
    (func $conv (export "conv") (result i32) f32.const nan i32.trunc_f32_s)
    (func $null (export "null") i32.const 1 call_indirect (type $v))
    (func $range (export "range") i32.const 5 call_indirect (type $v))
    (func $rec (export "rec") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)))");
  ASSERT_TRUE(instance);
  struct Case {
    const char *name;
    lucet::abi::TrapCode code;
  };
  for (auto [name, code] : {Case{"oob", lucet::abi::TrapCode::OutOfBounds},
                            Case{"div", lucet::abi::TrapCode::IntegerDivideByZero},
                            Case{"ovf", lucet::abi::TrapCode::IntegerOverflow},
                            Case{"unr", lucet::abi::TrapCode::Unreachable},
                            Case{"conv", lucet::abi::TrapCode::InvalidConversion},
                            Case{"null", lucet::abi::TrapCode::IndirectCallNull},
                            Case{"range", lucet::abi::TrapCode::TableOutOfBounds}}) {
    std::vector<rt::Value> args;
    if (std::string(name) == "div") args.push_back(rt::Value::i32(0));
    auto r = run(*instance, name, args);
    ASSERT_EQ(r.kind, rt::RunResult::Kind::Trapped) << name;
    EXPECT_EQ(r.trap.code, code) << name;
    // No name section: the export name identifies the function.
    EXPECT_EQ(r.trap.funcName, name);
    EXPECT_TRUE(r.trap.hasWasmOffset) << name << ": " << r.trap.describe();
    EXPECT_NE(r.trap.describe().find("at wasm offset 0x"), std::string::npos) << r.trap.describe();
  }
  auto r = run(*instance, "rec", {rt::Value::i32(0)});
  ASSERT_EQ(r.kind, rt::RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, lucet::abi::TrapCode::StackOverflow);
  // The instance stays usable after traps.
  EXPECT_EQ(run(*instance, "div", {rt::Value::i32(1)}).values[0].asI32(), 1);
}

TEST_F(CompiledModuleTest, BoundsCheckedCodeTrapsAtTheExactEdge) {
  compiler::CompileOptions options;
  options.reservedSize = 1ull << 30;
  options.guardSize = 64 * 1024;
  rt::InstanceLimits limits;
  limits.heapAddressSpace = 1ull << 30;
  limits.maxHeapSize = 1ull << 30;
  auto instance = instantiate(R"((module (memory 1)
    (func (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)))",
                              options, limits);
  ASSERT_TRUE(instance);
  EXPECT_EQ(run(*instance, "load", {rt::Value::i32(65532)}).kind, rt::RunResult::Kind::Returned);
  auto r = run(*instance, "load", {rt::Value::i32(65533)});
  ASSERT_EQ(r.kind, rt::RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, lucet::abi::TrapCode::OutOfBounds);
  EXPECT_EQ(run(*instance, "grow", {rt::Value::i32(1)}).values[0].asI32(), 1);
  EXPECT_EQ(run(*instance, "load", {rt::Value::i32(65533)}).kind, rt::RunResult::Kind::Returned);
}

TEST_F(CompiledModuleTest, MaxHeapSizeBoundsMemoryGrow) {
  rt::InstanceLimits limits;
  limits.maxHeapSize = 4 * 65536;
  auto instance = instantiate(R"((module (memory 1)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)))",
                              {}, limits);
  ASSERT_TRUE(instance);
  EXPECT_EQ(run(*instance, "grow", {rt::Value::i32(3)}).values[0].asI32(), 1);
  EXPECT_EQ(run(*instance, "grow", {rt::Value::i32(1)}).values[0].asI32(), -1);
}

TEST_F(CompiledModuleTest, GuardPageModeNeedsTheAddressSpace) {
  rt::InstanceLimits limits;
  limits.heapAddressSpace = 1ull << 30;
  limits.maxHeapSize = 1ull << 30;
  auto watPath = dir_ / "m.wat";
  std::ofstream(watPath) << "(module (memory 1))";
  ASSERT_TRUE(compiler::compileFile(watPath.string(), (dir_ / "m.so").string(), {}));
  auto module = rt::LoadedModule::load((dir_ / "m.so").string());
  ASSERT_TRUE(module) << module.error().message();
  auto instance = rt::Instance::create(*module, registry_, limits);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("heap-address-space"), std::string::npos)
      << instance.error().message();
}

} // namespace
