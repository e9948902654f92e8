// Validation time grows linearly with the module even where one instruction
// refers to much else: a br_table of millions of entries to a label of a
// thousand values was checked entry by entry, value by value (a minute or
// more); now each distinct target is checked once.
#include "WasmEncoder.h"

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

using namespace lucet;
using namespace lucet::wasm;
using namespace lucet::wasm::test;

namespace {

Bytes wideBrTableModule(uint32_t entries, uint32_t width, uint8_t lastTarget) {
  std::vector<uint8_t> results(width, I32);
  // block (type 0) (i32.const 0) x width (i32.const 0) br_table 0... end
  Bytes code{0x02, 0x00};
  for (uint32_t k = 0; k < width; ++k) append(code, {0x41, 0});
  append(code, {0x41, 0, 0x0e});
  appendU32(code, entries);
  code.insert(code.end(), entries - 1, 0);
  code.push_back(lastTarget); // the last entry before the default
  code.push_back(0);
  code.push_back(End);
  return ModuleEncoder()
      .section(1, vec(1, funcType({}, results)))
      .section(3, vec(1, {0}))
      .section(10, vec(1, body(code)))
      .bytes();
}

TEST(LinearValidation, HugeBrTableToAWideLabel) {
  auto module = readModule(wideBrTableModule(7'000'000, 1000, 0));
  ASSERT_TRUE(module) << module.error().message();
  Status valid = validateModule(*module);
  EXPECT_TRUE(valid) << valid.error().message();
}

TEST(LinearValidation, HugeBrTableStillChecksEveryDistinctTarget) {
  // Depth 1 is the function's own label, which has the same values: valid.
  auto same = readModule(wideBrTableModule(1000, 3, 1));
  ASSERT_TRUE(same) << same.error().message();
  EXPECT_TRUE(validateModule(*same));
  // Depth 2 does not exist.
  auto unknown = readModule(wideBrTableModule(1000, 3, 2));
  ASSERT_TRUE(unknown) << unknown.error().message();
  Status refused = validateModule(*unknown);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("unknown label 2"), std::string::npos)
      << refused.error().message();
}

} // namespace
