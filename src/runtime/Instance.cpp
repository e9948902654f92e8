#include "runtime/Instance.h"

#include "runtime/GuestCall.h"
#include "runtime/InstanceState.h"
#include "runtime/SignatureRegistry.h"

#include <algorithm>
#include <cstring>

namespace lucet::rt {
namespace {

constexpr uint64_t WasmPageSize = 64 * 1024;
constexpr uint64_t MaxWasmPages = 65536;
// No wasm program needs more; it keeps a runaway table.grow from exhausting
// host memory (std::vector would throw, and nothing may throw here).
constexpr uint32_t MaxTableElements = 10'000'000;

const char *externKindName(abi::ExternKindCode kind) {
  switch (kind) {
  case abi::ExternKindCode::Func:
    return "function";
  case abi::ExternKindCode::Table:
    return "table";
  case abi::ExternKindCode::Memory:
    return "memory";
  case abi::ExternKindCode::Global:
    return "global";
  }
  return "?";
}

GlobalSlot evalInit(const Instance::State &s, const abi::InitExpr &e) {
  using Kind = abi::InitExpr::Kind;
  GlobalSlot slot;
  switch (e.kind) {
  case Kind::I32Const: {
    auto v = uint32_t(e.bits);
    std::memcpy(slot.bytes, &v, 4);
    break;
  }
  case Kind::F32Const: {
    auto v = uint32_t(e.bits);
    std::memcpy(slot.bytes, &v, 4);
    break;
  }
  case Kind::I64Const:
  case Kind::F64Const:
    std::memcpy(slot.bytes, &e.bits, 8);
    break;
  case Kind::V128Const:
    std::memcpy(slot.bytes, e.v128.data(), 16);
    break;
  case Kind::GlobalGet:
    // LoadedModule checked that the index names an earlier global.
    slot = s.globals[e.index];
    break;
  case Kind::RefNull:
    break;
  case Kind::RefFunc: {
    const abi::FuncRef *ref = &s.funcRefs[e.index];
    std::memcpy(slot.bytes, &ref, sizeof ref);
    break;
  }
  }
  return slot;
}

void *evalRef(const Instance::State &s, const abi::InitExpr &e) {
  GlobalSlot slot = evalInit(s, e);
  void *ref;
  std::memcpy(&ref, slot.bytes, sizeof ref);
  return ref;
}

uint32_t evalOffset(const Instance::State &s, const abi::InitExpr &e) {
  GlobalSlot slot = evalInit(s, e);
  uint32_t v;
  std::memcpy(&v, slot.bytes, 4);
  return v;
}

Status bindImports(Instance::State &s, const HostFunctionRegistry &hostFunctions) {
  const abi::Metadata &m = s.metadata();
  uint32_t funcIndex = 0;
  for (const auto &imp : m.imports) {
    if (imp.kind != abi::ExternKindCode::Func)
      return Error::format("unsupported import: {}.{} ({}): only function imports are "
                           "supported",
                           imp.module, imp.name, externKindName(imp.kind));
    const HostFunction *host = hostFunctions.find(imp.module, imp.name);
    if (!host || !host->code)
      return Error::format("unknown import: {}.{} (function)", imp.module, imp.name);
    const abi::FuncTypeDesc &expected = m.types[imp.typeIndex];
    if (!(host->type == expected))
      return Error::format("import {}.{}: type mismatch: module expects {}, host provides {}",
                           imp.module, imp.name, describeSignature(expected),
                           describeSignature(host->type));
    s.funcRefs[funcIndex] = {host->code, &s.vmctx, s.typeIds[imp.typeIndex], funcIndex};
    ++funcIndex;
  }
  return Status::ok();
}

Status setUpMemory(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  if (m.memories.empty()) return Status::ok();
  if (m.memories.size() > 1) return Error("multiple memories are not supported");
  const abi::LimitsDesc &limits = m.memories[0];
  const InstanceLimits &l = s.limits;
  if (!m.heap.boundsChecked) {
    uint64_t needed = m.heap.reservedSize + m.heap.guardSize;
    if (needed < m.heap.reservedSize || l.heapAddressSpace < needed)
      return Error::format(
          "the module was compiled without bounds checks for {:#x} bytes of heap address space "
          "({:#x} reserved + {:#x} guard), but only {:#x} are allowed; raise "
          "--heap-address-space to at least {:#x} or recompile the module with bounds checks",
          needed, m.heap.reservedSize, m.heap.guardSize, l.heapAddressSpace, needed);
  }
  if (limits.min > MaxWasmPages)
    return Error::format("initial memory of {} pages exceeds the wasm limit of {} pages",
                         limits.min, MaxWasmPages);
  uint64_t initial = limits.min * WasmPageSize;
  if (initial > l.maxHeapSize)
    return Error::format("initial memory of {} bytes ({} pages) exceeds the maximum heap size "
                         "of {} bytes (--max-heap-size)",
                         initial, limits.min, l.maxHeapSize);
  if (initial > l.heapAddressSpace)
    return Error::format("initial memory of {} bytes ({} pages) exceeds the heap address space "
                         "of {} bytes (--heap-address-space)",
                         initial, limits.min, l.heapAddressSpace);
  if (l.heapAddressSpace == 0) return Error("the heap address space must not be empty");
  // The extra tail keeps an access that starts just below the end of the
  // address space (up to 16 bytes wide) inside our reservation, so it faults
  // as out of bounds instead of touching whatever is mapped next.
  constexpr uint64_t AccessTailGuard = 64 * 1024;
  LUCET_ASSIGN_OR_RETURN(heap, platform::AddressReservation::reserve(l.heapAddressSpace +
                                                                      AccessTailGuard));
  s.heap = std::move(heap);
  LUCET_TRY(s.heap.makeAccessible(0, initial));
  uint64_t moduleMax = std::min(limits.hasMax ? limits.max : MaxWasmPages, MaxWasmPages);
  uint64_t maxSize = std::min({moduleMax * WasmPageSize, l.maxHeapSize, l.heapAddressSpace});
  maxSize = maxSize / WasmPageSize * WasmPageSize;
  s.memory = {s.heap.base(), initial, std::max(maxSize, initial), s.heap.size()};
  s.hasMemory = true;
  return Status::ok();
}

Status setUpTables(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  s.tableElements.resize(m.tables.size());
  s.tables.resize(m.tables.size());
  for (size_t i = 0; i < m.tables.size(); ++i) {
    const abi::LimitsDesc &limits = m.tables[i].limits;
    if (limits.min > MaxTableElements)
      return Error::format("table {} has {} elements; at most {} are supported", i, limits.min,
                           MaxTableElements);
    uint64_t max =
        limits.hasMax ? std::min<uint64_t>(limits.max, MaxTableElements) : MaxTableElements;
    s.tableElements[i].assign(limits.min, nullptr);
    s.tables[i] = {s.tableElements[i].data(), uint32_t(limits.min),
                   uint32_t(std::max(max, limits.min))};
  }
  for (auto &t : s.tables) s.tablePointers.push_back(&t);
  return Status::ok();
}

Status initializeSegments(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  s.elemItems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const abi::ElemDesc &e = m.elems[i];
    for (const auto &item : e.init) s.elemItems[i].push_back(evalRef(s, item));
  }
  // Segments are applied in order; the first that does not fit fails the
  // whole instantiation.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const abi::ElemDesc &e = m.elems[i];
    if (e.mode == abi::SegmentModeCode::Active) {
      uint64_t offset = evalOffset(s, e.offset);
      abi::TableInstance &table = s.tables[e.table];
      if (offset + s.elemItems[i].size() > table.size)
        return Error::format("out of bounds table access: element segment {} ({} elements at "
                             "offset {}) does not fit table {} of {} elements",
                             i, s.elemItems[i].size(), offset, e.table, table.size);
      std::copy(s.elemItems[i].begin(), s.elemItems[i].end(), table.elements + offset);
    }
    if (e.mode != abi::SegmentModeCode::Passive) s.elemItems[i].clear();
  }
  s.dataDropped.assign(m.datas.size(), false);
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const abi::DataDesc &d = m.datas[i];
    if (d.mode != abi::SegmentModeCode::Active) continue;
    uint64_t offset = evalOffset(s, d.offset);
    if (offset + d.bytes.size() > s.memory.size)
      return Error::format("out of bounds memory access: data segment {} ({} bytes at offset "
                           "{}) does not fit memory of {} bytes",
                           i, d.bytes.size(), offset, s.memory.size);
    if (!d.bytes.empty()) std::memcpy(s.memory.base + offset, d.bytes.data(), d.bytes.size());
    s.dataDropped[i] = true;
  }
  return Status::ok();
}

} // namespace

Instance::Instance(std::unique_ptr<State> state) : state_(std::move(state)) {}
Instance::~Instance() = default;

Expected<std::unique_ptr<Instance>> Instance::create(std::shared_ptr<const LoadedModule> module,
                                                     const HostFunctionRegistry &hostFunctions,
                                                     const InstanceLimits &limits) {
  if (!module) return Error("cannot instantiate: no module");
  auto built = [&]() -> Expected<std::unique_ptr<Instance>> {
    LUCET_TRY(prepareThreadForGuests());
    auto state = std::make_unique<State>();
    State &s = *state;
    s.module = module;
    s.limits = limits;
    const abi::Metadata &m = module->metadata();

    for (const auto &type : m.types) s.typeIds.push_back(canonicalSignatureId(type));
    s.funcRefs.resize(m.funcTypeIndices.size());
    LUCET_TRY(bindImports(s, hostFunctions));
    for (uint32_t i = m.numImportedFuncs; i < m.funcTypeIndices.size(); ++i)
      s.funcRefs[i] = {module->functionCode(i), &s.vmctx, s.typeIds[m.funcTypeIndices[i]], i};
    for (const auto &ref : s.funcRefs) s.funcRefPointers.push_back(&ref);

    LUCET_TRY(setUpMemory(s));
    s.globals.reserve(m.globals.size());
    for (const auto &g : m.globals) s.globals.push_back(evalInit(s, g.init));
    for (auto &slot : s.globals) s.globalPointers.push_back(slot.bytes);
    LUCET_TRY(setUpTables(s));

    LUCET_ASSIGN_OR_RETURN(stack, platform::GuestStack::allocate(limits.stackSize));
    s.stack = std::move(stack);

    s.vmctx.heapBase = s.hasMemory ? s.memory.base : nullptr;
    s.vmctx.memory = s.hasMemory ? &s.memory : nullptr;
    s.vmctx.globals = s.globalPointers.data();
    s.vmctx.tables = s.tablePointers.data();
    s.vmctx.funcRefs = s.funcRefPointers.data();
    s.vmctx.typeIds = s.typeIds.data();
    s.vmctx.runtime = &runtimeCallbacks;
    s.vmctx.hostData = nullptr;

    LUCET_TRY(initializeSegments(s));

    std::unique_ptr<Instance> instance(new Instance(std::move(state)));
    instance->state_->vmctx.instance = instance.get();
    if (m.start) {
      LUCET_ASSIGN_OR_RETURN(result, instance->call(*m.start, {}));
      if (result.kind == RunResult::Kind::Trapped)
        return Error::format("start function trapped: {}", result.trap.describe());
      if (result.kind == RunResult::Kind::Exited)
        return Error::format("start function exited with code {}", result.exitCode);
    }
    return instance;
  }();
  if (!built) return built.error().withContext(module->path());
  return built;
}

Expected<RunResult> Instance::run(const std::string &exportName, std::span<const Value> args) {
  const abi::Metadata &m = state_->metadata();
  for (const auto &e : m.exports) {
    if (e.name != exportName) continue;
    if (e.kind != abi::ExternKindCode::Func)
      return Error::format("export '{}' is not a function", exportName);
    return call(e.index, args);
  }
  return Error::format("{}: no exported function named '{}'", state_->module->path(), exportName);
}

Expected<RunResult> Instance::call(uint32_t funcIndex, std::span<const Value> args) {
  State &s = *state_;
  const LoadedModule &module = *s.module;
  if (funcIndex >= module.numFunctions())
    return Error::format("function index {} out of range", funcIndex);
  const abi::FuncTypeDesc &type = module.functionType(funcIndex);
  bool argsMatch = args.size() == type.params.size();
  for (size_t i = 0; argsMatch && i < args.size(); ++i) argsMatch = args[i].type == type.params[i];
  if (!argsMatch) {
    std::vector<abi::ValTypeCode> given;
    for (const auto &a : args) given.push_back(a.type);
    return Error::format("{}: expected arguments {}, got {}", module.functionName(funcIndex),
                         describeValueTypes(type.params), describeValueTypes(given));
  }
  if (s.running)
    return Error::format("{}: the instance is already running a function",
                         module.functionName(funcIndex));
  LUCET_TRY(prepareThreadForGuests());

  std::vector<GlobalSlot> slots(std::max<size_t>({type.params.size(), type.results.size(), 1}));
  for (size_t i = 0; i < args.size(); ++i)
    std::memcpy(slots[i].bytes, args[i].bytes.data(), abi::ValueSlotSize);

  const abi::FuncRef &ref = s.funcRefs[funcIndex];
  GuestCall call;
  call.vmctx = ref.vmctx;
  call.module = &module;
  if (s.hasMemory) {
    call.heapBegin = uintptr_t(s.heap.base());
    call.heapEnd = call.heapBegin + s.heap.size();
  }
  call.guardBegin = s.stack.guardBegin();
  call.guardEnd = s.stack.guardEnd();
  call.stackTop = uintptr_t(s.stack.top());
  call.trampoline = module.record().trampolines[module.metadata().funcTypeIndices[funcIndex]];
  call.code = ref.code;
  call.slots = slots[0].bytes;

  s.running = true;
  bool returned = enterGuest(&call);
  s.running = false;

  RunResult result;
  if (returned) {
    result.kind = RunResult::Kind::Returned;
    for (size_t i = 0; i < type.results.size(); ++i) {
      Value v;
      v.type = type.results[i];
      std::memcpy(v.bytes.data(), slots[i].bytes, abi::ValueSlotSize);
      result.values.push_back(v);
    }
  } else if (call.outcome == GuestCall::Outcome::Exited) {
    result.kind = RunResult::Kind::Exited;
    result.exitCode = call.exitCode;
  } else {
    result.kind = RunResult::Kind::Trapped;
    result.trap.code = call.trapCode;
    result.trap.funcIndex = call.funcIndex;
    if (call.funcIndex < module.numFunctions())
      result.trap.funcName = module.functionName(call.funcIndex);
    result.trap.wasmOffset = call.wasmOffset;
    result.trap.hasWasmOffset = call.hasWasmOffset;
    result.trap.message = std::move(s.trapMessage);
    s.trapMessage.clear();
  }
  return result;
}

const LoadedModule &Instance::module() const {
  return *state_->module;
}

GuestMemory Instance::memory() const {
  if (!state_->hasMemory) return {};
  return GuestMemory(state_->memory.base, state_->memory.size);
}

void Instance::setHostData(void *data) {
  state_->vmctx.hostData = data;
}
void *Instance::hostData() const {
  return state_->vmctx.hostData;
}

void Instance::exitFromHost(abi::VMContext *vmctx, uint32_t exitCode) {
  unwindWithExit(exitCode);
}

void Instance::trapFromHost(abi::VMContext *vmctx, abi::TrapCode code, const char *message) {
  if (Instance *instance = fromVMContext(vmctx))
    instance->state_->trapMessage = message ? message : "";
  unwindWithTrap(code, UINT32_MAX, 0, false);
}

} // namespace lucet::rt
