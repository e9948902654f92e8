// The C++ API: loading, instantiating with limits, typed host functions and
// their bounds-checked view of guest memory, WASI, traps and errors.
#include "GuestBuilder.h"
#include "Guests.h"

#include "lucet/compile.hh"
#include "lucet/lucet.hh"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace {

using lucet::test::GuestBuilder;
using lucet::test::smallOptions;

class ApiTest : public ::testing::Test {
protected:
  lucet::Module load(const char *wat) { return builder_.load(wat); }

  lucet::Linker hostLinker() {
    lucet::Linker linker;
    EXPECT_TRUE(linker.func("env", "add", [](int32_t a, int32_t b) { return a + b; }));
    EXPECT_TRUE(linker.func("env", "mix", [](int64_t a, double b, int32_t c, float d) {
      return double(a) + b + double(c) + double(d);
    }));
    EXPECT_TRUE(linker.func("env", "sum_bytes",
                            [](lucet::Caller &caller, uint32_t ptr, uint32_t len) -> int32_t {
                              auto bytes = caller.slice(ptr, len);
                              if (!bytes) return -1;
                              int32_t sum = 0;
                              for (uint8_t b : *bytes) sum += b;
                              return sum;
                            }));
    EXPECT_TRUE(linker.func("env", "fail", [](lucet::Caller &caller, int32_t how) {
      if (how == 1)
        caller.trap("asked to fail");
      else if (how == 2)
        caller.exit(9);
    }));
    EXPECT_TRUE(linker.func("env", "halve", [](float x) { return x / 2; }));
    EXPECT_TRUE(linker.func("env", "wide", [](uint64_t x) { return x << 33; }));
    return linker;
  }

  GuestBuilder builder_;
};

TEST_F(ApiTest, LoadsAndDescribesAModule) {
  lucet::Module module = load(lucet::test::PlainGuest);
  EXPECT_TRUE(module.imports().empty());
  auto mul = module.exportedFunc("mul");
  ASSERT_TRUE(mul);
  EXPECT_EQ(mul->describe(), "(i64, i64) -> (i64)");
  EXPECT_FALSE(module.exportedFunc("nope"));
  EXPECT_FALSE(module.exportedFunc("memory"));
  auto exports = module.exports();
  ASSERT_EQ(exports.size(), 4u);
  EXPECT_EQ(exports[0].name, "memory");
  EXPECT_EQ(exports[0].kind, lucet::ExternKind::Memory);

  lucet::Module importing = load(lucet::test::HostCallsGuest);
  auto imports = importing.imports();
  ASSERT_EQ(imports.size(), 6u);
  EXPECT_EQ(imports[1].module, "env");
  EXPECT_EQ(imports[1].name, "mix");
  EXPECT_EQ(imports[1].type.describe(), "(i64, f64, i32, f32) -> (f64)");
}

TEST_F(ApiTest, InstantiatesAndRunsWithArguments) {
  lucet::Module module = load(lucet::test::PlainGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  auto outcome = instance->run("mul", {lucet::Val(int64_t(6)), lucet::Val(int64_t(7))});
  ASSERT_TRUE(outcome) << outcome.error().message();
  ASSERT_TRUE(outcome->returned());
  ASSERT_EQ(outcome->values.size(), 1u);
  EXPECT_EQ(outcome->values[0].type(), lucet::ValType::I64);
  EXPECT_EQ(outcome->values[0].i64(), 42);
  EXPECT_EQ(instance->memory().size(), 65536u);
}

TEST_F(ApiTest, RunErrorsForUnknownExportAndWrongArguments) {
  lucet::Module module = load(lucet::test::PlainGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(instance);
  auto missing = instance->run("nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);
  EXPECT_FALSE(instance->run("mul", {lucet::Val(1), lucet::Val(2)}));
}

TEST_F(ApiTest, HeapSizeLimitStopsMemoryGrow) {
  lucet::Module module = load(lucet::test::PlainGuest);
  auto instance = lucet::Instance::create(module, smallOptions()); // 1 MiB = 16 pages
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->run("grow", {lucet::Val(15)})->values[0].i32(), 1);
  EXPECT_EQ(instance->run("grow", {lucet::Val(1)})->values[0].i32(), -1);
}

TEST_F(ApiTest, TypedHostFunctionsAreCalledByTheGuest) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  auto instance = lucet::Instance::create(module, hostLinker(), smallOptions());
  ASSERT_TRUE(instance) << instance.error().message();
  auto added = instance->run("call_add", {lucet::Val(40), lucet::Val(2)});
  ASSERT_TRUE(added && added->returned());
  EXPECT_EQ(added->values[0].i32(), 42);
  auto mixed = instance->run("call_mix");
  ASSERT_TRUE(mixed && mixed->returned());
  EXPECT_DOUBLE_EQ(mixed->values[0].f64(), 1e12 + 0.5 - 3 + 0.25);
  auto sum = instance->run("call_sum", {lucet::Val(16), lucet::Val(4)});
  EXPECT_EQ(sum->values[0].i32(), 10);
  auto halved = instance->run("call_halve", {lucet::Val(3.0f)});
  ASSERT_TRUE(halved && halved->returned());
  EXPECT_EQ(halved->values[0].type(), lucet::ValType::F32);
  EXPECT_EQ(halved->values[0].f32(), 1.5f);
  auto wide = instance->run("call_wide", {lucet::Val(int64_t(3))});
  EXPECT_EQ(wide->values[0].i64(), int64_t(3) << 33);
}

TEST_F(ApiTest, InstancesRunOnManyThreadsAtOnce) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  std::atomic<int> calls = 0;
  lucet::Linker linker = hostLinker();
  ASSERT_TRUE(linker.func("env", "add", [&calls](int32_t a, int32_t b) {
    ++calls;
    return a + b;
  }));
  std::vector<std::thread> threads;
  std::atomic<int> good = 0;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto instance = lucet::Instance::create(module, linker, smallOptions());
        if (!instance) continue;
        auto r = instance->run("call_add", {lucet::Val(t), lucet::Val(i)});
        if (r && r->returned() && r->values[0].i32() == t + i) ++good;
      }
    });
  for (auto &thread : threads) thread.join();
  EXPECT_EQ(good, 40);
  EXPECT_EQ(calls, 40);
}

TEST_F(ApiTest, HostFunctionCannotReachOutsideGuestMemory) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  auto instance = lucet::Instance::create(module, hostLinker(), smallOptions());
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->run("call_sum", {lucet::Val(65530), lucet::Val(7)})->values[0].i32(), -1);
  EXPECT_EQ(instance->run("call_sum", {lucet::Val(-1), lucet::Val(2)})->values[0].i32(), -1);
  EXPECT_EQ(instance->run("call_sum", {lucet::Val(65532), lucet::Val(4)})->values[0].i32(), 0);
}

TEST_F(ApiTest, CallerBoundsChecksEveryAccess) {
  std::vector<uint8_t> memory(100);
  lucet::Caller caller(memory.data(), memory.size());
  EXPECT_TRUE(caller.write<uint32_t>(96, 0x01020304));
  EXPECT_FALSE(caller.write<uint32_t>(97, 1));
  EXPECT_EQ(caller.read<uint32_t>(96), 0x01020304u);
  EXPECT_FALSE(caller.read<uint64_t>(96));
  EXPECT_FALSE(caller.string(UINT32_MAX, 2));
  EXPECT_TRUE(caller.slice(100, 0));
}

TEST_F(ApiTest, HostFunctionCanTrapOrExit) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  auto instance = lucet::Instance::create(module, hostLinker(), smallOptions());
  ASSERT_TRUE(instance);
  auto trapped = instance->run("call_fail", {lucet::Val(1)});
  ASSERT_TRUE(trapped);
  ASSERT_TRUE(trapped->trapped());
  EXPECT_EQ(trapped->trap.kind, lucet::TrapKind::HostError);
  EXPECT_EQ(trapped->trap.message, "asked to fail");
  auto exited = instance->run("call_fail", {lucet::Val(2)});
  ASSERT_TRUE(exited && exited->exited());
  EXPECT_EQ(exited->exitCode, 9u);
  auto normal = instance->run("call_fail", {lucet::Val(0)});
  ASSERT_TRUE(normal && normal->returned());
  EXPECT_EQ(normal->values[0].i32(), 7);
}

TEST_F(ApiTest, HostFunctionExceptionBecomesATrap) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  lucet::Linker linker = hostLinker();
  ASSERT_TRUE(linker.func("env", "add", [](int32_t, int32_t) -> int32_t {
    throw std::runtime_error("no adding today");
  }));
  auto instance = lucet::Instance::create(module, linker, smallOptions());
  ASSERT_TRUE(instance);
  auto outcome = instance->run("call_add", {lucet::Val(1), lucet::Val(2)});
  ASSERT_TRUE(outcome && outcome->trapped());
  EXPECT_NE(outcome->trap.message.find("no adding today"), std::string::npos);
}

TEST_F(ApiTest, HostFunctionsKeepTheirStateAndOutliveTheLinker) {
  lucet::Module module = load(lucet::test::HostCallsGuest);
  auto calls = std::make_shared<int>(0);
  std::optional<lucet::Result<lucet::Instance>> instance;
  {
    lucet::Linker linker = hostLinker();
    ASSERT_TRUE(linker.func("env", "add", [calls](int32_t a, int32_t b) {
      ++*calls;
      return a * b;
    }));
    instance.emplace(lucet::Instance::create(module, linker, smallOptions()));
  }
  ASSERT_TRUE(*instance);
  EXPECT_EQ((*instance)->run("call_add", {lucet::Val(6), lucet::Val(7)})->values[0].i32(), 42);
  EXPECT_EQ(*calls, 1);
}

TEST_F(ApiTest, UnsupportedHostFunctionTypesAreRefused) {
  lucet::Linker linker;
  lucet::FuncType twoResults{{}, {lucet::ValType::I32, lucet::ValType::I32}};
  auto refused = linker.defineFunc("env", "two", twoResults, [](auto &, auto, auto) {});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("env.two"), std::string::npos);
  lucet::FuncType sixInts{std::vector<lucet::ValType>(6, lucet::ValType::I64), {}};
  EXPECT_FALSE(linker.defineFunc("env", "six", sixInts, [](auto &, auto, auto) {}));
}

TEST_F(ApiTest, WasiArgsEnvAndExitCode) {
  lucet::Module module = load(lucet::test::WasiGuest);
  lucet::InstanceOptions options = smallOptions();
  options.wasi = lucet::WasiConfig().args({"prog", "a", "b"});
  auto instance = lucet::Instance::create(module, options);
  ASSERT_TRUE(instance) << instance.error().message();
  auto outcome = instance->run("_start");
  ASSERT_TRUE(outcome && outcome->exited());
  EXPECT_EQ(outcome->exitCode, 43u);

  options.wasi = lucet::WasiConfig().args({"prog"}).env("A", "xyz");
  auto withEnv = lucet::Instance::create(module, options);
  ASSERT_TRUE(withEnv);
  EXPECT_EQ(withEnv->run("_start")->exitCode, 106u); // "A=xyz\0"
}

TEST_F(ApiTest, WasiImportsNeedAWasiConfig) {
  lucet::Module module = load(lucet::test::WasiGuest);
  auto instance = lucet::Instance::create(module, smallOptions());
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("wasi_snapshot_preview1"), std::string::npos);
}

TEST_F(ApiTest, WasiMissingPreopenIsAnError) {
  lucet::Module module = load(lucet::test::WasiGuest);
  lucet::InstanceOptions options = smallOptions();
  options.wasi = lucet::WasiConfig().preopenDir("/definitely/not/here", "/data");
  auto instance = lucet::Instance::create(module, options);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("/definitely/not/here"), std::string::npos);
}

TEST_F(ApiTest, TrapIsReportedAndLeavesOtherInstancesUsable) {
  lucet::Module module = load(lucet::test::PlainGuest);
  auto first = lucet::Instance::create(module, smallOptions());
  auto second = lucet::Instance::create(module, smallOptions());
  ASSERT_TRUE(first && second);
  auto trapped = first->run("boom");
  ASSERT_TRUE(trapped && trapped->trapped());
  EXPECT_EQ(trapped->trap.kind, lucet::TrapKind::Unreachable);
  EXPECT_EQ(trapped->trap.function, "boom");
  EXPECT_TRUE(trapped->trap.wasmOffset.has_value());
  EXPECT_NE(trapped->trap.describe().find("unreachable in boom at wasm offset 0x"),
            std::string::npos);
  auto fine = second->run("mul", {lucet::Val(int64_t(3)), lucet::Val(int64_t(5))});
  ASSERT_TRUE(fine && fine->returned());
  EXPECT_EQ(fine->values[0].i64(), 15);
  auto again = first->run("mul", {lucet::Val(int64_t(2)), lucet::Val(int64_t(2))});
  ASSERT_TRUE(again && again->returned());
  EXPECT_EQ(again->values[0].i64(), 4);
}

TEST_F(ApiTest, MissingFileIsAnError) {
  auto module = lucet::Module::load("/no/such/module.so");
  ASSERT_FALSE(module);
  EXPECT_NE(module.error().message().find("/no/such/module.so"), std::string::npos);
}

TEST_F(ApiTest, UnknownImportIsAnErrorNamingIt) {
  lucet::Module module = load(lucet::test::UnknownImportGuest);
  auto instance = lucet::Instance::create(module, hostLinker(), smallOptions());
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("env.missing"), std::string::npos);
}

TEST_F(ApiTest, CompileErrorsAreValues) {
  std::string bad = (builder_.dir() / "bad.wasm").string();
  std::ofstream(bad) << "not wasm";
  auto compiled = lucet::compileFile(bad, (builder_.dir() / "bad.so").string());
  EXPECT_FALSE(compiled);
  EXPECT_FALSE(lucet::compilerVersion().empty());
}

} // namespace
