// The C API: the same behaviour as the C++ API, through opaque handles,
// lucet_error_t and C host functions with an env pointer.
#include "GuestBuilder.h"
#include "Guests.h"

#include "lucet.h"
#include "lucet_compile.h"
#include "lucet_wasi.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace {

using lucet::test::GuestBuilder;

std::string takeMessage(lucet_error_t *error) {
  if (!error) return "";
  std::string message = lucet_error_message(error);
  lucet_error_delete(error);
  return message;
}

class CApiTest : public ::testing::Test {
protected:
  void TearDown() override {
    for (auto *i : instances_) lucet_instance_delete(i);
    for (auto *m : modules_) lucet_module_delete(m);
  }

  lucet_module_t *load(const char *wat) {
    std::string so = builder_.build(wat);
    lucet_module_t *module = nullptr;
    std::string error = takeMessage(lucet_module_load(so.c_str(), &module));
    EXPECT_EQ(error, "");
    if (module) modules_.push_back(module);
    return module;
  }

  lucet_instance_t *instantiate(lucet_module_t *module, lucet_linker_t *linker,
                                lucet_wasi_config_t *wasi = nullptr) {
    lucet_instance_limits_t limits;
    lucet_instance_limits_default(&limits);
    limits.heap_size = 1 << 20;
    limits.stack_size = 256 << 10;
    lucet_instance_t *instance = nullptr;
    std::string error =
        takeMessage(wasi ? lucet_instance_new_wasi(module, linker, &limits, wasi, &instance)
                         : lucet_instance_new(module, linker, &limits, &instance));
    EXPECT_EQ(error, "");
    if (instance) instances_.push_back(instance);
    return instance;
  }

  static lucet_val_t i32(int32_t v) {
    lucet_val_t val;
    val.kind = LUCET_I32;
    val.of.i32 = v;
    return val;
  }

  GuestBuilder builder_;
  std::vector<lucet_module_t *> modules_;
  std::vector<lucet_instance_t *> instances_;
};

struct HostState {
  int calls = 0;
  bool finalized = false;
};

void hostAdd(void *env, lucet_caller_t *, const lucet_val_t *args, size_t nargs,
             lucet_val_t *results, size_t nresults) {
  ++static_cast<HostState *>(env)->calls;
  ASSERT_EQ(nargs, 2u);
  ASSERT_EQ(nresults, 1u);
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
}

void hostMix(void *, lucet_caller_t *, const lucet_val_t *args, size_t, lucet_val_t *results,
             size_t) {
  results[0].of.f64 = double(args[0].of.i64) + args[1].of.f64 + args[2].of.i32 + args[3].of.f32;
}

void hostSumBytes(void *, lucet_caller_t *caller, const lucet_val_t *args, size_t,
                  lucet_val_t *results, size_t) {
  uint32_t ptr = uint32_t(args[0].of.i32), len = uint32_t(args[1].of.i32);
  const uint8_t *bytes = lucet_caller_memory(caller, ptr, len);
  if (!bytes) {
    uint8_t probe;
    // Refused the same way by the copying accessors.
    results[0].of.i32 = lucet_caller_read(caller, ptr, &probe, 1) && len == 1 ? -2 : -1;
    return;
  }
  int32_t sum = 0;
  for (uint32_t i = 0; i < len; ++i) sum += bytes[i];
  results[0].of.i32 = sum;
}

void hostFail(void *, lucet_caller_t *caller, const lucet_val_t *args, size_t, lucet_val_t *,
              size_t) {
  if (args[0].of.i32 == 1)
    lucet_caller_trap(caller, "c host says no");
  else if (args[0].of.i32 == 2)
    lucet_caller_exit(caller, 5);
  else {
    uint32_t v = 0xdeadbeef;
    EXPECT_TRUE(lucet_caller_write(caller, 0, &v, 4));
    EXPECT_FALSE(lucet_caller_write(caller, uint32_t(lucet_caller_memory_size(caller)) - 2, &v, 4));
  }
}

void hostHalve(void *, lucet_caller_t *, const lucet_val_t *args, size_t, lucet_val_t *results,
               size_t) {
  results[0].of.f32 = args[0].of.f32 / 2;
}

void hostWide(void *, lucet_caller_t *, const lucet_val_t *args, size_t, lucet_val_t *results,
              size_t) {
  results[0].of.i64 = args[0].of.i64 * 3;
}

lucet_linker_t *makeLinker(HostState *state) {
  lucet_linker_t *linker = lucet_linker_new();
  lucet_valkind_t ii[] = {LUCET_I32, LUCET_I32}, i[] = {LUCET_I32}, f[] = {LUCET_F64};
  lucet_valkind_t mix[] = {LUCET_I64, LUCET_F64, LUCET_I32, LUCET_F32};
  auto finalize = [](void *env) { static_cast<HostState *>(env)->finalized = true; };
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "add", ii, 2, i, 1, hostAdd, state,
                                                 finalize)),
            "");
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "mix", mix, 4, f, 1, hostMix,
                                                 nullptr, nullptr)),
            "");
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "sum_bytes", ii, 2, i, 1,
                                                 hostSumBytes, nullptr, nullptr)),
            "");
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "fail", i, 1, nullptr, 0, hostFail,
                                                 nullptr, nullptr)),
            "");
  lucet_valkind_t f32[] = {LUCET_F32}, i64[] = {LUCET_I64};
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "halve", f32, 1, f32, 1, hostHalve,
                                                 nullptr, nullptr)),
            "");
  EXPECT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "wide", i64, 1, i64, 1, hostWide,
                                                 nullptr, nullptr)),
            "");
  return linker;
}

TEST_F(CApiTest, LoadInstantiateRun) {
  lucet_module_t *module = load(lucet::test::PlainGuest);
  ASSERT_TRUE(module);
  lucet_instance_t *instance = instantiate(module, nullptr);
  ASSERT_TRUE(instance);
  lucet_val_t args[2];
  args[0].kind = args[1].kind = LUCET_I64;
  args[0].of.i64 = 6;
  args[1].of.i64 = 7;
  lucet_val_t result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "mul", args, 2, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_RETURNED);
  ASSERT_EQ(run.nresults, 1u);
  EXPECT_EQ(result.kind, LUCET_I64);
  EXPECT_EQ(result.of.i64, 42);
  uint64_t size = 0;
  EXPECT_NE(lucet_instance_memory(instance, &size), nullptr);
  EXPECT_EQ(size, 65536u);
  // No room for the result, and an unknown export: errors, nothing runs.
  EXPECT_NE(takeMessage(lucet_instance_run(instance, "mul", args, 2, nullptr, 0, &run)), "");
  EXPECT_NE(takeMessage(lucet_instance_run(instance, "nope", nullptr, 0, nullptr, 0, &run)), "");
}

TEST_F(CApiTest, HostFunctionsWithEnvAndMemoryAccess) {
  static HostState state; // see HostFunctionTrapAndExit
  lucet_module_t *module = load(lucet::test::HostCallsGuest);
  lucet_linker_t *linker = makeLinker(&state);
  lucet_instance_t *instance = instantiate(module, linker);
  lucet_linker_delete(linker); // the instance keeps what it uses
  ASSERT_TRUE(instance);
  EXPECT_FALSE(state.finalized);

  lucet_val_t args[2] = {i32(40), i32(2)}, result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_add", args, 2, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_RETURNED);
  EXPECT_EQ(result.of.i32, 42);
  EXPECT_EQ(state.calls, 1);

  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_mix", nullptr, 0, &result, 1, &run)),
            "");
  EXPECT_DOUBLE_EQ(result.of.f64, 1e12 + 0.5 - 3 + 0.25);

  lucet_val_t f;
  f.kind = LUCET_F32;
  f.of.f32 = 5.0f;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_halve", &f, 1, &result, 1, &run)), "");
  EXPECT_EQ(result.kind, LUCET_F32);
  EXPECT_EQ(result.of.f32, 2.5f);
  lucet_val_t w;
  w.kind = LUCET_I64;
  w.of.i64 = int64_t(1) << 40;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_wide", &w, 1, &result, 1, &run)), "");
  EXPECT_EQ(result.of.i64, int64_t(3) << 40);

  lucet_val_t inBounds[2] = {i32(16), i32(4)}, outOfBounds[2] = {i32(65535), i32(2)};
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_sum", inBounds, 2, &result, 1, &run)),
            "");
  EXPECT_EQ(result.of.i32, 10);
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_sum", outOfBounds, 2, &result, 1, &run)),
            "");
  EXPECT_EQ(result.of.i32, -1);

  lucet_val_t zero = i32(0);
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_fail", &zero, 1, &result, 1, &run)), "");
  uint32_t written;
  std::memcpy(&written, lucet_instance_memory(instance, nullptr), 4);
  EXPECT_EQ(written, 0xdeadbeefu);

  lucet_instance_delete(instance);
  instances_.clear();
  EXPECT_TRUE(state.finalized);
}

TEST_F(CApiTest, HostFunctionTrapAndExit) {
  // Static: on an early return, TearDown deletes the instance, whose
  // finalizer then still finds it.
  static HostState state;
  lucet_module_t *module = load(lucet::test::HostCallsGuest);
  lucet_linker_t *linker = makeLinker(&state);
  lucet_instance_t *instance = instantiate(module, linker);
  lucet_linker_delete(linker);
  ASSERT_TRUE(instance);
  lucet_val_t one = i32(1), two = i32(2), result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_fail", &one, 1, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_TRAPPED);
  EXPECT_EQ(run.trap, LUCET_TRAP_HOST_ERROR);
  EXPECT_NE(std::string(run.trap_message).find("c host says no"), std::string::npos);
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "call_fail", &two, 1, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_EXITED);
  EXPECT_EQ(run.exit_code, 5u);
  // Before `state` goes: deleting the instance runs its finalizer.
  lucet_instance_delete(instance);
  instances_.clear();
}

TEST_F(CApiTest, WasiArgsAndExitCode) {
  lucet_module_t *module = load(lucet::test::WasiGuest);
  lucet_wasi_config_t *wasi = lucet_wasi_config_new();
  const char *argv[] = {"prog", "x", "y", "z"};
  lucet_wasi_config_set_args(wasi, 4, argv);
  lucet_instance_t *instance = instantiate(module, nullptr, wasi);
  lucet_wasi_config_delete(wasi);
  ASSERT_TRUE(instance);
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "_start", nullptr, 0, nullptr, 0, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_EXITED);
  EXPECT_EQ(run.exit_code, 44u);

  wasi = lucet_wasi_config_new();
  lucet_wasi_config_add_env(wasi, "KEY", "v");
  lucet_wasi_config_inherit_stdio(wasi);
  lucet_wasi_config_preopen_dir(wasi, builder_.dir().c_str(), "/sandbox");
  lucet_instance_t *withEnv = instantiate(module, nullptr, wasi);
  lucet_wasi_config_delete(wasi);
  ASSERT_TRUE(withEnv);
  ASSERT_EQ(takeMessage(lucet_instance_run(withEnv, "_start", nullptr, 0, nullptr, 0, &run)), "");
  EXPECT_EQ(run.exit_code, 106u); // "KEY=v\0"
}

TEST_F(CApiTest, TrapLeavesAnotherInstanceUsable) {
  lucet_module_t *module = load(lucet::test::PlainGuest);
  lucet_instance_t *first = instantiate(module, nullptr);
  lucet_instance_t *second = instantiate(module, nullptr);
  ASSERT_TRUE(first && second);
  lucet_val_t result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(first, "boom", nullptr, 0, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_TRAPPED);
  EXPECT_EQ(run.trap, LUCET_TRAP_UNREACHABLE);
  EXPECT_STREQ(run.trap_function, "boom");
  EXPECT_TRUE(run.trap_has_wasm_offset);
  lucet_val_t grow = i32(1);
  ASSERT_EQ(takeMessage(lucet_instance_run(second, "grow", &grow, 1, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_RETURNED);
  EXPECT_EQ(result.of.i32, 1);
}

TEST_F(CApiTest, UncaughtExceptionIsATrapKind) {
  lucet_module_t *module = load(R"((module
    (tag $oops (export "oops"))
    (func (export "throws") (throw $oops))))");
  lucet_instance_t *instance = instantiate(module, nullptr);
  ASSERT_TRUE(instance);
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "throws", nullptr, 0, nullptr, 0, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_TRAPPED);
  EXPECT_EQ(run.trap, LUCET_TRAP_UNCAUGHT_EXCEPTION);
  EXPECT_NE(std::string(run.trap_message).find("uncaught exception: tag \"oops\""),
            std::string::npos)
      << run.trap_message;
}

// Throws the tag in `env` with the argument, plus one.
void hostThrow(void *env, lucet_caller_t *caller, const lucet_val_t *args, size_t, lucet_val_t *,
               size_t) {
  lucet_val_t payload = args[0];
  payload.of.i32 += 1;
  lucet_caller_throw(caller, static_cast<const lucet_tag_t *>(env), &payload, 1);
}

TEST_F(CApiTest, HostFunctionsThrowWasmExceptions) {
  lucet_module_t *module = load(R"((module
    (import "env" "oops" (tag $oops (param i32)))
    (import "env" "throw" (func $throw (param i32)))
    (tag $mine (export "mine") (param i32))
    (export "oops" (tag $oops))
    (func (export "caught") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $oops $h) (call $throw (local.get 0)))
        (i32.const -1)))
    (func (export "uncaught") (param i32) (call $throw (local.get 0)))))");
  ASSERT_TRUE(module);
  lucet_valkind_t i32Kind = LUCET_I32;
  lucet_tag_t *oops = nullptr;
  ASSERT_EQ(takeMessage(lucet_tag_new("oops", &i32Kind, 1, &oops)), "");
  lucet_linker_t *linker = lucet_linker_new();
  ASSERT_EQ(takeMessage(lucet_linker_define_tag(linker, "env", "oops", oops)), "");
  ASSERT_EQ(takeMessage(lucet_linker_define_func(linker, "env", "throw", &i32Kind, 1, nullptr, 0,
                                                 hostThrow, oops, nullptr)),
            "");
  lucet_instance_t *instance = instantiate(module, linker);
  ASSERT_TRUE(instance);

  lucet_val_t arg = i32(41), result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "caught", &arg, 1, &result, 1, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_RETURNED);
  EXPECT_EQ(result.of.i32, 42);
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "uncaught", &arg, 1, nullptr, 0, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_TRAPPED);
  EXPECT_EQ(run.trap, LUCET_TRAP_UNCAUGHT_EXCEPTION);
  EXPECT_NE(std::string(run.trap_message).find("tag \"oops\""), std::string::npos)
      << run.trap_message;

  // The guest's exports: the imported tag is the same tag, its own is not.
  lucet_tag_t *exported = lucet_instance_tag(instance, "oops");
  lucet_tag_t *mine = lucet_instance_tag(instance, "mine");
  ASSERT_TRUE(exported && mine);
  EXPECT_TRUE(lucet_tag_same(exported, oops));
  EXPECT_FALSE(lucet_tag_same(mine, oops));
  EXPECT_EQ(lucet_instance_tag(instance, "caught"), nullptr);
  lucet_valkind_t bad = lucet_valkind_t(0x42);
  lucet_tag_t *invalid = nullptr;
  EXPECT_NE(takeMessage(lucet_tag_new("bad", &bad, 1, &invalid)), "");
  EXPECT_EQ(invalid, nullptr);
  lucet_tag_delete(exported);
  lucet_tag_delete(mine);
  // The instance keeps what it imported when the linker is gone.
  lucet_linker_delete(linker);
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "caught", &arg, 1, &result, 1, &run)), "");
  EXPECT_EQ(result.of.i32, 42);
  lucet_tag_delete(oops); // hostThrow's env: no call after this
}

TEST_F(CApiTest, ErrorsForMissingFileUnknownImportAndBadTypes) {
  lucet_module_t *module = reinterpret_cast<lucet_module_t *>(1);
  std::string missing = takeMessage(lucet_module_load("/no/such/file.so", &module));
  EXPECT_NE(missing.find("/no/such/file.so"), std::string::npos);
  EXPECT_EQ(module, nullptr);

  lucet_module_t *importing = load(lucet::test::UnknownImportGuest);
  ASSERT_TRUE(importing);
  lucet_instance_t *instance = nullptr;
  std::string unknown = takeMessage(lucet_instance_new(importing, nullptr, nullptr, &instance));
  EXPECT_NE(unknown.find("env.missing"), std::string::npos);
  EXPECT_EQ(instance, nullptr);

  lucet_linker_t *linker = lucet_linker_new();
  lucet_valkind_t bad[] = {lucet_valkind_t(0x42)};
  EXPECT_NE(takeMessage(lucet_linker_define_func(linker, "env", "f", bad, 1, nullptr, 0, hostFail,
                                                 nullptr, nullptr)),
            "");
  lucet_linker_delete(linker);
}

TEST_F(CApiTest, CompileFile) {
  std::string wasm = (builder_.dir() / "none.wasm").string();
  std::string error = takeMessage(lucet_compile_file(wasm.c_str(), "/tmp/never.so", 2));
  EXPECT_NE(error.find("none.wasm"), std::string::npos);
}

// Memory and a counter global that `bump` changes; `spin` never returns.
constexpr const char *PooledGuest = R"((module
  (memory (export "memory") 1)
  (data (i32.const 16) "init")
  (global $counter (export "counter") (mut i32) (i32.const 7))
  (global (export "fixed") i64 (i64.const -5))
  (func (export "bump") (result i32)
    (i32.store8 (i32.const 16) (i32.const 88))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "spin") (loop $l (br $l))))
)";

TEST_F(CApiTest, RegionSlotsResetAndGlobals) {
  lucet_module_t *module = load(PooledGuest);
  ASSERT_TRUE(module);
  lucet_instance_limits_t limits;
  lucet_instance_limits_default(&limits);
  limits.heap_size = 1 << 20;
  limits.stack_size = 128 << 10;
  lucet_region_t *region = nullptr;
  ASSERT_EQ(takeMessage(lucet_region_new(&limits, 2, &region)), "");
  EXPECT_EQ(lucet_region_capacity(region), 2u);
  EXPECT_EQ(lucet_region_slots_in_use(region), 0u);

  lucet_instance_t *a = nullptr, *b = nullptr, *c = nullptr;
  ASSERT_EQ(takeMessage(lucet_region_instance_new(region, module, nullptr, &a)), "");
  ASSERT_EQ(takeMessage(lucet_region_instance_new(region, module, nullptr, &b)), "");
  EXPECT_EQ(lucet_region_slots_in_use(region), 2u);
  std::string full = takeMessage(lucet_region_instance_new(region, module, nullptr, &c));
  EXPECT_NE(full.find("slot"), std::string::npos) << full;
  EXPECT_EQ(c, nullptr);

  lucet_val_t result;
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(a, "bump", nullptr, 0, &result, 1, &run)), "");
  EXPECT_EQ(result.of.i32, 8);
  uint64_t size = 0;
  EXPECT_EQ(lucet_instance_memory(a, &size)[16], 88);
  EXPECT_EQ(size, 65536u);

  // Globals by name: read, written, refused for an immutable one or a wrong type.
  lucet_val_t value;
  ASSERT_TRUE(lucet_instance_global_get(a, "counter", &value));
  EXPECT_EQ(value.kind, LUCET_I32);
  EXPECT_EQ(value.of.i32, 8);
  ASSERT_TRUE(lucet_instance_global_get(a, "fixed", &value));
  EXPECT_EQ(value.kind, LUCET_I64);
  EXPECT_EQ(value.of.i64, -5);
  EXPECT_FALSE(lucet_instance_global_get(a, "nope", &value));
  lucet_val_t hundred = i32(100);
  ASSERT_EQ(takeMessage(lucet_instance_global_set(a, "counter", &hundred)), "");
  EXPECT_NE(takeMessage(lucet_instance_global_set(a, "fixed", &hundred)), "");
  value.kind = LUCET_I64;
  value.of.i64 = 1;
  EXPECT_NE(takeMessage(lucet_instance_global_set(a, "counter", &value)), "");
  ASSERT_EQ(takeMessage(lucet_instance_run(a, "bump", nullptr, 0, &result, 1, &run)), "");
  EXPECT_EQ(result.of.i32, 101);

  // Reset: initial memory and globals again, the same slot.
  ASSERT_EQ(takeMessage(lucet_instance_reset(a)), "");
  EXPECT_EQ(lucet_instance_memory(a, &size)[16], 'i');
  ASSERT_TRUE(lucet_instance_global_get(a, "counter", &value));
  EXPECT_EQ(value.of.i32, 7);
  EXPECT_EQ(lucet_region_slots_in_use(region), 2u);

  // A slot given back is clean for the next instance; the region outlives
  // its handle while an instance uses it.
  lucet_instance_delete(b);
  EXPECT_EQ(lucet_region_slots_in_use(region), 1u);
  ASSERT_EQ(takeMessage(lucet_region_instance_new(region, module, nullptr, &c)), "");
  EXPECT_EQ(lucet_instance_memory(c, &size)[16], 'i');
  lucet_region_delete(region);
  ASSERT_EQ(takeMessage(lucet_instance_run(c, "bump", nullptr, 0, &result, 1, &run)), "");
  EXPECT_EQ(result.of.i32, 8);
  lucet_instance_delete(c);
  lucet_instance_delete(a);
}

TEST_F(CApiTest, RegionInstanceWithWasi) {
  lucet_module_t *module = load(lucet::test::WasiGuest);
  lucet_region_t *region = nullptr;
  ASSERT_EQ(takeMessage(lucet_region_new(nullptr, 1, &region)), "");
  lucet_wasi_config_t *wasi = lucet_wasi_config_new();
  const char *argv[] = {"prog", "x"};
  lucet_wasi_config_set_args(wasi, 2, argv);
  lucet_instance_t *instance = nullptr;
  ASSERT_EQ(takeMessage(lucet_region_instance_new_wasi(region, module, nullptr, wasi, &instance)),
            "");
  lucet_wasi_config_delete(wasi);
  lucet_run_result_t run;
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "_start", nullptr, 0, nullptr, 0, &run)), "");
  ASSERT_EQ(run.kind, LUCET_RUN_EXITED);
  EXPECT_EQ(run.exit_code, 42u);
  // Reset keeps the configuration: the same arguments again.
  ASSERT_EQ(takeMessage(lucet_instance_reset(instance)), "");
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "_start", nullptr, 0, nullptr, 0, &run)), "");
  EXPECT_EQ(run.exit_code, 42u);
  lucet_instance_delete(instance);
  lucet_region_delete(region);
}

TEST_F(CApiTest, KillSwitchAndTimeoutStopAnInfiniteLoop) {
  lucet_module_t *module = load(PooledGuest);
  lucet_instance_t *instance = instantiate(module, nullptr);
  ASSERT_TRUE(instance);
  lucet_interrupt_handle_t *handle = lucet_instance_interrupt_handle(instance);
  std::thread killer([handle] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    lucet_interrupt_handle_terminate(handle);
  });
  lucet_run_result_t run;
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(takeMessage(lucet_instance_run(instance, "spin", nullptr, 0, nullptr, 0, &run)), "");
  killer.join();
  EXPECT_EQ(run.kind, LUCET_RUN_TRAPPED);
  EXPECT_EQ(run.trap, LUCET_TRAP_INTERRUPTED);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));

  // A deadline, then a normal run of the same instance.
  ASSERT_EQ(takeMessage(lucet_instance_run_timeout(instance, "spin", nullptr, 0, nullptr, 0,
                                                   20'000'000, &run)),
            "");
  EXPECT_EQ(run.trap, LUCET_TRAP_INTERRUPTED);
  lucet_val_t result;
  ASSERT_EQ(takeMessage(lucet_instance_run_timeout(instance, "bump", nullptr, 0, &result, 1,
                                                   1'000'000'000, &run)),
            "");
  ASSERT_EQ(run.kind, LUCET_RUN_RETURNED);
  EXPECT_EQ(result.of.i32, 8);

  // The handle outlives the instance: terminating then does nothing.
  lucet_instance_delete(instance);
  instances_.clear();
  lucet_interrupt_handle_terminate(handle);
  lucet_interrupt_handle_delete(handle);
}

} // namespace
