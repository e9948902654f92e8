// call_indirect through tables whose contents the compiler takes as fixed
// (compiler/ConstantTables.h) and through tables it must read at run time:
// which tables qualify, and that calls and traps behave the same either way
// when the module runs in the runtime.
#include "CompiledModuleFixture.h"
#include "compiler/ConstantTables.h"
#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/BinaryReader.h"

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class CompilerCallIndirect : public lucet::testing::CompiledModuleFixture {
protected:
  // Which tables of the module the compiler treats as fixed.
  std::vector<bool> constantTables(const std::string &text) {
    auto bytes = text::parseWat(text);
    EXPECT_TRUE(bytes);
    auto module = wasm::readModule(bytes ? *bytes : std::vector<uint8_t>{});
    EXPECT_TRUE(module) << module.error().message();
    std::vector<bool> result;
    if (!module) return result;
    auto tables = compiler::findConstantTables(*module);
    EXPECT_TRUE(tables);
    if (tables)
      for (const auto &t : *tables) result.push_back(t.has_value());
    return result;
  }
};

TEST_F(CompilerCallIndirect, WhichTablesAreFixed) {
  // Private, filled by constant segments, never written: fixed.
  EXPECT_EQ(constantTables(R"((module (table 3 funcref) (func $f) (elem (i32.const 1) $f)))"),
            std::vector<bool>{true});
  // Exported, imported, grown, set, filled, copied into, initialised into.
  EXPECT_EQ(constantTables(R"((module (table (export "t") 3 funcref)))"), std::vector<bool>{false});
  EXPECT_EQ(constantTables(R"((module (import "m" "t" (table 3 funcref))))"),
            std::vector<bool>{false});
  EXPECT_EQ(constantTables(R"((module (table 1 funcref)
    (func (drop (table.grow 0 (ref.null func) (i32.const 1))))))"),
            std::vector<bool>{false});
  EXPECT_EQ(constantTables(R"((module (table 1 funcref)
    (func (table.set 0 (i32.const 0) (ref.null func)))))"),
            std::vector<bool>{false});
  EXPECT_EQ(constantTables(R"((module (table 1 funcref)
    (func (table.fill 0 (i32.const 0) (ref.null func) (i32.const 1)))))"),
            std::vector<bool>{false});
  EXPECT_EQ(constantTables(R"((module (table $a 1 funcref) (table $b 1 funcref)
    (func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 1)))))"),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(constantTables(R"((module (table $a 1 funcref) (table $b 1 funcref) (func $f)
    (elem $e func $f)
    (func (table.init $b $e (i32.const 0) (i32.const 0) (i32.const 1)))))"),
            (std::vector<bool>{true, false}));
  // A segment offset from a global, or a segment that may not fit an
  // imported table: instantiation could stop half-way, so nothing is fixed.
  EXPECT_EQ(constantTables(R"((module (import "m" "g" (global i32)) (table $a 2 funcref)
    (table $b 2 funcref) (func $f)
    (elem (table $a) (global.get 0) func $f) (elem (table $b) (i32.const 0) func $f)))"),
            (std::vector<bool>{false, false}));
  EXPECT_EQ(constantTables(R"((module (import "m" "t" (table 1 funcref)) (table $b 2 funcref)
    (func $f) (elem (table 0) (i32.const 1) func $f) (elem (table $b) (i32.const 0) func $f)))"),
            (std::vector<bool>{false, false}));
  // An imported function in the table: its code and context are per instance.
  EXPECT_EQ(constantTables(R"((module (import "m" "f" (func $g)) (table 1 funcref)
    (elem (i32.const 0) $g)))"),
            std::vector<bool>{false});
}

TEST_F(CompilerCallIndirect, FixedTableCallsAndTraps) {
  auto instance = instantiate(R"((module
    (type $i (func (result i32)))
    (type $i2 (func (result i32)))
    (type $ii (func (param i32) (result i32)))
    (table 5 funcref)
    (func $seven (type $i) i32.const 7)
    (func $eight (type $i2) i32.const 8)
    (func $inc (type $ii) local.get 0 i32.const 1 i32.add)
    (elem (i32.const 0) $seven $eight $inc)
    (elem (i32.const 4) $seven)
    (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $i))
    (func (export "call2") (param i32) (result i32) local.get 0 call_indirect (type $i2))
    (func (export "inc") (param i32 i32) (result i32)
      local.get 1 local.get 0 call_indirect (type $ii))))",
                              hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(0)}), 7);
  // Two type definitions with the same signature are the same type.
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(1)}), 8);
  EXPECT_EQ(runI32(*instance, "call2", {rt::Value::i32(0)}), 7);
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(4)}), 7);
  EXPECT_EQ(runI32(*instance, "inc", {rt::Value::i32(2), rt::Value::i32(41)}), 42);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(2)}), TrapCode::IndirectCallTypeMismatch);
  EXPECT_EQ(trapOf(*instance, "inc", {rt::Value::i32(0), rt::Value::i32(1)}),
            TrapCode::IndirectCallTypeMismatch);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(3)}), TrapCode::IndirectCallNull);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(5)}), TrapCode::TableOutOfBounds);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(-1)}), TrapCode::TableOutOfBounds);
  // The trap names the caller and its offset like any other trap.
  auto r = run(*instance, "call", {rt::Value::i32(3)});
  EXPECT_EQ(r.trap.funcName, "call");
  EXPECT_TRUE(r.trap.hasWasmOffset);
}

TEST_F(CompilerCallIndirect, EmptyFixedTableAlwaysTraps) {
  auto instance = instantiate(R"((module (type $v (func)) (table 0 funcref)
    (func (export "call") (param i32) local.get 0 call_indirect (type $v))))",
                              hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(0)}), TrapCode::TableOutOfBounds);
}

TEST_F(CompilerCallIndirect, GrownTableIsCalledThroughItsNewSlots) {
  auto instance = instantiate(R"((module
    (type $i (func (result i32)))
    (table 1 funcref)
    (func $one (type $i) i32.const 1)
    (func $two (type $i) i32.const 2)
    (elem (i32.const 0) $one)
    (elem declare func $two)
    (func (export "grow") (result i32) (table.grow 0 (ref.func $two) (i32.const 2)))
    (func (export "clear") (table.set 0 (i32.const 0) (ref.null func)))
    (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $i))))",
                              hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(0)}), 1);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(1)}), TrapCode::TableOutOfBounds);
  EXPECT_EQ(runI32(*instance, "grow"), 1);
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(1)}), 2);
  EXPECT_EQ(runI32(*instance, "call", {rt::Value::i32(2)}), 2);
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(3)}), TrapCode::TableOutOfBounds);
  run(*instance, "clear");
  EXPECT_EQ(trapOf(*instance, "call", {rt::Value::i32(0)}), TrapCode::IndirectCallNull);
}

TEST_F(CompilerCallIndirect, ExportedTableChangedByTheHostAndAnotherInstance) {
  auto owner = instantiate(R"((module
    (type $i (func (result i32)))
    (table (export "t") 3 funcref)
    (func $one (type $i) i32.const 1)
    (func $two (export "two") (type $i) i32.const 2)
    (elem (i32.const 0) $one)
    (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $i))))",
                           hostOnly_);
  ASSERT_TRUE(owner);
  EXPECT_EQ(runI32(*owner, "call", {rt::Value::i32(0)}), 1);
  auto table = owner->exportNamed("t");
  auto two = owner->exportNamed("two");
  ASSERT_TRUE(table && two);
  auto &elements = std::get<std::shared_ptr<rt::Table>>(*table)->instance().elements;
  elements[0] = const_cast<lucet::abi::FuncRef *>(std::get<rt::InstanceFunction>(*two).ref);
  EXPECT_EQ(runI32(*owner, "call", {rt::Value::i32(0)}), 2);
  elements[0] = nullptr;
  EXPECT_EQ(trapOf(*owner, "call", {rt::Value::i32(0)}), TrapCode::IndirectCallNull);

  rt::Linker linker;
  linker.defineInstance("owner", *owner);
  auto writer = instantiate(R"((module
    (type $i (func (result i32)))
    (import "owner" "t" (table 3 funcref))
    (func $nine (type $i) i32.const 9)
    (func $pair (param i32) (result i32 i32) local.get 0 local.get 0)
    (elem (i32.const 1) $nine $pair)))",
                            linker);
  ASSERT_TRUE(writer);
  EXPECT_EQ(runI32(*owner, "call", {rt::Value::i32(1)}), 9);
  EXPECT_EQ(trapOf(*owner, "call", {rt::Value::i32(2)}), TrapCode::IndirectCallTypeMismatch);
}

// Instantiation stops at a segment that does not fit, after an earlier one
// has put a function of the failed instance into an imported table. That
// function must see its own private table as instantiation left it.
TEST_F(CompilerCallIndirect, PartlyInstantiatedModuleSeesItsTableAsLeft) {
  auto owner = instantiate(R"((module
    (type $i (func (result i32)))
    (table (export "t") 2 funcref)
    (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $i))))",
                           hostOnly_);
  ASSERT_TRUE(owner);
  rt::Linker linker;
  linker.defineInstance("owner", *owner);
  auto module = load(R"((module
    (type $i (func (result i32)))
    (import "owner" "t" (table 1 funcref))
    (table $private 1 funcref)
    (func $viaPrivate (type $i) i32.const 0 call_indirect $private (type $i))
    (func $five (type $i) i32.const 5)
    (elem (table 0) (i32.const 0) func $viaPrivate)
    (elem (table 0) (i32.const 7) func $five)
    (elem (table $private) (i32.const 0) func $five)))");
  ASSERT_TRUE(module);
  auto result = rt::Instance::instantiate(module, linker, rt::InstanceLimits{});
  ASSERT_EQ(result.failure, rt::InstantiationFailure::Trap);
  EXPECT_EQ(trapOf(*owner, "call", {rt::Value::i32(0)}), TrapCode::IndirectCallNull);
}

} // namespace
