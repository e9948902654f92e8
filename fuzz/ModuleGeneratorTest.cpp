// The generator's promise: any input gives a module the project's own reader
// and validator accept, with the exports the fuzz targets and the
// differential runner rely on.

#include "ModuleGenerator.h"

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace lucet::fuzz {
namespace {

std::vector<uint8_t> randomBytes(std::mt19937_64 &rng, size_t size) {
  std::vector<uint8_t> bytes(size);
  for (uint8_t &b : bytes) b = uint8_t(rng());
  return bytes;
}

::testing::AssertionResult validates(const std::vector<uint8_t> &input,
                                     const GeneratorOptions &options = {}) {
  auto module = wasm::readModule(generateModule(input, options));
  if (!module) return ::testing::AssertionFailure() << module.error().message();
  auto valid = wasm::validateModule(*module);
  if (!valid) return ::testing::AssertionFailure() << valid.error().message();
  return ::testing::AssertionSuccess();
}

TEST(ModuleGeneratorTest, ThousandRandomInputsAllValidate) {
  std::mt19937_64 rng(20261201);
  for (int i = 0; i < 1000; ++i) {
    auto input = randomBytes(rng, rng() % 4096);
    ASSERT_TRUE(validates(input)) << "input " << i << " of " << input.size() << " bytes";
  }
}

TEST(ModuleGeneratorTest, InBoundsOnlyModulesValidate) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 300; ++i) {
    auto input = randomBytes(rng, rng() % 4096);
    ASSERT_TRUE(validates(input, {.inBoundsOnly = true})) << "input " << i;
  }
}

TEST(ModuleGeneratorTest, EmptyAndConstantInputsValidate) {
  EXPECT_TRUE(validates({}));
  for (uint8_t fill : {0x00, 0x01, 0x7f, 0x80, 0xff})
    for (size_t size : {1, 7, 64, 1000})
      EXPECT_TRUE(validates(std::vector<uint8_t>(size, fill))) << int(fill) << " x " << size;
}

TEST(ModuleGeneratorTest, SameInputSameModule) {
  std::mt19937_64 rng(7);
  auto input = randomBytes(rng, 2000);
  EXPECT_EQ(generateModule(input), generateModule(input));
}

TEST(ModuleGeneratorTest, ExportsFunctionsMemoryAndFuel) {
  std::mt19937_64 rng(11);
  auto module = wasm::readModule(generateModule(randomBytes(rng, 3000)));
  ASSERT_TRUE(module);
  std::set<std::string> names;
  for (const auto &e : module->exports) names.insert(e.name);
  EXPECT_TRUE(names.count("f0"));
  EXPECT_TRUE(names.count(MemoryExportName));
  EXPECT_TRUE(names.count(FuelExportName));
  EXPECT_EQ(module->functions.size() + 2 + (module->globals.size() - 1), names.size());
}

// Inputs that reach most of the instruction set: the generated code should
// not be trivially small.
TEST(ModuleGeneratorTest, RandomInputsGiveSubstantialCode) {
  std::mt19937_64 rng(3);
  size_t total = 0;
  for (int i = 0; i < 100; ++i) total += generateModule(randomBytes(rng, 4096)).size();
  EXPECT_GT(total / 100, 500u);
}

} // namespace
} // namespace lucet::fuzz
