#include "api/ApiImpl.h"

#include "runtime/ImportResolver.h"
#include "wasi/WasiBindings.h"
#include "wasi/WasiCtxBuilder.h"

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

// The Linker's functions first, then WASI when the instance has it. Records
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
  wasi::WasiCtxBuilder builder;
  builder.args(config.args());
  for (const auto &[key, value] : config.env()) builder.env(key, value);
  if (config.inheritsStdio()) builder.inheritStdio();
  for (const auto &[host, guest] : config.preopens()) builder.preopenDir(host, guest);
  return builder.build();
}

Outcome toOutcome(rt::RunResult &&result) {
  Outcome out;
  switch (result.kind) {
  case rt::RunResult::Kind::Returned:
    out.kind = Outcome::Kind::Returned;
    for (const rt::Value &v : result.values) {
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
      }
      out.values.push_back(Val::fromBits(ValType(v.type), bits));
    }
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
  auto impl = std::make_unique<Impl>(Impl{module, {}, nullptr, nullptr});
  if (options.wasi) {
    auto ctx = buildWasi(*options.wasi);
    if (!ctx) return ApiError(ctx.error().message());
    impl->wasi = std::move(*ctx);
  }
  ApiResolver resolver(linker.impl(), options.wasi.has_value());
  rt::InstanceLimits limits{options.limits.heapAddressSpace, options.limits.heapSize,
                            options.limits.stackSize};
  // The start function may already call WASI, so the context has to be in
  // place before it runs; the runtime only lets us set it afterwards, which
  // is why the start function of a WASI module must not use WASI.
  rt::Instantiation made = rt::Instance::instantiate(module.impl().loaded, resolver, limits);
  if (made.error) return ApiError(made.error->message());
  if (!made.instance) return ApiError("instantiation failed");
  impl->instance = std::move(made.instance);
  impl->instance->setHostData(impl->wasi.get());
  impl->hostFunctions = std::move(resolver.used);
  return Instance(std::move(impl));
}

Instance::Instance(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Instance::Instance(Instance &&) noexcept = default;
Instance &Instance::operator=(Instance &&) noexcept = default;
Instance::~Instance() = default;

Result<Outcome> Instance::run(const std::string &exportName, std::span<const Val> args) {
  std::vector<rt::Value> values;
  values.reserve(args.size());
  for (const Val &a : args) {
    switch (a.type()) {
    case ValType::I32:
      values.push_back(rt::Value::i32(a.i32()));
      break;
    case ValType::I64:
      values.push_back(rt::Value::i64(a.i64()));
      break;
    case ValType::F32:
      values.push_back(rt::Value::f32(a.f32()));
      break;
    case ValType::F64:
      values.push_back(rt::Value::f64(a.f64()));
      break;
    }
  }
  auto result = impl_->instance->run(exportName, values);
  if (!result) return ApiError(result.error().message());
  return toOutcome(std::move(*result));
}

const Module &Instance::module() const {
  return impl_->module;
}

std::span<uint8_t> Instance::memory() const {
  rt::GuestMemory memory = impl_->instance->memory();
  return {memory.base(), size_t(memory.size())};
}

} // namespace lucet
