// Arithmetic on a signalling NaN gives a quiet NaN, even where LLVM's -O2
// would fold the operation away: x + -0, x - 0, -0 - x, x * 1, x * -1,
// x / 1, x / -1 and demote(promote x) (EmitNumeric.cpp). Compiled at lucetc's
// default optimisation level and run.
#include "CompiledModuleFixture.h"

using namespace lucet;

namespace {

class SignallingNaN : public lucet::testing::CompiledModuleFixture {};

constexpr const char *Folds = R"((module
  (func (export "f32.add_neg0") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.const -0))))
  (func (export "f32.sub_zero") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.sub (f32.reinterpret_i32 (local.get 0)) (f32.const 0))))
  (func (export "f32.neg0_sub") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.sub (f32.const -0) (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32.mul_one") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.mul (f32.reinterpret_i32 (local.get 0)) (f32.const 1))))
  (func (export "f32.neg1_mul") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.mul (f32.const -1) (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32.div_one") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.div (f32.reinterpret_i32 (local.get 0)) (f32.const 1))))
  (func (export "f32.div_neg1") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.div (f32.reinterpret_i32 (local.get 0)) (f32.const -1))))
  (func (export "f32.promote_demote") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.demote_f64 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0))))))
  (func (export "f64.mul_one") (param i64) (result i64)
    (i64.reinterpret_f64 (f64.mul (f64.reinterpret_i64 (local.get 0)) (f64.const 1))))
  (func (export "f64.mul_half") (param f64) (result f64)
    (f64.mul (local.get 0) (f64.const 0.5)))))";

constexpr uint32_t SignallingF32 = 0x7fa00000; // quiet bit clear, payload 0x200000
constexpr uint32_t QuietBitF32 = 0x00400000;

TEST_F(SignallingNaN, FoldableOperationsStillQuietIt) {
  auto instance = instantiate(Folds, hostOnly_);
  ASSERT_TRUE(instance);
  for (const char *name : {"f32.add_neg0", "f32.sub_zero", "f32.neg0_sub", "f32.mul_one",
                           "f32.neg1_mul", "f32.div_one", "f32.div_neg1", "f32.promote_demote"}) {
    auto bits = uint32_t(runI32(*instance, name, {rt::Value::i32(int32_t(SignallingF32))}));
    EXPECT_EQ(bits & 0x7f800000u, 0x7f800000u) << name << ": not a NaN: " << std::hex << bits;
    EXPECT_NE(bits & QuietBitF32, 0u) << name << ": still signalling: " << std::hex << bits;
    // Ordinary values go through unchanged.
    EXPECT_EQ(uint32_t(runI32(*instance, name, {rt::Value::i32(0x40490fdb)})) & 0x7fffffffu,
              0x40490fdbu)
        << name;
  }
  auto r = run(*instance, "f64.mul_one", {rt::Value::i64(int64_t(0x7ff4000000000000))});
  ASSERT_EQ(r.kind, rt::RunResult::Kind::Returned);
  EXPECT_EQ(uint64_t(r.values[0].asI64()), 0x7ffc000000000000u);
  // Other constants are left to the hardware, which quiets as well.
  r = run(*instance, "f64.mul_half", {rt::Value::f64(3.0)});
  EXPECT_EQ(r.values[0].asF64(), 1.5);
}

} // namespace
