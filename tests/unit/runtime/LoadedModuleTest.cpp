#include "runtime/LoadedModule.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace lucet::rt;

namespace {

TEST(LoadedModule, LoadsFixtureAndDecodesMetadata) {
  auto module = LoadedModule::load(FIXTURE_BASIC);
  ASSERT_TRUE(module) << module.error().message();
  const auto &m = (*module)->metadata();
  EXPECT_EQ(m.moduleName, "basic");
  EXPECT_EQ((*module)->numFunctions(), 24u);
  EXPECT_EQ((*module)->functionName(1), "add");
  EXPECT_EQ((*module)->functionCode(0), nullptr);
  void *add = (*module)->functionCode(1);
  ASSERT_NE(add, nullptr);
  EXPECT_TRUE((*module)->containsCode(add));
  EXPECT_EQ((*module)->functionAt(add), 1u);
  EXPECT_FALSE((*module)->containsCode(reinterpret_cast<void *>(&LoadedModule::load)));
}

TEST(LoadedModule, RefusesOrdinarySharedObject) {
  auto module = LoadedModule::load(FIXTURE_NOTLUCET);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            std::string(FIXTURE_NOTLUCET) +
                ": not a lucetc artifact (no lucet_module_record_v1 symbol)");
}

TEST(LoadedModule, RefusesGarbageFile) {
  std::string path = testing::TempDir() + "garbage-" + std::to_string(getpid()) + ".so";
  {
    std::ofstream out(path, std::ios::binary);
    out << "this is not an ELF file at all, just some text padded out to a decent length";
  }
  auto module = LoadedModule::load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find(path + ": cannot load: "), std::string::npos)
      << module.error().message();
}

TEST(LoadedModule, RefusesMissingFile) {
  auto module = LoadedModule::load("/nonexistent/module.so");
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find("/nonexistent/module.so: cannot load: "),
            std::string::npos);
}

TEST(LoadedModule, RefusesOtherAbiVersion) {
  auto module = LoadedModule::load(FIXTURE_ABI99);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(), std::string(FIXTURE_ABI99) +
                                          ": compiled for ABI version 99; this runtime "
                                          "supports 1");
}

TEST(LoadedModule, RefusesCodeForCpuFeaturesThisCpuLacks) {
  auto module = LoadedModule::load(FIXTURE_CPUFEATURE);
  ASSERT_FALSE(module);
  // sse4.1 may or may not be present; the unknown feature is always missing.
  EXPECT_NE(module.error().message().find("compiled for CPU features this CPU lacks"),
            std::string::npos)
      << module.error().message();
  EXPECT_NE(module.error().message().find("quantum-entanglement"), std::string::npos);
  EXPECT_NE(module.error().message().find("--target-cpu baseline"), std::string::npos);
}

TEST(LoadedModule, RefusesRecordDisagreeingWithMetadata) {
  auto module = LoadedModule::load(FIXTURE_MISSINGFUNC);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().message(),
            std::string(FIXTURE_MISSINGFUNC) +
                ": invalid module: the record has 22 functions but the metadata defines 23");
}

} // namespace
