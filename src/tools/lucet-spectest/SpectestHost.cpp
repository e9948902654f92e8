#include "tools/lucet-spectest/SpectestHost.h"

namespace lucet::spectest {
namespace {

constexpr abi::ValTypeCode I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

// The reference interpreter prints its arguments; the runner's output is
// the verdicts, so these stay silent.
void print(abi::VMContext *) {}
void printI32(abi::VMContext *, int32_t) {}
void printI64(abi::VMContext *, int64_t) {}
void printF32(abi::VMContext *, float) {}
void printF64(abi::VMContext *, double) {}
void printI32F32(abi::VMContext *, int32_t, float) {}
void printF64F64(abi::VMContext *, double, double) {}

} // namespace

Status defineSpectestModule(rt::Linker &linker) {
  auto function = [&](const char *name, std::vector<abi::ValTypeCode> params, void *code) {
    linker.define("spectest", name, rt::HostFunction{abi::funcTypeOfCodes(params, {}), code});
  };
  function("print", {}, reinterpret_cast<void *>(print));
  function("print_i32", {I32}, reinterpret_cast<void *>(printI32));
  function("print_i64", {I64}, reinterpret_cast<void *>(printI64));
  function("print_f32", {F32}, reinterpret_cast<void *>(printF32));
  function("print_f64", {F64}, reinterpret_cast<void *>(printF64));
  function("print_i32_f32", {I32, F32}, reinterpret_cast<void *>(printI32F32));
  function("print_f64_f64", {F64, F64}, reinterpret_cast<void *>(printF64F64));

  linker.define("spectest", "global_i32", rt::Global::create({I32, false}, rt::Value::i32(666)));
  linker.define("spectest", "global_i64", rt::Global::create({I64, false}, rt::Value::i64(666)));
  linker.define("spectest", "global_f32", rt::Global::create({F32, false}, rt::Value::f32(666.6f)));
  linker.define("spectest", "global_f64", rt::Global::create({F64, false}, rt::Value::f64(666.6)));

  LUCET_ASSIGN_OR_RETURN(table, rt::Table::create({0x70, {10, true, 20}}));
  linker.define("spectest", "table", std::move(table));
  LUCET_ASSIGN_OR_RETURN(table64, rt::Table::create({0x70, {10, true, 20, true}}));
  linker.define("spectest", "table64", std::move(table64));
  // Default limits: a full reservation, as code compiled without bounds
  // checks requires of any memory it imports.
  LUCET_ASSIGN_OR_RETURN(memory, rt::Memory::create({1, true, 2}, rt::InstanceLimits()));
  linker.define("spectest", "memory", std::move(memory));
  return Status::ok();
}

} // namespace lucet::spectest
