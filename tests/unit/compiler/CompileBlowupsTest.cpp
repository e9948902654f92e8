// Module shapes that used to make compile time or memory grow faster than the
// module (issue #11). Each test is sized so that it took minutes (or
// gigabytes) before and takes seconds now; none asserts a time, the test
// timeout does. bench/blowups.py measures the same shapes at several sizes.
#include "../wasm/WasmEncoder.h"

#include "abi/ModuleRecord.h"
#include "compiler/Compiler.h"
#include "support/FileIO.h"

#include "TestDirectory.h"

#include <gtest/gtest.h>

#include <cstring>

#include <dlfcn.h>
#include <filesystem>

using namespace lucet;
using namespace lucet::wasm::test;
namespace fs = std::filesystem;

namespace {

class CompileBlowupsTest : public ::testing::Test {
protected:
  void TearDown() override {
    if (handle_) ::dlclose(handle_);
  }

  // Compiles to a shared object and opens it.
  const lucet::abi::ModuleRecord *compileAndOpen(const Bytes &wasm, unsigned optLevel = 2) {
    auto so = (dir_ / "m.so").string();
    compiler::CompileOptions options;
    options.optLevel = optLevel;
    auto status = compiler::compileBytes(wasm, "m.wasm", so, options);
    EXPECT_TRUE(status) << status.error().message();
    if (!status) return nullptr;
    handle_ = ::dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(handle_, nullptr) << ::dlerror();
    if (!handle_) return nullptr;
    return static_cast<const lucet::abi::ModuleRecord *>(
        ::dlsym(handle_, lucet::abi::ModuleRecordSymbol));
  }

  std::string compileToIr(const Bytes &wasm) {
    auto ll = (dir_ / "m.ll").string();
    compiler::CompileOptions options;
    options.optLevel = 0;
    options.emit = compiler::EmitKind::LlvmIr;
    auto status = compiler::compileBytes(wasm, "m.wasm", ll, options);
    EXPECT_TRUE(status) << status.error().message();
    auto text = readFile(ll);
    return text ? std::string(text->begin(), text->end()) : std::string();
  }

  lucet::testing::TestDirectory dir_{"lucet-blowups-test"};
  void *handle_ = nullptr;
};

Bytes singleFunctionModule(const Bytes &type, const Bytes &functionBody, bool memory = false) {
  ModuleEncoder m;
  m.section(1, vec(1, type)).section(3, vec(1, {0}));
  if (memory) m.section(5, vec(1, {0, 1}));
  m.exportFunc("f", 0).section(10, vec(1, functionBody));
  return m.bytes();
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// 300,000 entries: before, LLVM's CFG simplification was quadratic in the
// phi entries one switch case each gave the targets (about 3 minutes).
TEST_F(CompileBlowupsTest, HugeBrTableCompilesAndBranchesRight) {
  constexpr uint32_t Entries = 300'000;
  // block (result i32) block (result i32) block (result i32)
  //   i32.const 7  local.get 0  br_table (even: 0, odd: 2) default 1
  // end i32.const 100 i32.add end i32.const 1000 i32.add end
  Bytes code{0x02, I32, 0x02, I32, 0x02, I32, 0x41, 7, 0x20, 0, 0x0e};
  appendU32(code, Entries);
  for (uint32_t k = 0; k < Entries; ++k) code.push_back(k % 2 ? 2 : 0);
  code.push_back(1);
  Bytes tail{End, 0x41, 0xe4, 0x00, 0x6a, End, 0x41, 0xe8, 0x07, 0x6a, End};
  append(code, tail);
  auto *record = compileAndOpen(singleFunctionModule(funcType({I32}, {I32}), body(code)));
  ASSERT_NE(record, nullptr);
  // The function uses nothing of its context. Guest code has its own
  // calling convention: call it through its type's trampoline.
  auto f = [record](void *vmctx, int32_t arg) {
    alignas(16) uint8_t slots[lucet::abi::ValueSlotSize] = {};
    std::memcpy(slots, &arg, sizeof arg);
    record->trampolines[0](static_cast<lucet::abi::VMContext *>(vmctx),
                           record->segments[0].functions[0], slots);
    int32_t result;
    std::memcpy(&result, slots, sizeof result);
    return result;
  };
  EXPECT_EQ(f(nullptr, 0), 1107);
  EXPECT_EQ(f(nullptr, 1), 7);
  EXPECT_EQ(f(nullptr, Entries - 2), 1107);
  EXPECT_EQ(f(nullptr, Entries - 1), 7);
  EXPECT_EQ(f(nullptr, Entries), 1007);
  EXPECT_EQ(f(nullptr, -1), 1007);
}

// One straight-line block of 100,000 loads: the scheduler and the
// two-address pass were quadratic in it (about 2.5 minutes).
TEST_F(CompileBlowupsTest, HugeBlockCompiles) {
  Bytes code{0x20, 0};
  for (uint32_t k = 0; k < 100'000; ++k) {
    append(code, {0x20, 0, 0x28, 2});
    appendU32(code, (4 * k) % 60'000);
    code.push_back(0x6a);
  }
  EXPECT_NE(compileAndOpen(singleFunctionModule(funcType({I32}, {I32}), body(code), true)),
            nullptr);
}

// 1,000 parameters and results, the limit: constant propagation was cubic in
// the results (minutes per function).
TEST_F(CompileBlowupsTest, WidestSignatureCompiles) {
  constexpr uint32_t Width = 1000;
  std::vector<uint8_t> types(Width, I32);
  Bytes callee, caller;
  for (uint32_t k = 0; k < Width; ++k) {
    callee.push_back(0x20);
    appendU32(callee, Width - 1 - k); // the parameters reversed
  }
  for (uint32_t k = 0; k < Width; ++k) {
    caller.push_back(0x20);
    appendU32(caller, k);
  }
  append(caller, {0x10, 0});
  ModuleEncoder m;
  m.section(1, vec(1, funcType(types, types)))
      .section(3, vec(2, {0, 0}))
      .exportFunc("f", 1)
      .section(10, vec(2, [&] {
                 Bytes bodies = body(callee);
                 append(bodies, body(caller));
                 return bodies;
               }()));
  EXPECT_NE(compileAndOpen(m.bytes()), nullptr);
}

// A type section that repeats one signature 50,000 times: a trampoline per
// entry made the artifact and the compile time grow with it (half a minute).
TEST_F(CompileBlowupsTest, RepeatedTypesShareOneTrampoline) {
  constexpr uint32_t Types = 50'000;
  Bytes types;
  for (uint32_t k = 0; k < Types; ++k) append(types, funcType({I32, I32}, {I32}));
  append(types, funcType({}, {I32})); // no function has it
  ModuleEncoder m;
  m.section(1, vec(Types + 1, types))
      .section(3, vec(1, {0}))
      .exportFunc("f", 0)
      .section(10, vec(1, body({0x20, 0, 0x20, 1, 0x6a})));
  auto *record = compileAndOpen(m.bytes());
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->numTrampolines, Types + 1);
  for (uint32_t k = 1; k < Types; ++k)
    ASSERT_EQ(record->trampolines[k], record->trampolines[0]) << "type " << k;
  EXPECT_NE(record->trampolines[Types], nullptr);
  EXPECT_NE(record->trampolines[Types], record->trampolines[0]);
}

// 50,000 locals of which two are used: each declared local had its own
// stack slot, so a function's IR grew with its declarations.
TEST_F(CompileBlowupsTest, UnusedLocalsCostNothing) {
  constexpr uint32_t Locals = 49'999;
  Bytes code{0x20, 0, 0x21};
  appendU32(code, Locals);
  code.push_back(0x20);
  appendU32(code, Locals);
  std::string ir =
      compileToIr(singleFunctionModule(funcType({I32}, {I32}), body(code, {{Locals, I32}})));
  // The parameter's slot and the used local's.
  EXPECT_EQ(count(ir, " = alloca "), 2u);
}

} // namespace
