#pragma once

// A fixture for tests that run lucetc output in the runtime: wasm text ->
// .so (lucetc's library reads the text format) -> Instance, with helpers to
// run exports.
#include "compiler/Compiler.h"
#include "runtime/ImportResolver.h"
#include "runtime/Instance.h"
#include "runtime/LoadedModule.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lucet::testing {

namespace fs = std::filesystem;
using lucet::abi::TrapCode;

class CompiledModuleFixture : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lucet-compiled-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string wasmFile(const std::string &text) {
    auto watPath = dir_ / ("m" + std::to_string(counter_++) + ".wat");
    std::ofstream(watPath) << text;
    return watPath.string();
  }

  std::shared_ptr<const rt::LoadedModule> load(const std::string &text,
                                               const compiler::CompileOptions &options = {}) {
    auto soPath = dir_ / ("m" + std::to_string(counter_) + ".so");
    auto wasmPath = wasmFile(text);
    auto status = compiler::compileFile(wasmPath, soPath.string(), options);
    if (!status) {
      ADD_FAILURE() << status.error().message();
      return nullptr;
    }
    auto module = rt::LoadedModule::load(soPath.string());
    if (!module) {
      ADD_FAILURE() << module.error().message();
      return nullptr;
    }
    return *module;
  }

  std::unique_ptr<rt::Instance> instantiate(const std::string &text,
                                            const rt::ImportResolver &imports,
                                            const compiler::CompileOptions &options = {},
                                            const rt::InstanceLimits &limits = {}) {
    auto module = load(text, options);
    if (!module) return nullptr;
    auto instance = rt::Instance::create(module, imports, limits);
    if (!instance) {
      ADD_FAILURE() << instance.error().message();
      return nullptr;
    }
    return std::move(*instance);
  }

  static rt::RunResult run(rt::Instance &instance, const std::string &name,
                           std::vector<rt::Value> args = {}) {
    auto result = instance.run(name, args);
    EXPECT_TRUE(result) << (result ? "" : result.error().message());
    return result ? *result : rt::RunResult{};
  }
  static int32_t runI32(rt::Instance &instance, const std::string &name,
                        std::vector<rt::Value> args = {}) {
    auto r = run(instance, name, std::move(args));
    EXPECT_EQ(r.kind, rt::RunResult::Kind::Returned) << name << ": " << r.trap.describe();
    return r.kind == rt::RunResult::Kind::Returned && !r.values.empty() ? r.values[0].asI32()
                                                                        : -12345;
  }
  static TrapCode trapOf(rt::Instance &instance, const std::string &name,
                         std::vector<rt::Value> args = {}) {
    auto r = run(instance, name, std::move(args));
    EXPECT_EQ(r.kind, rt::RunResult::Kind::Trapped) << name;
    return r.trap.code;
  }

  fs::path dir_;
  int counter_ = 0;
  rt::HostFunctionRegistry registry_;
  rt::HostFunctionResolver hostOnly_{registry_};
};

// A test that runs at -O0 and -O2 under each heap model: guard pages (the
// default reservation) and explicit bounds checks (a 1 GiB reservation).
struct HeapModel {
  unsigned optLevel;
  bool explicitChecks;
};

class EveryHeapModel : public CompiledModuleFixture,
                       public ::testing::WithParamInterface<HeapModel> {
protected:
  compiler::CompileOptions options() const {
    compiler::CompileOptions o;
    o.optLevel = GetParam().optLevel;
    if (GetParam().explicitChecks) {
      o.reservedSize = 1ull << 30;
      o.guardSize = 1ull << 30;
    }
    return o;
  }
};

inline auto everyHeapModel() {
  return ::testing::Values(HeapModel{0, false}, HeapModel{2, false}, HeapModel{0, true},
                           HeapModel{2, true});
}

inline std::string heapModelName(const ::testing::TestParamInfo<HeapModel> &info) {
  return "O" + std::to_string(info.param.optLevel) +
         (info.param.explicitChecks ? "Checked" : "GuardPages");
}

} // namespace lucet::testing
