#include "api/ApiImpl.h"
#include "api/WasiContextFromConfig.h"

#include "runtime/ImportResolver.h"
#include "runtime/SignatureRegistry.h"
#include "wasi/WasiBindings.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace lucet {
namespace {

#define LUCET_TRAP(Name, Value, Text)                                                              \
  static_assert(uint32_t(TrapKind::Name) == uint32_t(abi::TrapCode::Name));
#include "abi/TrapCode.def"

const rt::HostFunctionRegistry &wasiFunctions() {
  static const rt::HostFunctionRegistry registry = [] {
    rt::HostFunctionRegistry r;
    wasi::addWasiSnapshotPreview1(r);
    wasi::addWasiUnstable(r);
    return r;
  }();
  return registry;
}

// The Linker's functions and tags first, then WASI when the instance has it. Records
// the closures it hands out so that the instance can keep them alive.
class ApiResolver final : public rt::ImportResolver {
public:
  ApiResolver(const Linker::Impl &linker, bool withWasi) : linker_(linker), withWasi_(withWasi) {}

  std::optional<rt::Extern> resolve(const std::string &module,
                                    const std::string &name) const override {
    auto it = linker_.functions.find({module, name});
    if (it != linker_.functions.end()) {
      used.push_back(it->second);
      return rt::Extern(it->second->hostFunction());
    }
    auto tag = linker_.tags.find({module, name});
    if (tag != linker_.tags.end()) return rt::Extern(tag->second.impl().tag);
    if (withWasi_)
      if (const rt::HostFunction *f = wasiFunctions().find(module, name)) return rt::Extern(*f);
    return std::nullopt;
  }

  mutable std::vector<std::shared_ptr<api::HostClosure>> used;

private:
  const Linker::Impl &linker_;
  bool withWasi_;
};

Expected<std::unique_ptr<wasi::WasiCtx>> buildWasi(const WasiConfig &config) {
  return api::wasiContextFromConfig(config);
}

rt::Value toRuntime(const Val &a) {
  switch (a.type()) {
  case ValType::I32:
    return rt::Value::i32(a.i32());
  case ValType::I64:
    return rt::Value::i64(a.i64());
  case ValType::F32:
    return rt::Value::f32(a.f32());
  case ValType::F64:
    return rt::Value::f64(a.f64());
  }
  return {};
}

std::optional<Val> fromRuntime(const rt::Value &v) {
  uint64_t bits = 0;
  switch (ValType(v.type)) {
  case ValType::I32:
  case ValType::F32:
    std::memcpy(&bits, v.bytes.data(), 4);
    break;
  case ValType::I64:
  case ValType::F64:
    std::memcpy(&bits, v.bytes.data(), 8);
    break;
  default:
    return std::nullopt; // v128 and references have no public form
  }
  return Val::fromBits(ValType(v.type), bits);
}

Outcome toOutcome(rt::RunResult &&result) {
  Outcome out;
  switch (result.kind) {
  case rt::RunResult::Kind::Returned:
    out.kind = Outcome::Kind::Returned;
    for (const rt::Value &v : result.values)
      if (std::optional<Val> value = fromRuntime(v)) out.values.push_back(*value);
    break;
  case rt::RunResult::Kind::Exited:
    out.kind = Outcome::Kind::Exited;
    out.exitCode = result.exitCode;
    break;
  case rt::RunResult::Kind::Trapped:
    out.kind = Outcome::Kind::Trapped;
    out.trap.kind = TrapKind(result.trap.code);
    if (result.trap.funcIndex != UINT32_MAX) {
      out.trap.funcIndex = result.trap.funcIndex;
      out.trap.function = std::move(result.trap.funcName);
      if (out.trap.function.empty())
        out.trap.function = "func[" + std::to_string(result.trap.funcIndex) + "]";
    }
    if (result.trap.hasWasmOffset) out.trap.wasmOffset = result.trap.wasmOffset;
    out.trap.message = std::move(result.trap.message);
    break;
  }
  return out;
}

} // namespace

Result<Instance> Instance::create(const Module &module, const InstanceOptions &options) {
  return create(module, Linker(), options);
}

Result<Instance> Instance::create(const Module &module, const Linker &linker,
                                  const InstanceOptions &options) {
  auto impl = std::make_unique<Impl>(Impl{module, options.wasi, {}, nullptr, nullptr});
  if (options.wasi) {
    auto ctx = buildWasi(*options.wasi);
    if (!ctx) return ApiError(ctx.error().message());
    impl->wasi = std::move(*ctx);
  }
  ApiResolver resolver(linker.impl(), options.wasi.has_value());
  rt::InstantiateOptions rtOptions;
  rtOptions.limits = {options.limits.heapAddressSpace, options.limits.heapSize,
                      options.limits.stackSize, options.limits.tableElements,
                      options.limits.totalTableElements};
  if (options.region) rtOptions.region = options.region->impl().region;
  // In place before the start function, which may already use WASI.
  rtOptions.hostData = impl->wasi.get();
  rt::Instantiation made = rt::Instance::instantiate(module.impl().loaded, resolver, rtOptions);
  if (made.error) return ApiError(made.error->message());
  if (!made.instance) return ApiError("instantiation failed");
  impl->instance = std::move(made.instance);
  impl->hostFunctions = std::move(resolver.used);
  return Instance(std::move(impl));
}

Instance::Instance(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Instance::Instance(Instance &&) noexcept = default;
Instance &Instance::operator=(Instance &&) noexcept = default;
Instance::~Instance() = default;

namespace {

Result<Outcome> runExport(rt::Instance &instance, const std::string &exportName,
                          std::span<const Val> args, uint64_t deadline) {
  std::vector<rt::Value> values;
  values.reserve(args.size());
  for (const Val &a : args) values.push_back(toRuntime(a));
  auto result = instance.run(exportName, values, deadline);
  if (!result) return ApiError(result.error().message());
  return toOutcome(std::move(*result));
}

} // namespace

Result<Outcome> Instance::run(const std::string &exportName, std::span<const Val> args) {
  return runExport(*impl_->instance, exportName, args, 0);
}

Result<Outcome> Instance::run(const std::string &exportName, std::span<const Val> args,
                              std::chrono::nanoseconds timeout) {
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  auto deadline = std::chrono::duration_cast<std::chrono::nanoseconds>(now) +
                  std::max(timeout, std::chrono::nanoseconds(0));
  // 0 means "no deadline" to the runtime.
  return runExport(*impl_->instance, exportName, args,
                   std::max<uint64_t>(uint64_t(deadline.count()), 1));
}

Result<void> Instance::reset() {
  std::unique_ptr<wasi::WasiCtx> fresh;
  if (impl_->wasiConfig) {
    auto ctx = buildWasi(*impl_->wasiConfig);
    if (!ctx) return ApiError(ctx.error().message());
    fresh = std::move(*ctx);
  }
  // The start function, run again by reset, sees the new context.
  void *previous = impl_->instance->hostData();
  impl_->instance->setHostData(fresh.get());
  if (Status done = impl_->instance->reset(); !done) {
    impl_->instance->setHostData(previous);
    return ApiError(done.error().message());
  }
  impl_->wasi = std::move(fresh);
  return {};
}

void InterruptHandle::terminate() const {
  if (impl_) impl_->state->request();
}

InterruptHandle Instance::interruptHandle() const {
  return InterruptHandle(std::make_shared<InterruptHandle::Impl>(
      InterruptHandle::Impl{impl_->instance->interruptState()}));
}

std::optional<Val> Instance::global(const std::string &name) const {
  std::optional<rt::Extern> found = impl_->instance->exportNamed(name);
  auto *global = found ? std::get_if<std::shared_ptr<rt::Global>>(&*found) : nullptr;
  if (!global) return std::nullopt;
  return fromRuntime((*global)->get());
}

std::optional<Tag> Instance::tag(const std::string &name) const {
  std::optional<rt::Extern> found = impl_->instance->exportNamed(name);
  auto *tag = found ? std::get_if<std::shared_ptr<rt::Tag>>(&*found) : nullptr;
  if (!tag) return std::nullopt;
  return Tag::Impl::wrap(*tag, name);
}

Result<void> Instance::setGlobal(const std::string &name, const Val &value) {
  std::optional<rt::Extern> found = impl_->instance->exportNamed(name);
  auto *global = found ? std::get_if<std::shared_ptr<rt::Global>>(&*found) : nullptr;
  if (!global) return ApiError("no exported global named '" + name + "'");
  const abi::GlobalTypeDesc &type = (*global)->type();
  if (!type.isMutable) return ApiError("global '" + name + "' is immutable");
  if (type.type.code != uint8_t(value.type()))
    return ApiError("global '" + name + "' has type " + valTypeName(ValType(type.type.code)) +
                    ", not " + valTypeName(value.type()));
  if (!rt::valueMatches(type.type, toRuntime(value)))
    return ApiError("global '" + name + "' has type " + rt::valueTypeName(type.type) +
                    ", which this reference does not match");
  (*global)->set(toRuntime(value));
  return {};
}
const Module &Instance::module() const {
  return impl_->module;
}

std::span<uint8_t> Instance::memory() const {
  rt::GuestMemory memory = impl_->instance->memory();
  return {memory.base(), size_t(memory.size())};
}

} // namespace lucet
