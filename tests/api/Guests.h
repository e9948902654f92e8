#pragma once

// Wasm text of the guests the API tests run, shared by the C++ and C tests.

namespace lucet::test {

// Calls host functions: env.add (typed i32), env.mix (every number type),
// env.sum_bytes (reads guest memory through the Caller), env.fail, and
// env.halve and env.wide (f32 and i64 results).
inline constexpr const char *HostCallsGuest = R"((module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "mix" (func $mix (param i64 f64 i32 f32) (result f64)))
  (import "env" "sum_bytes" (func $sum (param i32 i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "halve" (func $halve (param f32) (result f32)))
  (import "env" "wide" (func $wide (param i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\01\02\03\04")
  (func (export "call_add") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $add)
  (func (export "call_mix") (result f64)
    i64.const 1000000000000 f64.const 0.5 i32.const -3 f32.const 0.25 call $mix)
  (func (export "call_sum") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $sum)
  (func (export "call_fail") (param i32) (result i32)
    local.get 0 call $fail i32.const 7)
  (func (export "call_halve") (param f32) (result f32) local.get 0 call $halve)
  (func (export "call_wide") (param i64) (result i64) local.get 0 call $wide))
)";

// Arithmetic, a trap and memory growth, with no imports.
inline constexpr const char *PlainGuest = R"((module
  (memory (export "memory") 1)
  (func (export "mul") (param i64 i64) (result i64) local.get 0 local.get 1 i64.mul)
  (func $boom (export "boom") (result i32) unreachable)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
)";

// _start exits with 40 + argc, and 100 + the length of the value of the
// first environment variable when there is one.
inline constexpr const char *WasiGuest = R"((module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $envs (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $envs (i32.const 8) (i32.const 12)))
    (if (i32.load (i32.const 8))
      (then (call $exit (i32.add (i32.const 100) (i32.load (i32.const 12))))))
    (drop (call $args (i32.const 0) (i32.const 4)))
    (call $exit (i32.add (i32.const 40) (i32.load (i32.const 0))))))
)";

inline constexpr const char *UnknownImportGuest = R"((module
  (import "env" "missing" (func (param i32)))
  (func (export "f")))
)";

} // namespace lucet::test
