#include "text/WatParser.h"

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

using namespace lucet;

namespace {

std::vector<uint8_t> wat(const std::string &source) {
  auto bytes = text::parseWat(source);
  EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message());
  return bytes ? *bytes : std::vector<uint8_t>{};
}

std::string error(const std::string &source) {
  auto bytes = text::parseWat(source);
  EXPECT_FALSE(bytes) << source;
  return bytes ? "" : bytes.error().message();
}

Expected<wasm::Module> readAndValidate(const std::vector<uint8_t> &bytes) {
  LUCET_ASSIGN_OR_RETURN(module, wasm::readModule(bytes));
  LUCET_TRY(wasm::validateModule(module));
  return module;
}

} // namespace

TEST(WatParser, EncodesTheSmallestModules) {
  std::vector<uint8_t> header{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(wat("(module)"), header);
  EXPECT_EQ(wat(""), header); // no fields at all
  EXPECT_EQ(wat("(module $m)"), header);
  // One function: type, function and code sections (not valid: the value
  // is left on the stack; only the encoding is compared).
  std::vector<uint8_t> expected = header;
  for (uint8_t b : {1, 5, 1, 0x60, 1, 0x7f, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x20, 0, 0x0b})
    expected.push_back(b);
  EXPECT_EQ(wat("(module (func (param i32) local.get 0))"), expected);
}

TEST(WatParser, FoldedAndFlatInstructionsEncodeAlike) {
  auto flat = wat(R"((module (func (param $x i32) (result i32)
      local.get $x i32.const 1 i32.add
      block (result i32) i32.const 2 end i32.mul)))");
  auto folded = wat(R"((module (func (param $x i32) (result i32)
      (i32.mul (i32.add (local.get $x) (i32.const 1)) (block (result i32) (i32.const 2))))))");
  EXPECT_EQ(flat, folded);
  EXPECT_TRUE(readAndValidate(flat));
}

TEST(WatParser, AbbreviationsMeanTheirLongForms) {
  auto inlineForms = wat(R"((module
      (func $f (export "f") (import "m" "f") (param i32))
      (memory (export "mem") (data "hi"))
      (func (export "g") (result i32) (call $f (i32.const 0)) (i32.const 7))))");
  auto longForms = wat(R"((module
      (type (func (param i32)))
      (type (func (result i32)))
      (import "m" "f" (func $f (type 0)))
      (func (type 1) (call $f (i32.const 0)) (i32.const 7))
      (memory 1 1)
      (export "f" (func $f))
      (export "mem" (memory 0))
      (export "g" (func 1))
      (data (i32.const 0) "hi")))");
  auto a = readAndValidate(inlineForms);
  auto b = readAndValidate(longForms);
  ASSERT_TRUE(a) << a.error().message();
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(a->imports.size(), b->imports.size());
  EXPECT_EQ(a->exports.size(), b->exports.size());
  EXPECT_EQ(a->functions.size(), b->functions.size());
}

TEST(WatParser, NamesResolveToIndices) {
  auto bytes = wat(R"((module
      (global $g (mut i32) (i32.const 0))
      (table $t 2 funcref)
      (func $a (result i32) (block $out (result i32) (br $out (global.get $g))))
      (func $b (call $a) (global.set $g) (br_if 0 (i32.const 1)))
      (elem (table $t) (i32.const 0) func $a $b)
      (start $b)))");
  auto m = readAndValidate(bytes);
  ASSERT_TRUE(m) << m.error().message();
}

TEST(WatParser, ErrorsNameLineColumnAndToken) {
  EXPECT_EQ(error("(module\n  (func (i32.frobnicate)))").rfind("2:10: unknown operator", 0), 0u);
  EXPECT_NE(error("(module (func (local.get $nope)))").find("unknown local"), std::string::npos);
  EXPECT_NE(error("(module (func (br $nope)))").find("unknown label"), std::string::npos);
  EXPECT_NE(error("(module (func (i32.const 4294967296)))").find("constant out of range"),
            std::string::npos);
  EXPECT_NE(error("(module (func $f) (func $f))").find("duplicate function"), std::string::npos);
  EXPECT_NE(error("(module (func) (import \"m\" \"f\" (func)))").find("import after"),
            std::string::npos);
  EXPECT_NE(error("(module (func block $a end $b))").find("mismatching label"), std::string::npos);
  EXPECT_NE(
      error("(module (memory 1) (func (i32.load align=3 (i32.const 0))))").find("power of two"),
      std::string::npos);
}

TEST(WatParser, BinaryAndQuoteModules) {
  auto top = text::readSExprs(R"wat((module binary "\00asm" "\01\00\00\00")
                                  (module quote "(func)"))wat");
  ASSERT_TRUE(top);
  auto binary = text::encodeModule((*top)[0]);
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->size(), 8u);
  auto quoted = text::encodeModule((*top)[1]);
  ASSERT_TRUE(quoted) << quoted.error().message();
  EXPECT_TRUE(readAndValidate(*quoted));
}

// Nesting costs heap, not native stack: the encoder used to recurse per
// block and a few thousand levels overflowed the stack (found while checking
// hostile input by hand).
TEST(WatParser, DeepNestingNeedsNoNativeStack) {
  constexpr int Flat = 200'000;
  std::string flat = "(module (func";
  for (int i = 0; i < Flat; ++i) flat += " block";
  for (int i = 0; i < Flat; ++i) flat += " end";
  flat += "))";
  auto a = readAndValidate(wat(flat));
  EXPECT_TRUE(a) << a.error().message();

  constexpr int Folded = 9'000; // under the S-expression reader's 10,000
  std::string folded = "(module (func";
  for (int i = 0; i < Folded; ++i) folded += " (block";
  folded += std::string(Folded, ')') + "))";
  auto b = readAndValidate(wat(folded));
  EXPECT_TRUE(b) << b.error().message();
  // Unbalanced structure is still an error, not a crash.
  EXPECT_NE(error("(module (func block block end))").find("without 'end'"), std::string::npos);
  EXPECT_NE(error("(module (func end))").find("unexpected token"), std::string::npos);
  EXPECT_NE(error("(module (func block else end))").find("unexpected token"), std::string::npos);
}
