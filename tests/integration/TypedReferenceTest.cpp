// Typed function references across the boundaries the validator cannot
// see: host calls, imports between instances of different modules, and a
// table's initial element. The generated code trusts a reference's static
// type (call_ref checks only null), so every way in must check it.
#include "CompiledModuleFixture.h"

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class TypedReferences : public lucet::testing::CompiledModuleFixture {};

constexpr const char *Provider = R"((module
  (type $i (func (result i32)))
  (type $l (func (result i64)))
  (func $seven (export "seven") (type $i) i32.const 7)
  (func $wide (export "wide") (type $l) i64.const 8)
  (table (export "typed") 2 (ref null $i) (ref.func $seven))
  (global (export "g") (ref $i) (ref.func $seven))
  (elem declare func $seven $wide)
  (func (export "get-seven") (result funcref) (ref.func $seven))
  (func (export "get-wide") (result funcref) (ref.func $wide))
  (func (export "call") (param (ref $i)) (result i32) (call_ref $i (local.get 0)))
  (func (export "call-table") (param i32) (result i32)
    (call_ref $i (table.get 0 (local.get 0))))))";

TEST_F(TypedReferences, HostArgumentsAreCheckedAgainstTheParameterType) {
  auto instance = instantiate(Provider, hostOnly_);
  ASSERT_TRUE(instance);
  rt::RunResult seven = run(*instance, "get-seven");
  rt::RunResult wide = run(*instance, "get-wide");
  ASSERT_EQ(seven.values.size(), 1u);
  ASSERT_EQ(wide.values.size(), 1u);
  EXPECT_EQ(runI32(*instance, "call", {seven.values[0]}), 7);
  // A function of another type, and null, never reach call_ref.
  std::vector<rt::Value> wrongType = {wide.values[0]}, null = {rt::Value::ref(0x70, nullptr)};
  auto refused = instance->run("call", wrongType);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("argument 0 does not match parameter type (ref type#"),
            std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(instance->run("call", null));
}

TEST_F(TypedReferences, TableStartsWithItsInitialElement) {
  auto instance = instantiate(Provider, hostOnly_);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "call-table", {rt::Value::i32(0)}), 7);
  EXPECT_EQ(runI32(*instance, "call-table", {rt::Value::i32(1)}), 7);
  EXPECT_EQ(trapOf(*instance, "call-table", {rt::Value::i32(2)}), TrapCode::TableAccessOutOfBounds);
}

TEST_F(TypedReferences, ImportsMatchTypesStructurallyAcrossModules) {
  auto provider = instantiate(Provider, hostOnly_);
  ASSERT_TRUE(provider);
  rt::Linker linker;
  linker.defineInstance("p", *provider);
  // Another module's type of the same shape is the same type; an immutable
  // global may be imported at a supertype.
  auto user = instantiate(R"((module
    (type $dummy (func (param f64)))
    (type $j (func (result i32)))
    (import "p" "seven" (func $seven (type $j)))
    (import "p" "typed" (table 2 (ref null $j)))
    (import "p" "g" (global (ref null func)))
    (import "p" "g" (global $g (ref $j)))
    (func (export "via-global") (result i32) (call_ref $j (global.get $g)))
    (func (export "via-table") (result i32) (call_ref $j (table.get 0 (i32.const 1))))))",
                          linker);
  ASSERT_TRUE(user);
  EXPECT_EQ(runI32(*user, "via-global"), 7);
  EXPECT_EQ(runI32(*user, "via-table"), 7);

  struct Case {
    const char *what;
    const char *text;
  };
  const Case refused[] = {
      {"function of another type", R"((module (type $j (func (result i64)))
        (import "p" "seven" (func (type $j)))))"},
      {"table of another element type", R"((module (type $j (func (result i64)))
        (import "p" "typed" (table 2 (ref null $j)))))"},
      {"table of a supertype (tables are invariant)", R"((module
        (import "p" "typed" (table 2 funcref))))"},
      {"global of another type", R"((module (type $j (func (result i64)))
        (import "p" "g" (global (ref $j)))))"},
  };
  for (const Case &c : refused) {
    auto module = load(c.text);
    ASSERT_TRUE(module) << c.what;
    auto result = rt::Instance::instantiate(module, linker, rt::InstanceLimits{});
    EXPECT_EQ(result.failure, rt::InstantiationFailure::Link) << c.what;
    ASSERT_TRUE(result.error) << c.what;
    EXPECT_NE(result.error->message().find("incompatible import type"), std::string::npos)
        << c.what << ": " << result.error->message();
  }
}

} // namespace
