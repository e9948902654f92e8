#include "WasmTestUtil.h"

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

using namespace lucet;
using namespace lucet::wasm;
using namespace lucet::wasm::test;

namespace {

class Validator : public ::testing::Test {
protected:
  // "<valid>" or the first read/validation error.
  static std::string check(const std::string &wat, Features features = Features::wasm3()) {
    auto bytes = assemble(wat);
    if (!bytes) return "<assemble failed: " + bytes.error().message() + ">";
    Status s = readAndValidate(std::move(*bytes), features);
    return s ? "<valid>" : s.error().message();
  }

  static void expectValid(const std::string &wat) { EXPECT_EQ(check(wat), "<valid>") << wat; }

  static void expectError(const std::string &wat, const std::string &reason) {
    std::string err = check(wat);
    EXPECT_NE(err.find(reason), std::string::npos) << "expected \"" << reason << "\", got: " << err;
  }
};

} // namespace

TEST_F(Validator, AcceptsMultiValueAndBlocks) {
  expectValid(R"((module
    (type $pair (func (param i32 i32) (result i32 i32)))
    (func $swap (type $pair) local.get 1 local.get 0)
    (func (export "f") (param i32) (result i32)
      (local i64 f32)
      i32.const 1 i32.const 2
      block (type $pair)
        call $swap
      end
      i32.add
      loop (param i32) (result i32)
        local.get 0
        br_if 0
      end
      local.get 0
      if (result i32) i32.const 7 else i32.const 8 end
      i32.add)))");
}

TEST_F(Validator, AcceptsPolymorphicStack) {
  expectValid(R"((module
    (func (result i32) unreachable i32.add)
    (func (result i64) (block (result i64) i64.const 1 br 0 i32.add drop))
    (func (param i32) (result i32)
      block (result i32)
        i32.const 0
        local.get 0
        br_table 0 0
        select
      end)
    (func (result f64) f64.const 1 return select)
    (func (result f64) unreachable select)))");
  expectError("(module (func (result f64) return))", "type mismatch: return expects f64");
}

TEST_F(Validator, AcceptsReferenceTypesAndBulkMemory) {
  expectValid(R"((module
    (table $t 2 funcref)
    (table $e 1 externref)
    (memory 1)
    (data $d "abc")
    (elem $s func $f)
    (elem declare func $g)
    (func $f)
    (func $g (param externref) (result funcref)
      (table.set $e (i32.const 0) (local.get 0))
      (drop (table.get $e (i32.const 0)))
      (drop (table.grow $t (ref.null func) (i32.const 1)))
      (table.fill $t (i32.const 0) (ref.func $g) (i32.const 1))
      (table.init $t $s (i32.const 0) (i32.const 0) (i32.const 1))
      (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
      (elem.drop $s)
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))
      (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
      (data.drop $d)
      (drop (ref.is_null (local.get 0)))
      (drop (select (result externref) (local.get 0) (ref.null extern) (i32.const 1)))
      (drop (i32.trunc_sat_f32_s (f32.const 1.5)))
      (drop (i64.extend32_s (i64.const 5)))
      (drop (table.size $e))
      (call_indirect $t (i32.const 0))
      (ref.func $g))))");
}

TEST_F(Validator, TypeMismatchMessageNamesFunctionAndOperands) {
  std::string err = check(R"((module
    (func $adder (result i32) i32.const 1 i64.const 2 i32.add)))");
  EXPECT_NE(err.find("in function adder (func[0]): type mismatch: i32.add expects i32 but "
                     "found i64"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.rfind("at offset 0x", 0), 0u) << err;

  // Without names, the index stands alone.
  err = check("(module (func (result i32) i64.const 0))");
  EXPECT_NE(err.find("in function func[0]: type mismatch"), std::string::npos) << err;
}

TEST_F(Validator, ErrorOffsetIsTheInstruction) {
  auto bytes = assemble("(module (func i64.const 1 i32.eqz drop))");
  ASSERT_TRUE(bytes);
  auto m = readModule(*bytes);
  ASSERT_TRUE(m);
  Status s = validateModule(*m);
  ASSERT_FALSE(s);
  // The body is: i64.const 1 (2 bytes), then i32.eqz.
  uint32_t eqzOffset = m->functions[0].bodyOffset + 2;
  EXPECT_EQ((*bytes)[eqzOffset], 0x45);
  EXPECT_EQ(s.error().message().rfind(fmt::format("at offset {:#x}: ", eqzOffset), 0), 0u)
      << s.error().message();
}

TEST_F(Validator, StackShapeErrors) {
  expectError("(module (func (result i32)))", "type mismatch");
  expectError("(module (func i32.const 1))", "type mismatch");
  expectError("(module (func (result i32) (block (result i32) i64.const 0)))", "type mismatch");
  expectError("(module (func (result i32) i32.const 0 (if (result i32) (then i32.const 1))))",
              "if without else must have matching parameters and results");
  expectValid("(module (func (param i32) (result i32) local.get 0 local.get 0 "
              "(if (param i32) (result i32) (then))))");
  expectError("(module (func (param i32) (result i32) "
              "(block (result i32) (block (i32.const 1) (local.get 0) (br_table 0 1)))))",
              "br_table target");
  expectError("(module (func (select (i32.const 1) (i64.const 1) (i32.const 0)) drop))",
              "type mismatch");
  expectError("(module (func (param funcref) (select (local.get 0) (local.get 0) (i32.const 0)) "
              "drop))",
              "select without a type needs numeric operands");
  expectError("(module (func (ref.is_null (i32.const 0)) drop))", "type mismatch");
}

TEST_F(Validator, UnknownIndices) {
  expectError("(module (func (local.get 2) drop))", "unknown local 2");
  expectError("(module (func (global.get 0) drop))", "unknown global 0");
  expectError("(module (func (call 3)))", "unknown function 3");
  expectError("(module (func (br 1)))", "unknown label 1");
  expectError("(module (func (i32.load (i32.const 0)) drop))", "unknown memory");
  expectError("(module (func (memory.size) drop))", "unknown memory");
  expectError("(module (func (table.size 0) drop))", "unknown table 0");
  expectError("(module (type (func)) (table 1 funcref) (func (call_indirect (type 5) "
              "(i32.const 0))))",
              "unknown type");
  expectError("(module (memory 1) (func (data.drop 0)))", "unknown data segment 0");
  expectError("(module (func (elem.drop 0)))", "unknown elem segment 0");
}

TEST_F(Validator, GlobalsAndConstantExpressions) {
  expectError("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))",
              "global is immutable");
  expectValid("(module (global (mut i32) (i32.const 0)) (func (global.set 0 (i32.const 1))))");
  expectError("(module (global i32 (i64.const 0)))", "type mismatch");
  // 3.0 (the default): an earlier defined immutable global may be read, in
  // initializers of later globals and in segments; a later one may not.
  expectValid("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))");
  expectValid("(module (global i32 (i32.const 0)) (memory 1) (data (global.get 0) \"x\"))");
  expectError("(module (global i32 (global.get 1)) (global i32 (i32.const 0)))",
              "unknown global 1");
  expectError("(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))",
              "constant expression required");
  // Extended constant expressions (3.0).
  expectValid("(module (global i32 (i32.const 1)) "
              "(global i32 (i32.add (global.get 0) (i32.mul (i32.const 3) (i32.const 4)))))");
  expectValid("(module (global i64 (i64.sub (i64.const 1) (i64.const 2))))");
  expectError("(module (global i32 (i32.add (i32.const 1) (i64.const 2))))", "type mismatch");
  expectError("(module (global i32 (i32.const 1) (i32.const 2)))", "exactly one value");
  expectError("(module (global i32 (i32.div_s (i32.const 1) (i32.const 2))))",
              "constant expression required");
  // 2.0: only imported ones.
  auto bytes = assemble("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))");
  ASSERT_TRUE(bytes);
  Status v2 = readAndValidate(*bytes, Features::wasm2());
  ASSERT_FALSE(v2);
  EXPECT_NE(v2.error().message().find("unknown global 0"), std::string::npos)
      << v2.error().message();
  // ... and one instruction.
  auto sum = assemble("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))");
  ASSERT_TRUE(sum);
  Status s2 = readAndValidate(*sum, Features::wasm2());
  ASSERT_FALSE(s2);
  EXPECT_NE(s2.error().message().find("constant expression required"), std::string::npos)
      << s2.error().message();
  expectError("(module (import \"a\" \"b\" (global (mut i32))) (global i32 (global.get 0)))",
              "constant expression required");
  expectValid("(module (import \"a\" \"b\" (global i32)) (global i32 (global.get 0)) "
              "(memory 1) (data (global.get 0) \"x\"))");
}

TEST_F(Validator, LimitsAndMemories) {
  expectError("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)");
  expectError("(module (memory 1 65537))", "memory size must be at most 65536 pages (4GiB)");
  expectValid("(module (memory 0 65536))");
  expectError("(module (memory 2 1))", "size minimum must not be greater than maximum");
  expectError("(module (table 3 2 funcref))", "size minimum must not be greater than maximum");
  // 2.0 allows one memory; 3.0 any number.
  for (const char *twoMemories :
       {"(module (memory 1) (memory 1))", "(module (import \"a\" \"m\" (memory 1)) (memory 1))"}) {
    EXPECT_NE(check(twoMemories, Features::wasm2()).find("multiple memories"), std::string::npos);
    expectValid(twoMemories);
  }
}

TEST_F(Validator, Alignment) {
  expectValid("(module (memory 1) (func (drop (i64.load align=8 (i32.const 0)))))");
  expectError("(module (memory 1) (func (drop (i32.load8_u align=2 (i32.const 0)))))",
              "alignment must not be larger than natural");
  expectError("(module (memory 1) (func (i32.store align=8 (i32.const 0) (i32.const 0))))",
              "alignment must not be larger than natural");
}

TEST_F(Validator, Simd) {
  expectValid(R"((module (memory 1)
    (global v128 (v128.const i32x4 1 2 3 4))
    (func (param v128) (result i32 v128)
      (i8x16.extract_lane_u 15 (local.get 0))
      (v128.load16_lane align=2 7 (i32.const 0)
        (i8x16.shuffle 0 31 1 30 2 29 3 28 4 27 5 26 6 25 7 24
          (i64x2.splat (i64.const 1)) (i8x16.shl (local.get 0) (i32.const 9)))))))");
  expectError("(module (memory 1) (func (drop (v128.load align=32 (i32.const 0)))))",
              "alignment must not be larger than natural");
  expectError("(module (memory 1) (func (drop (v128.load32_splat align=8 (i32.const 0)))))",
              "alignment must not be larger than natural");
  EXPECT_NE(check("(module (func (drop (i32x4.extract_lane 4 (v128.const i64x2 0 0)))))")
                .find("invalid lane index"),
            std::string::npos);
  EXPECT_NE(check("(module (memory 1) (func (drop (v128.load64_lane 2 (i32.const 0) "
                  "(v128.const i64x2 0 0)))))")
                .find("invalid lane index"),
            std::string::npos);
  EXPECT_NE(check("(module (func (drop (i32x4.add (v128.const i64x2 0 0) (i32.const 0)))))")
                .find("type mismatch"),
            std::string::npos);
}

// 3.0's memory arguments: a u64 offset, checked against the memory's
// address type, and an optional memory index (wasm/Features.h).
TEST_F(Validator, MemoryArgumentsUnder3And2) {
  expectError("(module (memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0)))))",
              "offset out of range");
  expectValid("(module (memory 1) (func (drop (i32.load offset=0xffff_ffff (i32.const 0)))))");
  // A memory index (flag bit 6): this module has one memory.
  expectError("(module (memory 1) (func (drop (i32.load 1 (i32.const 0)))))", "unknown memory 1");
  // Flags of 0x80 and more are malformed.
  std::string flags = check(R"((module binary "\00asm" "\01\00\00\00" "\01\04\01\60\00\00"
      "\03\02\01\00" "\05\03\01\00\01" "\0a\0b\01" "\09\00" "\41\00" "\28\80\01\00"
      "\1a" "\0b"))");
  EXPECT_NE(flags.find("malformed memop flags"), std::string::npos) << flags;
  // Under 2.0's rules an offset of 2^32 does not even decode.
  auto wide =
      assemble("(module (memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0)))))");
  ASSERT_TRUE(wide);
  Status v2 = readAndValidate(*wide, Features::wasm2());
  ASSERT_FALSE(v2);
  EXPECT_NE(v2.error().message().find("integer too large"), std::string::npos)
      << v2.error().message();
}

TEST_F(Validator, ExportsAndStart) {
  expectError("(module (func (export \"a\")) (func (export \"a\")))", "duplicate export name");
  expectError("(module (func $f (param i32)) (start $f))", "start function");
  expectError("(module (func $f (result i32) i32.const 0) (start $f))", "start function");
  expectValid("(module (func $f) (start $f))");
}

TEST_F(Validator, FunctionReferencesMustBeDeclared) {
  expectError("(module (func $f) (func (ref.func $f) drop))", "undeclared function reference");
  expectValid("(module (func $f) (elem declare func $f) (func (ref.func $f) drop))");
  expectValid("(module (func $f (export \"f\")) (func (ref.func $f) drop))");
  expectValid("(module (func $f) (global funcref (ref.func $f)) (func (ref.func $f) drop))");
}

TEST_F(Validator, TablesAndSegments) {
  expectError("(module (table 1 externref) (func (call_indirect (i32.const 0))))", "type mismatch");
  expectError("(module (table 1 externref) (func $f) (elem (i32.const 0) func $f))",
              "type mismatch");
  expectError("(module (table 1 funcref) (table 1 externref) "
              "(func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))",
              "type mismatch");
  expectError("(module (table 1 funcref) (elem (i64.const 0)))", "type mismatch");
  expectError("(module (table 1 funcref) (func (table.set 0 (i32.const 0) (ref.null extern))))",
              "type mismatch");
}

TEST_F(Validator, BlockSignature) {
  Module m;
  m.types.push_back(FuncType{{ValType::I32}, {ValType::I64, ValType::F32}});
  EXPECT_EQ(blockSignature(m, BlockType{}), FuncType{});
  EXPECT_EQ(blockSignature(m, BlockType{BlockType::Kind::Value, ValType::F64, 0}),
            (FuncType{{}, {ValType::F64}}));
  EXPECT_EQ(blockSignature(m, BlockType{BlockType::Kind::TypeIndex, ValType::I32, 0}), m.types[0]);
}

// Typed function references: the messages say what is wrong and where.
TEST_F(Validator, TypedReferences) {
  expectValid(R"((module (type $t (func (result i32)))
    (func $f (type $t) (i32.const 1))
    (elem declare func $f)
    (func (result i32) (local $r (ref $t))
      (local.set $r (ref.func $f))
      (call_ref $t (local.get $r)))))");
  // A non-nullable local is unset until set, and a set inside a block
  // counts only to the block's end.
  expectError(R"((module (type $t (func))
    (func (local $r (ref $t)) (drop (local.get $r)))))",
              "uninitialized local: local 0 of type (ref $0) is read before it is set");
  expectError(R"((module (type $t (func)) (func $f) (elem declare func $f)
    (func (local $r (ref $t))
      (block (local.set $r (ref.func $f)))
      (drop (local.get $r)))))",
              "uninitialized local");
  // Structurally equal types are one type; others are not.
  expectValid(R"((module (type $a (func (param i32))) (type $b (func (param i32)))
    (func $f (type $a)) (elem declare func $f)
    (func (result (ref $b)) (ref.func $f))))");
  expectError(R"((module (type $a (func (param i32))) (type $b (func (param i64)))
    (func $f (type $a)) (elem declare func $f)
    (func (result (ref $b)) (ref.func $f))))",
              "type mismatch");
  expectError(R"((module (type $t (func))
    (func (param funcref) (call_ref $t (local.get 0)))))",
              "type mismatch: call_ref expects (ref null $0) but found funcref");
  expectError(R"((module (func (param funcref) (block (br_on_non_null 0 (local.get 0))))))",
              "br_on_non_null needs a label whose last value is a reference");
  // A table of a non-nullable type needs an initial element; a forward or
  // unknown type reference is refused.
  expectError(R"((module (type $t (func)) (table 1 (ref $t))))", "type mismatch");
  expectError(R"((module (type (func (param (ref 1)))) (type (func))))", "unknown type 1");
  expectError("(module (global (ref null 7) (ref.null func)))", "unknown type 7");
  // 2.0's rules know none of it.
  EXPECT_NE(check("(module (func (param (ref func))))", Features::wasm2()).find("malformed"),
            std::string::npos);
}
