// compiler-rt's __multi3, recognised by its bytes (compiler/WideMultiply.h),
// compiles to one native 128-bit multiply that computes what the wasm code
// computes and traps at the same store; a body that differs in one
// instruction is compiled as written. Every test runs at -O0 and -O2, under
// both heap models.
#include "CompiledModuleFixture.h"

#include <fstream>
#include <sstream>

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

// __multi3 as clang-19 builds compiler-rt for wasm32 (the bytes of
// WideMultiply.cpp's template, written as text); `$shift` is the body's
// first shift count, 32: WithBody() changes it to make a near miss.
std::string module(const std::string &shift = "32") {
  return R"((module (memory (export "memory") 1)
  (func $multi3 (param i32 i64 i64 i64 i64) (local i64)
    local.get 0
    local.get 4
    local.get 1
    i64.mul
    local.get 2
    local.get 3
    i64.mul
    i64.add
    local.get 3
    i64.const )" +
         shift + R"(
    i64.shr_u
    local.tee 2
    local.get 1
    i64.const 32
    i64.shr_u
    local.tee 4
    i64.mul
    i64.add
    local.get 3
    i64.const 4294967295
    i64.and
    local.tee 3
    local.get 1
    i64.const 4294967295
    i64.and
    local.tee 1
    i64.mul
    local.tee 5
    i64.const 32
    i64.shr_u
    local.get 3
    local.get 4
    i64.mul
    i64.add
    local.tee 3
    i64.const 32
    i64.shr_u
    i64.add
    local.get 3
    i64.const 4294967295
    i64.and
    local.get 2
    local.get 1
    i64.mul
    i64.add
    local.tee 1
    i64.const 32
    i64.shr_u
    i64.add
    i64.store offset=8
    local.get 0
    local.get 1
    i64.const 32
    i64.shl
    local.get 5
    i64.const 4294967295
    i64.and
    i64.or
    i64.store)
  (func (export "mul") (param i32 i64 i64 i64 i64)
    (call $multi3 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))))";
}

class WideMultiply : public lucet::testing::EveryHeapModel {
protected:
  // The module's LLVM IR as lucetc emits it.
  std::string llvmIr(const std::string &text) {
    auto o = options();
    o.emit = compiler::EmitKind::LlvmIr;
    auto path = dir_ / "m.ll";
    auto status = compiler::compileFile(wasmFile(text), path.string(), o);
    EXPECT_TRUE(status) << (status ? "" : status.error().message());
    std::stringstream ir;
    ir << std::ifstream(path).rdbuf();
    return ir.str();
  }

  // a * b as `mul` leaves it at `p`: {low, high}.
  std::pair<uint64_t, uint64_t> product(rt::Instance &instance, unsigned __int128 a,
                                        unsigned __int128 b, int32_t p = 64) {
    auto r = run(instance, "mul",
                 {rt::Value::i32(p), rt::Value::i64(int64_t(uint64_t(a))),
                  rt::Value::i64(int64_t(uint64_t(a >> 64))), rt::Value::i64(int64_t(uint64_t(b))),
                  rt::Value::i64(int64_t(uint64_t(b >> 64)))});
    EXPECT_EQ(r.kind, rt::RunResult::Kind::Returned) << r.trap.describe();
    return {uint64_t(load(instance, p)), uint64_t(load(instance, p + 8))};
  }
  static int64_t load(rt::Instance &instance, int32_t p) {
    auto r = run(instance, "load", {rt::Value::i32(p)});
    return r.values.empty() ? 0 : r.values[0].asI64();
  }
};

TEST_P(WideMultiply, TheCompilerRtBodyBecomesOneNativeMultiply) {
  EXPECT_NE(llvmIr(module()).find("mul i128"), std::string::npos);
}

TEST_P(WideMultiply, ANearMissIsCompiledAsWritten) {
  EXPECT_EQ(llvmIr(module("31")).find("mul i128"), std::string::npos);
}

TEST_P(WideMultiply, ProductsAreThoseOfTheWasmCode) {
  auto instance = instantiate(module(), hostOnly_, options());
  ASSERT_TRUE(instance);
  using u128 = unsigned __int128;
  const uint64_t edges[] = {
      0, 1, 0xffffffffull, 0x100000000ull, 0x8000000000000000ull, 0xffffffffffffffffull};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::pair<u128, u128>> cases;
  for (uint64_t x : edges)
    for (uint64_t y : edges) cases.push_back({u128(x) << 64 | y, u128(y) << 64 | x});
  for (int i = 0; i < 200; ++i)
    cases.push_back({u128(next()) << 64 | next(), u128(next()) << 64 | next()});
  for (auto [a, b] : cases) {
    u128 want = a * b;
    auto [low, high] = product(*instance, a, b);
    EXPECT_EQ(low, uint64_t(want));
    EXPECT_EQ(high, uint64_t(want >> 64));
  }
}

// The high half is stored first (offset 8): when it lies past the end of
// memory the trap comes before either store, so the low half (which would
// land inside memory) is not stored either.
TEST_P(WideMultiply, TrapsAtTheFirstStoreWithMemoryUntouched) {
  auto instance = instantiate(module(), hostOnly_, options());
  ASSERT_TRUE(instance);
  int32_t p = 65536 - 8;
  auto before = product(*instance, (unsigned __int128)1 << 64 | 3, 5, p - 8);
  EXPECT_EQ(before, std::make_pair(uint64_t(15), uint64_t(5)));
  auto r = run(*instance, "mul",
               {rt::Value::i32(p), rt::Value::i64(-1), rt::Value::i64(-1), rt::Value::i64(-1),
                rt::Value::i64(-1)});
  ASSERT_EQ(r.kind, rt::RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, TrapCode::OutOfBounds);
  EXPECT_EQ(load(*instance, p), 5); // the low half, 1, was not stored
  EXPECT_EQ(load(*instance, p - 8), 15);
}

INSTANTIATE_TEST_SUITE_P(Modes, WideMultiply, lucet::testing::everyHeapModel(),
                         lucet::testing::heapModelName);

} // namespace
