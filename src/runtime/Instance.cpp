#include "runtime/Instance.h"

#include "platform/ThreadTimer.h"
#include "runtime/GuestCall.h"
#include "runtime/ImportResolver.h"
#include "runtime/InstanceState.h"
#include "runtime/SignatureRegistry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace lucet::rt {
namespace {

// An extended constant expression: a postfix program over i32 and i64
// values, which LoadedModule checked leaves one value and never underflows.
uint64_t evalProgram(const Instance::State &s, const std::vector<abi::InitOp> &program) {
  using Op = abi::InitOpKind;
  std::vector<uint64_t> stack;
  stack.reserve(program.size());
  for (const abi::InitOp &op : program) {
    if (op.kind == Op::I32Const || op.kind == Op::I64Const) {
      stack.push_back(op.bits);
      continue;
    }
    if (op.kind == Op::GlobalGet) {
      uint64_t v;
      std::memcpy(&v, s.globalPointers[op.index], sizeof v);
      stack.push_back(v);
      continue;
    }
    uint64_t y = stack.back();
    stack.pop_back();
    uint64_t &x = stack.back();
    switch (op.kind) {
    case Op::I32Add:
      x = uint32_t(x + y);
      break;
    case Op::I32Sub:
      x = uint32_t(x - y);
      break;
    case Op::I32Mul:
      x = uint32_t(uint32_t(x) * uint32_t(y));
      break;
    case Op::I64Add:
      x = x + y;
      break;
    case Op::I64Sub:
      x = x - y;
      break;
    default:
      x = x * y;
      break;
    }
  }
  return stack.back();
}

GlobalSlot evalInit(const Instance::State &s, const abi::InitExpr &e) {
  using Kind = abi::InitExpr::Kind;
  GlobalSlot slot;
  switch (e.kind) {
  case Kind::Extended: {
    uint64_t v = evalProgram(s, e.program);
    std::memcpy(slot.bytes, &v, sizeof v);
    break;
  }
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
    std::memcpy(slot.bytes, s.globalPointers[e.index], abi::GlobalSlotSize);
    break;
  case Kind::RefNull:
    break;
  case Kind::RefFunc: {
    const abi::FuncRef *ref = s.funcRefPointers[e.index];
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

// A segment offset: an i64 for a 64-bit memory or table, else an i32.
uint64_t evalOffset(const Instance::State &s, const abi::InitExpr &e, bool is64) {
  GlobalSlot slot = evalInit(s, e);
  if (is64) {
    uint64_t v;
    std::memcpy(&v, slot.bytes, 8);
    return v;
  }
  uint32_t v;
  std::memcpy(&v, slot.bytes, 4);
  return v;
}

Status bindImports(Instance::State &s, const ImportResolver &resolver) {
  const abi::Metadata &m = s.metadata();
  uint32_t funcIndex = 0;
  for (const auto &imp : m.imports) {
    std::optional<Extern> value = resolver.resolve(imp.module, imp.name);
    auto *host = value ? std::get_if<HostFunction>(&*value) : nullptr;
    if (!value || (host && !host->code))
      return Error::format("unknown import: {}.{} ({})", imp.module, imp.name,
                           externKindName(imp.kind));
    if (host && imp.kind == abi::ExternKindCode::Func &&
        canonicalSignatureId(host->type) != s.typeIds[imp.typeIndex])
      return Error::format("import {}.{}: type mismatch: module expects {}, host provides {}",
                           imp.module, imp.name, describeSignature(m.types[imp.typeIndex]),
                           describeSignature(host->type));
    LUCET_TRY(matchImport(m, s.typeIds, imp, *value));
    switch (imp.kind) {
    case abi::ExternKindCode::Func:
      if (host) {
        s.funcRefs[funcIndex] = {host->code, &s.vmctx, s.typeIds[imp.typeIndex], funcIndex,
                                 s.module->importAdapter(funcIndex)};
        s.funcRefPointers[funcIndex] = &s.funcRefs[funcIndex];
      } else {
        const abi::FuncRef *ref = std::get<InstanceFunction>(*value).ref;
        s.funcRefs[funcIndex] = *ref;
        s.funcRefPointers[funcIndex] = ref;
      }
      ++funcIndex;
      break;
    case abi::ExternKindCode::Memory:
      s.memories.push_back(std::get<std::shared_ptr<Memory>>(*value));
      break;
    case abi::ExternKindCode::Table:
      s.tables.push_back(std::get<std::shared_ptr<Table>>(*value));
      break;
    case abi::ExternKindCode::Global:
      s.globals.push_back(std::get<std::shared_ptr<Global>>(*value));
      s.globalPointers.push_back(s.globals.back()->slot());
      break;
    case abi::ExternKindCode::Tag:
      s.tags.push_back(std::get<std::shared_ptr<Tag>>(*value));
      break;
    }
  }
  return Status::ok();
}

// Code compiled without bounds checks relies on the guard after its memory,
// whether the memory is its own or imported.
Status checkHeapAssumptions(const Instance::State &s, uint64_t addressSpace) {
  const abi::Metadata &m = s.metadata();
  if (m.heap.boundsChecked) return Status::ok();
  uint64_t needed = m.heap.reservedSize + m.heap.guardSize;
  if (needed < m.heap.reservedSize || addressSpace < needed)
    return Error::format(
        "the module was compiled without bounds checks for {:#x} bytes of heap address space "
        "({:#x} reserved + {:#x} guard), but only {:#x} are allowed; raise "
        "--heap-address-space to at least {:#x} or recompile the module with bounds checks",
        needed, m.heap.reservedSize, m.heap.guardSize, addressSpace, needed);
  return Status::ok();
}

// Imported memories are in place already. A region slot holds one memory:
// memory 0 when the module defines it; any other has its own reservation,
// and each has its own guard.
Status setUpMemories(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  for (const auto &imported : s.memories)
    LUCET_TRY(checkHeapAssumptions(s, imported->addressSpace()));
  if (!m.memories.empty()) LUCET_TRY(checkHeapAssumptions(s, s.limits.heapAddressSpace));
  for (const auto &pages : m.memories) {
    if (s.slot && s.memories.empty()) {
      LUCET_ASSIGN_OR_RETURN(memory, Memory::createInSlot(pages, s.limits, s.slot));
      s.memories.push_back(std::move(memory));
      s.memoryFromImage = s.slot->heapHasImage();
    } else {
      LUCET_ASSIGN_OR_RETURN(memory, Memory::create(pages, s.limits));
      s.memories.push_back(std::move(memory));
    }
  }
  s.memoryPointers.clear();
  for (const auto &memory : s.memories) s.memoryPointers.push_back(&memory->instance());
  return Status::ok();
}

Status setUpTables(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  auto budget = std::make_shared<TableBudget>(s.limits.totalTableElements);
  for (size_t i = 0; i < m.tables.size(); ++i) {
    abi::TableDesc type = m.tables[i];
    type.elemType = canonicalValType(type.elemType, s.typeIds);
    auto table = Table::create(type, s.limits, budget);
    if (!table) return Error::format("table {} {}", s.tables.size(), table.error().message());
    // 3.0 tables may start with a non-null element; a reference is one slot.
    if (void *initial = evalRef(s, m.tableInits[i]))
      std::fill_n((*table)->instance().elements, (*table)->instance().size, initial);
    s.tables.push_back(std::move(*table));
  }
  for (auto &t : s.tables) s.tablePointers.push_back(&t->instance());
  return Status::ok();
}

// On failure, `trap` says which trap the failing segment raised.
Status initializeSegments(Instance::State &s, abi::TrapCode &trap) {
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
      uint64_t offset = evalOffset(s, e.offset, s.tables[e.table]->type().limits.is64);
      abi::TableInstance &table = *s.tablePointers[e.table];
      trap = abi::TrapCode::TableAccessOutOfBounds;
      if (offset > table.size || s.elemItems[i].size() > table.size - offset)
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
    // LoadedModule checked the memory index.
    uint64_t offset = evalOffset(s, d.offset, s.memories[d.memory]->type().is64);
    const abi::MemoryInstance &memory = s.memories[d.memory]->instance();
    trap = abi::TrapCode::OutOfBounds;
    if (offset > memory.size || d.bytes.size() > memory.size - offset)
      return Error::format("out of bounds memory access: data segment {} ({} bytes at offset "
                           "{}) does not fit memory {} of {} bytes",
                           i, d.bytes.size(), offset, d.memory, memory.size);
    // A memory image already holds every active segment of memory 0.
    if (!d.bytes.empty() && !(s.memoryFromImage && d.memory == 0))
      std::memcpy(memory.base + offset, d.bytes.data(), d.bytes.size());
    s.dataDropped[i] = true;
  }
  return Status::ok();
}

// The module's own memory, globals and tables, and the VMContext that shows
// them to its code. Used by instantiation and again by reset.
Status setUpDefinitions(Instance::State &s) {
  const abi::Metadata &m = s.metadata();
  LUCET_TRY(setUpMemories(s));
  // Defined globals follow the imported ones and may read them.
  for (const auto &g : m.globals) {
    GlobalSlot slot = evalInit(s, g.init);
    Value initial;
    initial.type = g.type.type.code;
    std::memcpy(initial.bytes.data(), slot.bytes, abi::GlobalSlotSize);
    s.globals.push_back(
        Global::create({canonicalValType(g.type.type, s.typeIds), g.type.isMutable}, initial));
    s.globalPointers.push_back(s.globals.back()->slot());
  }
  LUCET_TRY(setUpTables(s));
  s.vmctx.heapBase = s.memory0() ? s.memory0()->instance().base : nullptr;
  s.vmctx.memory = s.memory0() ? &s.memory0()->instance() : nullptr;
  s.vmctx.memories = s.memoryPointers.data();
  s.vmctx.globals = s.globalPointers.data();
  s.vmctx.tables = s.tablePointers.data();
  s.vmctx.funcRefs = s.funcRefPointers.data();
  s.vmctx.typeIds = s.typeIds.data();
  s.vmctx.tags = s.tagIdentities.data();
  s.vmctx.runtime = &runtimeCallbacks;
  return Status::ok();
}

// Segments, then the start function. On failure, `result` says why.
bool initialize(Instance &instance, Instantiation &result) {
  Instance::State &s = instance.state();
  auto fail = [&](InstantiationFailure failure, const Error &error) {
    result.failure = failure;
    result.error = error.withContext(s.module->path());
    return false;
  };
  if (Status segments = initializeSegments(s, result.trap); !segments)
    return fail(InstantiationFailure::Trap, segments.error());
  if (std::optional<uint32_t> start = s.metadata().start) {
    auto started = instance.call(*start, {});
    if (!started) return fail(InstantiationFailure::Other, started.error());
    if (started->kind == RunResult::Kind::Trapped) {
      result.trap = started->trap.code;
      return fail(InstantiationFailure::Trap,
                  Error::format("start function trapped: {}", started->trap.describe()));
    }
    if (started->kind == RunResult::Kind::Exited)
      return fail(InstantiationFailure::Other,
                  Error::format("start function exited with code {}", started->exitCode));
  }
  return true;
}

size_t countImports(const abi::Metadata &m, abi::ExternKindCode kind) {
  return size_t(std::count_if(m.imports.begin(), m.imports.end(),
                              [&](const abi::ImportDesc &i) { return i.kind == kind; }));
}

} // namespace

Instance::Instance(std::unique_ptr<State> state) : state_(std::move(state)) {}
Instance::~Instance() = default;

Instantiation Instance::instantiate(std::shared_ptr<const LoadedModule> module,
                                    const ImportResolver &imports, const InstanceLimits &limits) {
  InstantiateOptions options;
  options.limits = limits;
  return instantiate(std::move(module), imports, options);
}

Instantiation Instance::instantiate(std::shared_ptr<const LoadedModule> module,
                                    const ImportResolver &imports,
                                    const InstantiateOptions &options) {
  Instantiation result;
  auto fail = [&](InstantiationFailure failure, const Error &error) {
    result.failure = failure;
    result.error = error.withContext(module->path());
    return std::move(result);
  };
  if (!module) {
    result.failure = InstantiationFailure::Other;
    result.error = Error("cannot instantiate: no module");
    return result;
  }
  if (Status ready = prepareThreadForGuests(); !ready)
    return fail(InstantiationFailure::Other, ready.error());
  auto state = std::make_unique<State>();
  State &s = *state;
  s.module = module;
  s.limits = options.region ? options.region->limits() : options.limits;
  const abi::Metadata &m = module->metadata();

  s.typeIds = canonicalTypeIds(m.types);
  s.funcRefs.resize(m.funcTypeIndices.size());
  s.funcRefPointers.resize(m.funcTypeIndices.size());
  if (Status bound = bindImports(s, imports); !bound)
    return fail(InstantiationFailure::Link, bound.error());
  // The instance's own tags; a reset keeps them, as it keeps the instance.
  for (size_t i = m.numImportedTags; i < m.tagTypeIndices.size(); ++i) {
    uint32_t t = m.tagTypeIndices[i];
    std::string name = fmt::format("tag[{}]", i);
    for (const auto &e : m.exports)
      if (e.kind == abi::ExternKindCode::Tag && e.index == i) {
        name = fmt::format("\"{}\"", e.name);
        break;
      }
    s.tags.push_back(std::make_shared<Tag>(s.typeIds[t], m.types[t], std::move(name)));
  }
  for (const auto &tag : s.tags) s.tagIdentities.push_back(tag.get());
  for (uint32_t i = m.numImportedFuncs; i < m.funcTypeIndices.size(); ++i) {
    s.funcRefs[i] = {module->callEntry(i), &s.vmctx, s.typeIds[m.funcTypeIndices[i]], i,
                     module->tailEntry(i)};
    s.funcRefPointers[i] = &s.funcRefs[i];
  }

  if (options.region) {
    auto slot = options.region->acquire(*module);
    if (!slot) return fail(InstantiationFailure::Other, slot.error());
    s.slot = std::move(*slot);
    s.stack = s.slot->stack();
  } else {
    auto stack = platform::GuestStack::allocate(s.limits.stackSize);
    if (!stack) return fail(InstantiationFailure::Other, stack.error());
    s.stack = std::move(*stack);
  }
  if (Status defined = setUpDefinitions(s); !defined)
    return fail(InstantiationFailure::Other, defined.error());
  s.vmctx.hostData = options.hostData;

  // From here on the instance is observable: segments write into imported
  // tables and memories in order, and a failure leaves earlier writes (with
  // references to this instance's functions) in place, so the instance is
  // handed back even when it traps.
  std::unique_ptr<Instance> instance(new Instance(std::move(state)));
  instance->state_->vmctx.instance = instance.get();
  result.instance = std::move(instance);
  initialize(*result.instance, result);
  return result;
}

Status Instance::reset() {
  State &s = *state_;
  const abi::Metadata &m = s.metadata();
  if (s.running) return Error("cannot reset an instance while it runs");
  size_t importedGlobals = countImports(m, abi::ExternKindCode::Global);
  size_t importedTables = countImports(m, abi::ExternKindCode::Table);
  size_t importedMemories = countImports(m, abi::ExternKindCode::Memory);
  auto shared = [](const auto &object) { return object.use_count() > 1; };
  for (size_t i = importedMemories; i < s.memories.size(); ++i)
    if (shared(s.memories[i]))
      return Error("cannot reset an instance whose memory another instance uses");
  for (size_t i = importedGlobals; i < s.globals.size(); ++i)
    if (shared(s.globals[i])) return Error("cannot reset an instance whose global is shared");
  for (size_t i = importedTables; i < s.tables.size(); ++i)
    if (shared(s.tables[i])) return Error("cannot reset an instance whose table is shared");

  s.memories.resize(importedMemories);
  s.memoryFromImage = false;
  s.globals.resize(importedGlobals);
  s.globalPointers.resize(importedGlobals);
  s.tables.resize(importedTables);
  s.tablePointers.clear();
  s.elemItems.clear();
  s.dataDropped.clear();
  s.trapMessage.clear();
  s.exceptions.clear();
  s.interrupt->take();
  if (s.slot) LUCET_TRY(s.slot->reset(*s.module));
  LUCET_TRY(setUpDefinitions(s));
  Instantiation result;
  if (!initialize(*this, result)) return *result.error;
  return Status::ok();
}

std::shared_ptr<InterruptState> Instance::interruptState() const {
  return state_->interrupt;
}

Expected<std::unique_ptr<Instance>> Instance::create(std::shared_ptr<const LoadedModule> module,
                                                     const ImportResolver &imports,
                                                     const InstanceLimits &limits) {
  Instantiation result = instantiate(std::move(module), imports, limits);
  if (result.error) return std::move(*result.error);
  return std::move(result.instance);
}

Expected<std::unique_ptr<Instance>> Instance::create(std::shared_ptr<const LoadedModule> module,
                                                     const HostFunctionRegistry &hostFunctions,
                                                     const InstanceLimits &limits) {
  return create(std::move(module), HostFunctionResolver(hostFunctions), limits);
}

std::optional<Extern> Instance::exportNamed(const std::string &name) const {
  const State &s = *state_;
  for (const auto &e : s.metadata().exports) {
    if (e.name != name) continue;
    switch (e.kind) {
    case abi::ExternKindCode::Func:
      return Extern(InstanceFunction{s.funcRefPointers[e.index], s.module->functionType(e.index)});
    case abi::ExternKindCode::Memory:
      if (e.index >= s.memories.size()) return std::nullopt;
      return Extern(s.memories[e.index]);
    case abi::ExternKindCode::Table:
      return Extern(s.tables[e.index]);
    case abi::ExternKindCode::Global:
      return Extern(s.globals[e.index]);
    case abi::ExternKindCode::Tag:
      return Extern(s.tags[e.index]);
    }
  }
  return std::nullopt;
}

Expected<RunResult> Instance::run(const std::string &exportName, std::span<const Value> args,
                                  uint64_t deadline) {
  const abi::Metadata &m = state_->metadata();
  for (const auto &e : m.exports) {
    if (e.name != exportName) continue;
    if (e.kind != abi::ExternKindCode::Func)
      return Error::format("export '{}' is not a function", exportName);
    return call(e.index, args, deadline);
  }
  return Error::format("{}: no exported function named '{}'", state_->module->path(), exportName);
}

Expected<RunResult> Instance::call(uint32_t funcIndex, std::span<const Value> args,
                                   uint64_t deadline) {
  State &s = *state_;
  const LoadedModule &module = *s.module;
  if (funcIndex >= module.numFunctions())
    return Error::format("function index {} out of range", funcIndex);
  const abi::FuncTypeDesc &type = module.functionType(funcIndex);
  bool argsMatch = args.size() == type.params.size();
  for (size_t i = 0; argsMatch && i < args.size(); ++i)
    argsMatch = args[i].type == type.params[i].code;
  for (size_t i = 0; argsMatch && i < args.size(); ++i)
    if (!valueMatches(canonicalValType(type.params[i], s.typeIds), args[i]))
      return Error::format("{}: argument {} does not match parameter type {} (a null where "
                           "none is allowed, or a function of another type)",
                           module.functionName(funcIndex), i, valueTypeName(type.params[i]));
  if (!argsMatch) {
    std::vector<abi::ValTypeDesc> given;
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
  if (Memory *memory = s.memory0()) {
    call.heapBegin = memory->reservedBegin();
    call.heapEnd = call.heapBegin + memory->reservedSize();
  }
  call.guardBegin = s.stack.guardBegin();
  call.guardEnd = s.stack.guardEnd();
  call.stackTop = uintptr_t(s.stack.top());
  call.trampoline = module.record().trampolines[module.metadata().funcTypeIndices[funcIndex]];
  call.code = ref.code;
  call.slots = slots[0].bytes;
  call.interrupt = s.interrupt.get();
  call.deadline = deadline;

  RunResult result;
  s.running = true;
  s.interrupt->enter(platform::currentThreadId());
  bool returned = false;
  if (s.interrupt->take()) {
    // Asked to stop before it started.
    call.outcome = GuestCall::Outcome::Trapped;
    call.trapCode = abi::TrapCode::Interrupted;
  } else {
    if (deadline != 0) platform::armThreadTimerAt(deadline);
    returned = enterGuest(&call);
    if (deadline != 0) {
      platform::disarmThreadTimer();
      rearmTimerForCurrentCall();
    }
  }
  s.interrupt->leave();
  s.running = false;

  if (returned) {
    result.kind = RunResult::Kind::Returned;
    for (size_t i = 0; i < type.results.size(); ++i) {
      Value v;
      v.type = type.results[i].code;
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
  Memory *memory = state_->memory0();
  if (!memory) return {};
  return GuestMemory(memory->instance().base, memory->instance().size);
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

void Instance::stopIfInterrupted() {
  rt::stopIfInterrupted();
}

void Instance::ensureHostStackHeadroom() {
  rt::ensureHostStackHeadroom();
}

void Instance::trapFromHost(abi::VMContext *vmctx, abi::TrapCode code, const char *message) {
  if (Instance *instance = fromVMContext(vmctx))
    instance->state_->trapMessage = message ? message : "";
  unwindWithTrap(code, UINT32_MAX, 0, false);
}

} // namespace lucet::rt
