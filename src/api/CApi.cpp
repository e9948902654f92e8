// The C API over the C++ one. Nothing here throws into C: the C++ API
// reports errors as values, and allocation failure is fatal anyway.
#include "api/CApiImpl.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

using namespace lucet;

namespace {

Caller &unwrap(lucet_caller_t *caller) {
  return *reinterpret_cast<Caller *>(caller);
}
const Caller &unwrap(const lucet_caller_t *caller) {
  return *reinterpret_cast<const Caller *>(caller);
}

Val fromC(const lucet_val_t &v) {
  switch (v.kind) {
  case LUCET_I64:
    return Val(v.of.i64);
  case LUCET_F32:
    return Val(v.of.f32);
  case LUCET_F64:
    return Val(v.of.f64);
  case LUCET_I32:
    break;
  }
  return Val(v.of.i32);
}

lucet_val_t toC(const Val &v) {
  lucet_val_t out;
  out.kind = lucet_valkind_t(v.type());
  switch (v.type()) {
  case ValType::I32:
    out.of.i32 = v.i32();
    break;
  case ValType::I64:
    out.of.i64 = v.i64();
    break;
  case ValType::F32:
    out.of.f32 = v.f32();
    break;
  case ValType::F64:
    out.of.f64 = v.f64();
    break;
  }
  return out;
}

bool validKind(lucet_valkind_t kind) {
  return kind == LUCET_I32 || kind == LUCET_I64 || kind == LUCET_F32 || kind == LUCET_F64;
}

// Owns a C host function's env, calling its finalizer once no linker or
// instance uses the function any more.
struct CEnv {
  void *env;
  void (*finalizer)(void *);
  ~CEnv() {
    if (finalizer) finalizer(env);
  }
};

// Zero table limits mean the defaults (lucet.h).
InstanceLimits fromC(const lucet_instance_limits_t &c) {
  InstanceLimits l;
  l.heapSize = c.heap_size;
  l.heapAddressSpace = c.heap_address_space;
  l.stackSize = c.stack_size;
  if (c.table_elements) l.tableElements = c.table_elements;
  if (c.total_table_elements) l.totalTableElements = c.total_table_elements;
  return l;
}

} // namespace

extern "C" {

const char *lucet_error_message(const lucet_error_t *error) {
  return error->message.c_str();
}
void lucet_error_delete(lucet_error_t *error) {
  delete error;
}

lucet_error_t *lucet_module_load(const char *so_path, lucet_module_t **out) {
  *out = nullptr;
  auto module = Module::load(so_path ? so_path : "");
  if (!module) return capi::makeError(module.error().message());
  *out = new lucet_module{std::move(*module)};
  return nullptr;
}
void lucet_module_delete(lucet_module_t *module) {
  delete module;
}

lucet_linker_t *lucet_linker_new(void) {
  return new lucet_linker{Linker()};
}
void lucet_linker_delete(lucet_linker_t *linker) {
  delete linker;
}

lucet_error_t *lucet_linker_define_func(lucet_linker_t *linker, const char *module,
                                        const char *name, const lucet_valkind_t *params,
                                        size_t nparams, const lucet_valkind_t *results,
                                        size_t nresults, lucet_host_func_t func, void *env,
                                        void (*finalizer)(void *env)) {
  // On failure the finalizer runs at once: nothing will use `env`.
  std::shared_ptr<CEnv> owner(new CEnv{env, finalizer});
  if (!func) return capi::makeError(std::string(module) + "." + name + ": no function given");
  FuncType type;
  for (size_t i = 0; i < nparams; ++i) {
    if (!validKind(params[i]))
      return capi::makeError(std::string(module) + "." + name + ": invalid parameter type");
    type.params.push_back(ValType(params[i]));
  }
  for (size_t i = 0; i < nresults; ++i) {
    if (!validKind(results[i]))
      return capi::makeError(std::string(module) + "." + name + ": invalid result type");
    type.results.push_back(ValType(results[i]));
  }
  HostCallback callback = [owner, func](Caller &caller, std::span<const Val> args,
                                        std::span<Val> out) {
    // Small fixed arrays: the host call runs on the guest's stack and
    // needs no allocation.
    lucet_val_t cargs[16], cresults[1];
    for (size_t i = 0; i < args.size(); ++i) cargs[i] = toC(args[i]);
    for (size_t i = 0; i < out.size(); ++i) cresults[i] = toC(out[i]);
    func(owner->env, reinterpret_cast<lucet_caller_t *>(&caller), cargs, args.size(), cresults,
         out.size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = fromC(cresults[i]);
  };
  auto defined = linker->linker.defineFunc(module, name, std::move(type), std::move(callback));
  if (!defined) return capi::makeError(defined.error().message());
  return nullptr;
}

uint64_t lucet_caller_memory_size(const lucet_caller_t *caller) {
  return unwrap(caller).memorySize();
}
uint8_t *lucet_caller_memory(const lucet_caller_t *caller, uint32_t ptr, uint32_t len) {
  auto bytes = unwrap(caller).slice(ptr, len);
  return bytes ? bytes->data() : nullptr;
}
bool lucet_caller_read(const lucet_caller_t *caller, uint32_t ptr, void *dst, uint32_t len) {
  auto bytes = unwrap(caller).slice(ptr, len);
  if (!bytes) return false;
  std::memcpy(dst, bytes->data(), len);
  return true;
}
bool lucet_caller_write(lucet_caller_t *caller, uint32_t ptr, const void *src, uint32_t len) {
  return unwrap(caller).write(ptr,
                              std::span<const uint8_t>(static_cast<const uint8_t *>(src), len));
}
void lucet_caller_trap(lucet_caller_t *caller, const char *message) {
  unwrap(caller).trap(message ? message : "");
}
void lucet_caller_exit(lucet_caller_t *caller, uint32_t code) {
  unwrap(caller).exit(code);
}

lucet_error_t *lucet_tag_new(const char *name, const lucet_valkind_t *params, size_t nparams,
                             lucet_tag_t **out) {
  std::vector<ValType> types;
  for (size_t i = 0; i < nparams; ++i) {
    if (!validKind(params[i]))
      return capi::makeError(std::string("tag ") + (name ? name : "") + ": invalid parameter type");
    types.push_back(ValType(params[i]));
  }
  *out = new lucet_tag{Tag::create(name ? name : "", std::move(types))};
  return nullptr;
}
void lucet_tag_delete(lucet_tag_t *tag) {
  delete tag;
}
bool lucet_tag_same(const lucet_tag_t *a, const lucet_tag_t *b) {
  return a->tag == b->tag;
}
lucet_error_t *lucet_linker_define_tag(lucet_linker_t *linker, const char *module, const char *name,
                                       const lucet_tag_t *tag) {
  auto defined = linker->linker.defineTag(module, name, tag->tag);
  if (!defined) return capi::makeError(defined.error().message());
  return nullptr;
}
void lucet_caller_throw(lucet_caller_t *caller, const lucet_tag_t *tag, const lucet_val_t *args,
                        size_t nargs) {
  std::vector<Val> values;
  for (size_t i = 0; i < nargs; ++i) values.push_back(fromC(args[i]));
  unwrap(caller).throwException(tag->tag, std::move(values));
}

void lucet_instance_limits_default(lucet_instance_limits_t *limits) {
  InstanceLimits defaults;
  limits->heap_size = defaults.heapSize;
  limits->heap_address_space = defaults.heapAddressSpace;
  limits->stack_size = defaults.stackSize;
  limits->table_elements = defaults.tableElements;
  limits->total_table_elements = defaults.totalTableElements;
}

lucet_error_t *lucet_instance_new(const lucet_module_t *module, const lucet_linker_t *linker,
                                  const lucet_instance_limits_t *limits, lucet_instance_t **out) {
  return capi::newInstance(module, linker, limits, nullptr, out);
}
void lucet_instance_delete(lucet_instance_t *instance) {
  delete instance;
}

lucet_error_t *lucet_region_new(const lucet_instance_limits_t *limits, uint32_t slots,
                                lucet_region_t **out) {
  *out = nullptr;
  InstanceLimits l;
  if (limits) l = fromC(*limits);
  auto region = Region::create(l, slots);
  if (!region) return capi::makeError(region.error().message());
  *out = new lucet_region{std::move(*region)};
  return nullptr;
}
void lucet_region_delete(lucet_region_t *region) {
  delete region;
}
uint32_t lucet_region_capacity(const lucet_region_t *region) {
  return region->region.capacity();
}
uint32_t lucet_region_slots_in_use(const lucet_region_t *region) {
  return region->region.slotsInUse();
}
lucet_error_t *lucet_region_instance_new(const lucet_region_t *region, const lucet_module_t *module,
                                         const lucet_linker_t *linker, lucet_instance_t **out) {
  return capi::newInstance(module, linker, nullptr, nullptr, out, region);
}

lucet_error_t *lucet_instance_reset(lucet_instance_t *instance) {
  auto done = instance->instance.reset();
  if (!done) return capi::makeError(done.error().message());
  return nullptr;
}

lucet_interrupt_handle_t *lucet_instance_interrupt_handle(const lucet_instance_t *instance) {
  return new lucet_interrupt_handle{instance->instance.interruptHandle()};
}
void lucet_interrupt_handle_terminate(const lucet_interrupt_handle_t *handle) {
  handle->handle.terminate();
}
void lucet_interrupt_handle_delete(lucet_interrupt_handle_t *handle) {
  delete handle;
}

bool lucet_instance_global_get(const lucet_instance_t *instance, const char *name,
                               lucet_val_t *out) {
  std::optional<Val> value = instance->instance.global(name);
  if (!value) return false;
  *out = toC(*value);
  return true;
}
lucet_tag_t *lucet_instance_tag(const lucet_instance_t *instance, const char *name) {
  std::optional<Tag> tag = instance->instance.tag(name);
  return tag ? new lucet_tag{std::move(*tag)} : nullptr;
}
lucet_error_t *lucet_instance_global_set(lucet_instance_t *instance, const char *name,
                                         const lucet_val_t *value) {
  auto done = instance->instance.setGlobal(name, fromC(*value));
  if (!done) return capi::makeError(done.error().message());
  return nullptr;
}

} // extern "C"

namespace {

// lucet_instance_run and lucet_instance_run_timeout; a zero timeout means none.
lucet_error_t *runInstance(lucet_instance_t *instance, const char *name, const lucet_val_t *args,
                           size_t nargs, lucet_val_t *results, size_t results_capacity,
                           uint64_t timeout_ns, lucet_run_result_t *out) {
  std::memset(out, 0, sizeof *out);
  out->trap_function = out->trap_message = "";
  auto type = instance->instance.module().exportedFunc(name);
  if (type && type->results.size() > results_capacity)
    return capi::makeError(std::string(name) + ": returns " + std::to_string(type->results.size()) +
                           " values, room for " + std::to_string(results_capacity));
  std::vector<Val> values;
  for (size_t i = 0; i < nargs; ++i) values.push_back(fromC(args[i]));
  auto outcome = timeout_ns
                     ? instance->instance.run(name, values, std::chrono::nanoseconds(timeout_ns))
                     : instance->instance.run(name, values);
  if (!outcome) return capi::makeError(outcome.error().message());
  switch (outcome->kind) {
  case Outcome::Kind::Returned:
    out->kind = LUCET_RUN_RETURNED;
    out->nresults = outcome->values.size();
    for (size_t i = 0; i < outcome->values.size(); ++i) results[i] = toC(outcome->values[i]);
    break;
  case Outcome::Kind::Exited:
    out->kind = LUCET_RUN_EXITED;
    out->exit_code = outcome->exitCode;
    break;
  case Outcome::Kind::Trapped:
    out->kind = LUCET_RUN_TRAPPED;
    // The C enum lists the kinds in the C++ order, from the same values.
    static_assert(LUCET_TRAP_OUT_OF_BOUNDS == int(lucet::TrapKind::OutOfBounds));
    static_assert(LUCET_TRAP_UNCAUGHT_EXCEPTION == int(lucet::TrapKind::UncaughtException));
    out->trap = lucet_trap_kind_t(outcome->trap.kind);
    instance->trapFunction = outcome->trap.function;
    instance->trapMessage = outcome->trap.describe();
    out->trap_function = instance->trapFunction.c_str();
    out->trap_message = instance->trapMessage.c_str();
    out->trap_has_wasm_offset = outcome->trap.wasmOffset.has_value();
    out->trap_wasm_offset = outcome->trap.wasmOffset.value_or(0);
    break;
  }
  return nullptr;
}

} // namespace

extern "C" {

lucet_error_t *lucet_instance_run(lucet_instance_t *instance, const char *name,
                                  const lucet_val_t *args, size_t nargs, lucet_val_t *results,
                                  size_t results_capacity, lucet_run_result_t *out) {
  return runInstance(instance, name, args, nargs, results, results_capacity, 0, out);
}

lucet_error_t *lucet_instance_run_timeout(lucet_instance_t *instance, const char *name,
                                          const lucet_val_t *args, size_t nargs,
                                          lucet_val_t *results, size_t results_capacity,
                                          uint64_t timeout_ns, lucet_run_result_t *out) {
  // A zero timeout still means "stop at once", not "no limit".
  return runInstance(instance, name, args, nargs, results, results_capacity,
                     std::max<uint64_t>(timeout_ns, 1), out);
}

uint8_t *lucet_instance_memory(const lucet_instance_t *instance, uint64_t *size) {
  std::span<uint8_t> memory = instance->instance.memory();
  if (size) *size = memory.size();
  return memory.data();
}

} // extern "C"

lucet_error_t *lucet::capi::newInstance(const lucet_module_t *module, const lucet_linker_t *linker,
                                        const lucet_instance_limits_t *limits,
                                        const WasiConfig *wasi, lucet_instance_t **out,
                                        const lucet_region_t *region) {
  *out = nullptr;
  InstanceOptions options;
  if (limits) options.limits = fromC(*limits);
  if (region) options.region = region->region;
  if (wasi) options.wasi = *wasi;
  auto instance = linker ? Instance::create(module->module, linker->linker, options)
                         : Instance::create(module->module, options);
  if (!instance) return makeError(instance.error().message());
  *out = new lucet_instance{std::move(*instance), {}, {}};
  return nullptr;
}
