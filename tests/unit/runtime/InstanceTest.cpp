#include "runtime/Instance.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace lucet::rt;
using lucet::abi::TrapCode;

namespace {

constexpr uint8_t I32 = 0x7f;

int32_t hostAdd(lucet::abi::VMContext *vmctx, int32_t a, int32_t b) {
  // The host sees the calling instance through its context.
  auto *expected = static_cast<Instance *>(Instance::fromVMContext(vmctx)->hostData());
  if (expected != Instance::fromVMContext(vmctx)) return -1;
  return a + b;
}

int32_t hostExit(lucet::abi::VMContext *vmctx, int32_t a, int32_t b) {
  Instance::exitFromHost(vmctx, uint32_t(a + b));
}

int32_t hostTrap(lucet::abi::VMContext *vmctx, int32_t, int32_t) {
  Instance::trapFromHost(vmctx, TrapCode::HostError, "boom");
}

HostFunctionRegistry registryWith(void *code, lucet::abi::FuncTypeDesc type = {{I32, I32}, {I32}}) {
  HostFunctionRegistry registry;
  registry.define("env", "host_add", {std::move(type), code});
  return registry;
}

std::shared_ptr<const LoadedModule> basicModule() {
  static auto module = LoadedModule::load(FIXTURE_BASIC);
  EXPECT_TRUE(module) << module.error().message();
  return *module;
}

std::unique_ptr<Instance> makeInstance(void *host = reinterpret_cast<void *>(hostAdd),
                                       InstanceLimits limits = {}) {
  auto instance = Instance::create(basicModule(), registryWith(host), limits);
  EXPECT_TRUE(instance) << instance.error().message();
  if (!instance) return nullptr;
  (*instance)->setHostData(instance->get());
  return std::move(*instance);
}

RunResult run(Instance &instance, const std::string &name, std::vector<Value> args = {}) {
  auto result = instance.run(name, args);
  EXPECT_TRUE(result) << result.error().message();
  return result ? *result : RunResult{};
}

int32_t runI32(Instance &instance, const std::string &name, std::vector<Value> args = {}) {
  RunResult r = run(instance, name, std::move(args));
  EXPECT_EQ(r.kind, RunResult::Kind::Returned) << r.trap.describe();
  EXPECT_EQ(r.values.size(), 1u);
  return r.values.empty() ? 0 : r.values[0].asI32();
}

TEST(Instance, CallsExportWithArgumentsAndResults) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "add", {Value::i32(2), Value::i32(40)}), 42);
  EXPECT_EQ(runI32(*instance, "add", {Value::i32(-5), Value::i32(3)}), -2);
  RunResult mixed = run(*instance, "mixed", {Value::i64(1ll << 40), Value::f64(0.5)});
  ASSERT_EQ(mixed.kind, RunResult::Kind::Returned);
  ASSERT_EQ(mixed.values.size(), 1u);
  EXPECT_EQ(mixed.values[0].type, 0x7c);
  EXPECT_EQ(mixed.values[0].asF64(), double(1ll << 40) + 0.5);
}

TEST(Instance, RefusesBadArgumentsAndMissingExports) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  std::vector<Value> oneArg = {Value::i32(1)};
  auto r = instance->run("add", oneArg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "add: expected arguments (i32, i32), got (i32)");
  std::vector<Value> wrongType = {Value::i32(1), Value::i64(2)};
  EXPECT_FALSE(instance->run("add", wrongType));
  auto missing = instance->run("nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("no exported function named 'nope'"), std::string::npos);
}

TEST(Instance, InitializesMemoryGlobalsAndRunsStart) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  GuestMemory memory = instance->memory();
  EXPECT_EQ(memory.size(), 65536u);
  EXPECT_EQ(memory.string(16, 5), "hello");
  EXPECT_EQ(memory.read<uint8_t>(100), 0x5a); // written by the start function
  EXPECT_EQ(runI32(*instance, "get_global"), 1042);
}

TEST(Instance, ReadsAndWritesMemoryThroughHeapBase) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  RunResult stored = run(*instance, "store", {Value::i32(200), Value::i32(0x12345678)});
  EXPECT_EQ(stored.kind, RunResult::Kind::Returned);
  EXPECT_EQ(instance->memory().read<int32_t>(200), 0x12345678);
  ASSERT_TRUE(instance->memory().write<int32_t>(300, -77));
  EXPECT_EQ(runI32(*instance, "load", {Value::i32(300)}), -77);
  EXPECT_EQ(runI32(*instance, "load", {Value::i32(65532)}), 0);
}

TEST(Instance, FarStoreInGuardRegionIsOutOfBoundsTrap) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  RunResult r = run(*instance, "store_far");
  ASSERT_EQ(r.kind, RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, TrapCode::OutOfBounds);
  EXPECT_EQ(r.trap.funcIndex, 4u);
  EXPECT_EQ(r.trap.funcName, "store_far");
  EXPECT_FALSE(r.trap.hasWasmOffset);
  EXPECT_EQ(r.trap.describe(), "out of bounds memory access in store_far");

  RunResult justPast = run(*instance, "load", {Value::i32(65536)});
  ASSERT_EQ(justPast.kind, RunResult::Kind::Trapped);
  EXPECT_EQ(justPast.trap.code, TrapCode::OutOfBounds);
  EXPECT_EQ(justPast.trap.funcName, "load");
  // The instance is still usable afterwards.
  EXPECT_EQ(runI32(*instance, "add", {Value::i32(1), Value::i32(2)}), 3);
}

TEST(Instance, UnboundedRecursionIsStackOverflowTrap) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  // Twice: the signal mask must have been restored after the first.
  for (int i = 0; i < 2; ++i) {
    RunResult r = run(*instance, "recurse", {Value::i32(0)});
    ASSERT_EQ(r.kind, RunResult::Kind::Trapped);
    EXPECT_EQ(r.trap.code, TrapCode::StackOverflow);
    EXPECT_EQ(r.trap.funcName, "recurse");
    EXPECT_EQ(r.trap.describe(), "call stack exhausted in recurse");
  }
  EXPECT_EQ(runI32(*instance, "add", {Value::i32(20), Value::i32(22)}), 42);
}

TEST(Instance, ExplicitTrapReportsCodeFunctionAndOffset) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  RunResult r = run(*instance, "explicit_trap");
  ASSERT_EQ(r.kind, RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, TrapCode::Unreachable);
  EXPECT_EQ(r.trap.funcIndex, 6u);
  EXPECT_EQ(r.trap.funcName, "explicit_trap");
  EXPECT_TRUE(r.trap.hasWasmOffset);
  EXPECT_EQ(r.trap.wasmOffset, 0x1a2u);
  EXPECT_EQ(r.trap.describe(), "unreachable in explicit_trap at wasm offset 0x1a2");
}

// lucetc checks divisors and calls the runtime for `unreachable`, so a
// hardware divide fault or an illegal instruction in guest code means the
// code is not what the compiler meant: the runtime aborts with a diagnostic
// instead of passing it off as the guest's trap. (The fixture's functions
// divide and execute ud2 directly, as miscompiled code would.)
TEST(InstanceDeathTest, HardwareTrapsFromGuestCodeAreRuntimeBugs) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "div", {Value::i32(84), Value::i32(2)}), 42);
  EXPECT_DEATH(
      (void)run(*instance, "div", {Value::i32(1), Value::i32(0)}),
      "lucet runtime: fatal: SIGFPE at pc 0x[0-9a-f]+ \\(guest code of .*rt-fixture-basic.so, "
      "function [0-9]+\\).*This is a bug in lucet");
  EXPECT_DEATH((void)run(*instance, "ud2"), "lucet runtime: fatal: SIGILL .*illegal instruction");
}

TEST(Instance, MemoryGrowStopsAtModuleMaximum) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  uint8_t *base = instance->memory().base();
  EXPECT_EQ(runI32(*instance, "size"), 1);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(0)}), 1);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(2)}), 1);
  EXPECT_EQ(runI32(*instance, "size"), 3);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(2)}), -1); // module max is 4 pages
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(1)}), 3);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(1)}), -1);
  EXPECT_EQ(instance->memory().size(), 4u * 65536);
  EXPECT_EQ(instance->memory().base(), base); // never moves
  RunResult stored = run(*instance, "store", {Value::i32(4 * 65536 - 4), Value::i32(9)});
  EXPECT_EQ(stored.kind, RunResult::Kind::Returned);
  EXPECT_EQ(runI32(*instance, "load", {Value::i32(4 * 65536 - 4)}), 9);
  EXPECT_EQ(run(*instance, "load", {Value::i32(4 * 65536)}).kind, RunResult::Kind::Trapped);
}

TEST(Instance, MemoryGrowStopsAtEmbedderLimit) {
  InstanceLimits limits;
  limits.maxHeapSize = 2 * 65536;
  auto instance = makeInstance(reinterpret_cast<void *>(hostAdd), limits);
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(1)}), 1);
  EXPECT_EQ(runI32(*instance, "grow", {Value::i32(1)}), -1);
  EXPECT_EQ(runI32(*instance, "size"), 2);
}

TEST(Instance, RefusesInitialMemoryAboveMaxHeapSize) {
  InstanceLimits limits;
  limits.maxHeapSize = 4096;
  auto instance = Instance::create(basicModule(), registryWith((void *)hostAdd), limits);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("exceeds the maximum heap size"), std::string::npos)
      << instance.error().message();
}

TEST(Instance, RefusesAddressSpaceSmallerThanCompiledFor) {
  InstanceLimits limits;
  limits.heapAddressSpace = 4ull << 30;
  auto instance = Instance::create(basicModule(), registryWith((void *)hostAdd), limits);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("raise --heap-address-space"), std::string::npos)
      << instance.error().message();
}

TEST(Instance, CallsBoundHostFunction) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  EXPECT_EQ(runI32(*instance, "call_host", {Value::i32(20), Value::i32(22)}), 42);
}

TEST(Instance, ExitFromHostEndsRunWithCode) {
  auto instance = makeInstance(reinterpret_cast<void *>(hostExit));
  ASSERT_TRUE(instance);
  RunResult r = run(*instance, "call_host", {Value::i32(3), Value::i32(4)});
  EXPECT_EQ(r.kind, RunResult::Kind::Exited);
  EXPECT_EQ(r.exitCode, 7u);
  EXPECT_EQ(runI32(*instance, "add", {Value::i32(1), Value::i32(1)}), 2);
}

TEST(Instance, TrapFromHostCarriesMessage) {
  auto instance = makeInstance(reinterpret_cast<void *>(hostTrap));
  ASSERT_TRUE(instance);
  RunResult r = run(*instance, "call_host", {Value::i32(3), Value::i32(4)});
  ASSERT_EQ(r.kind, RunResult::Kind::Trapped);
  EXPECT_EQ(r.trap.code, TrapCode::HostError);
  EXPECT_EQ(r.trap.message, "boom");
  EXPECT_EQ(r.trap.describe(), "host function error: boom");
}

TEST(Instance, RefusesUnknownImport) {
  auto instance = Instance::create(basicModule(), HostFunctionRegistry(), {});
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().message(),
            std::string(FIXTURE_BASIC) + ": unknown import: env.host_add (function)");
}

TEST(Instance, RefusesImportWithWrongSignature) {
  auto instance =
      Instance::create(basicModule(), registryWith((void *)hostAdd, {{I32}, {I32}}), {});
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().message(),
            std::string(FIXTURE_BASIC) +
                ": import env.host_add: type mismatch: module expects (i32, i32) -> (i32), host "
                "provides (i32) -> (i32)");
}

TEST(Instance, RefusesOutOfBoundsDataSegment) {
  auto module = LoadedModule::load(FIXTURE_OOBDATA);
  ASSERT_TRUE(module) << module.error().message();
  auto instance = Instance::create(*module, registryWith((void *)hostAdd), {});
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message().find("out of bounds memory access"), std::string::npos)
      << instance.error().message();
}

TEST(Instance, IndirectCallsThroughTableFilledByElementSegment) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  auto callTable = [&](int32_t slot) {
    return run(*instance, "call_table", {Value::i32(slot), Value::i32(3), Value::i32(4)});
  };
  RunResult added = callTable(1), multiplied = callTable(2);
  ASSERT_EQ(added.kind, RunResult::Kind::Returned);
  EXPECT_EQ(added.values[0].asI32(), 7);
  ASSERT_EQ(multiplied.kind, RunResult::Kind::Returned);
  EXPECT_EQ(multiplied.values[0].asI32(), 12);
  EXPECT_EQ(callTable(0).trap.code, TrapCode::IndirectCallNull);
  EXPECT_EQ(callTable(3).trap.code, TrapCode::IndirectCallTypeMismatch);
  EXPECT_EQ(callTable(4).trap.code, TrapCode::TableOutOfBounds);
}

RunResult run3(Instance &instance, const std::string &name, int32_t a, int32_t b, int32_t c) {
  return run(instance, name, {Value::i32(a), Value::i32(b), Value::i32(c)});
}

TEST(Instance, MemoryInitAndDataDropCallbacks) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  EXPECT_EQ(run3(*instance, "mem_init", 400, 0, 3).kind, RunResult::Kind::Returned);
  EXPECT_EQ(instance->memory().string(400, 3), "xyz");
  RunResult pastSegment = run3(*instance, "mem_init", 500, 1, 3);
  ASSERT_EQ(pastSegment.kind, RunResult::Kind::Trapped);
  EXPECT_EQ(pastSegment.trap.describe(), "out of bounds memory access in mem_init at wasm "
                                         "offset 0x50");
  EXPECT_EQ(instance->memory().read<uint8_t>(500), 0); // nothing written
  EXPECT_EQ(run3(*instance, "mem_init", 65534, 0, 3).trap.code, TrapCode::OutOfBounds);
  EXPECT_EQ(run(*instance, "data_drop").kind, RunResult::Kind::Returned);
  EXPECT_EQ(run3(*instance, "mem_init", 400, 0, 0).kind, RunResult::Kind::Returned);
  EXPECT_EQ(run3(*instance, "mem_init", 400, 0, 1).trap.code, TrapCode::OutOfBounds);
}

TEST(Instance, TableCallbacks) {
  auto instance = makeInstance();
  ASSERT_TRUE(instance);
  auto callTable = [&](int32_t slot) { return run3(*instance, "call_table", slot, 3, 4); };
  auto product = [&](int32_t slot) {
    RunResult r = callTable(slot);
    return r.kind == RunResult::Kind::Returned ? r.values[0].asI32() : -1;
  };
  // Table: [null, add, mul, load], 4 elements, at most 6.
  EXPECT_EQ(runI32(*instance, "table_grow", {Value::i32(1)}), 4);
  EXPECT_EQ(product(4), 12);
  EXPECT_EQ(runI32(*instance, "table_grow", {Value::i32(2)}), -1);
  EXPECT_EQ(runI32(*instance, "table_grow", {Value::i32(1)}), 5);

  EXPECT_EQ(run3(*instance, "table_init", 0, 0, 2).kind, RunResult::Kind::Returned);
  EXPECT_EQ(product(0), 12);
  EXPECT_EQ(product(1), 7);
  RunResult initPast = run3(*instance, "table_init", 5, 0, 2);
  EXPECT_EQ(initPast.trap.code, TrapCode::TableAccessOutOfBounds);
  EXPECT_EQ(initPast.trap.funcName, "table_init");
  EXPECT_EQ(initPast.trap.wasmOffset, 0x60u);

  EXPECT_EQ(run3(*instance, "table_copy", 3, 0, 1).kind, RunResult::Kind::Returned);
  EXPECT_EQ(product(3), 12);
  EXPECT_EQ(run3(*instance, "table_copy", 5, 0, 2).trap.code, TrapCode::TableAccessOutOfBounds);

  EXPECT_EQ(run3(*instance, "table_fill", 0, 0, 2).kind, RunResult::Kind::Returned);
  EXPECT_EQ(callTable(0).trap.code, TrapCode::IndirectCallNull);
  EXPECT_EQ(callTable(1).trap.code, TrapCode::IndirectCallNull);
  EXPECT_EQ(run3(*instance, "table_fill", 6, 0, 1).trap.code, TrapCode::TableAccessOutOfBounds);

  EXPECT_EQ(run(*instance, "elem_drop").kind, RunResult::Kind::Returned);
  EXPECT_EQ(run3(*instance, "table_init", 0, 0, 0).kind, RunResult::Kind::Returned);
  EXPECT_EQ(run3(*instance, "table_init", 0, 0, 1).trap.code, TrapCode::TableAccessOutOfBounds);
}

TEST(Instance, TrapInOneInstanceLeavesAnotherUsable) {
  auto a = makeInstance();
  auto b = makeInstance();
  ASSERT_TRUE(a && b);
  run(*b, "store", {Value::i32(8), Value::i32(123)});
  EXPECT_EQ(run(*a, "store_far").kind, RunResult::Kind::Trapped);
  EXPECT_EQ(run(*a, "recurse", {Value::i32(0)}).kind, RunResult::Kind::Trapped);
  EXPECT_EQ(runI32(*b, "load", {Value::i32(8)}), 123);
  EXPECT_EQ(runI32(*b, "call_host", {Value::i32(1), Value::i32(2)}), 3);
  EXPECT_EQ(runI32(*a, "load", {Value::i32(8)}), 0); // memories are separate
}

TEST(Instance, ManyInstancesOnManyThreads) {
  constexpr int Threads = 4, Rounds = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < Threads; ++t) {
    threads.emplace_back([&, t] {
      InstanceLimits limits;
      limits.stackSize = 256 * 1024;
      for (int i = 0; i < Rounds; ++i) {
        auto instance = Instance::create(basicModule(), registryWith((void *)hostAdd), limits);
        if (!instance) {
          ++failures;
          continue;
        }
        (*instance)->setHostData(instance->get());
        Instance &inst = **instance;
        std::vector<Value> args = {Value::i32(t), Value::i32(i)};
        auto sum = inst.run("call_host", args);
        if (!sum || sum->kind != RunResult::Kind::Returned || sum->values[0].asI32() != t + i)
          ++failures;
        auto oob = inst.run("store_far");
        if (!oob || oob->trap.code != TrapCode::OutOfBounds) ++failures;
        if (i % 8 == 0) {
          std::vector<Value> zero = {Value::i32(0)};
          auto overflow = inst.run("recurse", zero);
          if (!overflow || overflow->trap.code != TrapCode::StackOverflow) ++failures;
        }
        auto explicitTrap = inst.run("explicit_trap");
        if (!explicitTrap || explicitTrap->trap.wasmOffset != 0x1a2) ++failures;
      }
    });
  }
  for (auto &th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Trap, DescribeOmitsUnknownParts) {
  Trap trap;
  trap.code = TrapCode::IntegerOverflow;
  EXPECT_EQ(trap.describe(), "integer overflow");
  trap.funcIndex = 3;
  EXPECT_EQ(trap.describe(), "integer overflow in func[3]");
  trap.funcName = "foo";
  trap.wasmOffset = 0x1a2;
  trap.hasWasmOffset = true;
  EXPECT_EQ(trap.describe(), "integer overflow in foo at wasm offset 0x1a2");
}

} // namespace
