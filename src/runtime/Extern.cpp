#include "runtime/Extern.h"

#include "runtime/Region.h"
#include "runtime/SignatureRegistry.h"

#include <algorithm>
#include <cstring>

namespace lucet::rt {
namespace {

constexpr uint64_t WasmPageSize = 64 * 1024;
constexpr uint64_t MaxWasmPages = 65536;
// The most any InstanceLimits may allow: std::vector would throw beyond
// what the host can hold, and nothing may throw here.
constexpr uint64_t MaxTableElements = 1'000'000'000;

std::string describeLimits(const abi::LimitsDesc &l) {
  return fmt::format("{}{}..{}", l.is64 ? "i64 " : "", l.min,
                     l.hasMax ? fmt::format("{}", l.max) : std::string());
}

// Limits subtyping: the provided object must be at least as large as the
// import asks and promise a maximum no larger than the import's.
bool limitsMatch(const abi::LimitsDesc &provided, const abi::LimitsDesc &wanted) {
  if (provided.is64 != wanted.is64 || provided.min < wanted.min) return false;
  if (!wanted.hasMax) return true;
  return provided.hasMax && provided.max <= wanted.max;
}

abi::FuncTypeDesc functionType(const Extern &value) {
  if (auto *h = std::get_if<HostFunction>(&value)) return h->type;
  return std::get<InstanceFunction>(value).type;
}

} // namespace

namespace {

// The initial and largest sizes of a memory of `pages` under `l`, in bytes.
Expected<std::pair<uint64_t, uint64_t>> memorySizes(const abi::LimitsDesc &pages,
                                                    const InstanceLimits &l) {
  // A 64-bit memory may declare up to 2^48 pages; the embedder's limits
  // bound it long before.
  uint64_t wasmMaxPages = pages.is64 ? uint64_t(1) << 48 : MaxWasmPages;
  if (pages.min > wasmMaxPages)
    return Error::format("initial memory of {} pages exceeds the wasm limit of {} pages", pages.min,
                         wasmMaxPages);
  if (pages.min > l.maxHeapSize / WasmPageSize || pages.min > l.heapAddressSpace / WasmPageSize)
    return Error::format("initial memory of {} pages exceeds the maximum heap size of {} bytes "
                         "(--max-heap-size) or the heap address space of {} bytes "
                         "(--heap-address-space)",
                         pages.min, l.maxHeapSize, l.heapAddressSpace);
  uint64_t initial = pages.min * WasmPageSize;
  if (initial > l.maxHeapSize)
    return Error::format("initial memory of {} bytes ({} pages) exceeds the maximum heap size "
                         "of {} bytes (--max-heap-size)",
                         initial, pages.min, l.maxHeapSize);
  if (initial > l.heapAddressSpace)
    return Error::format("initial memory of {} bytes ({} pages) exceeds the heap address space "
                         "of {} bytes (--heap-address-space)",
                         initial, pages.min, l.heapAddressSpace);
  if (l.heapAddressSpace == 0) return Error("the heap address space must not be empty");
  uint64_t moduleMax = std::min(pages.hasMax ? pages.max : wasmMaxPages, wasmMaxPages);
  uint64_t limit = std::min(l.maxHeapSize, l.heapAddressSpace);
  uint64_t maxSize = moduleMax > limit / WasmPageSize ? limit : moduleMax * WasmPageSize;
  maxSize = maxSize / WasmPageSize * WasmPageSize;
  return std::pair<uint64_t, uint64_t>(initial, std::max(maxSize, initial));
}

} // namespace

Expected<std::shared_ptr<Memory>> Memory::create(const abi::LimitsDesc &pages,
                                                 const InstanceLimits &l) {
  LUCET_ASSIGN_OR_RETURN(sizes, memorySizes(pages, l));
  auto [initial, maxSize] = sizes;
  // The extra tail keeps an access that starts just below the end of the
  // address space (up to 16 bytes wide) inside our reservation, so it faults
  // as out of bounds instead of touching whatever is mapped next.
  constexpr uint64_t AccessTailGuard = 64 * 1024;
  std::shared_ptr<Memory> memory(new Memory());
  LUCET_ASSIGN_OR_RETURN(
      heap, platform::AddressReservation::reserve(l.heapAddressSpace + AccessTailGuard));
  memory->heap_ = std::move(heap);
  LUCET_TRY(memory->heap_.makeAccessible(0, initial));
  memory->instance_ = {memory->heap_.base(), initial, maxSize, memory->heap_.size()};
  LUCET_ASSIGN_OR_RETURN(registration, memory->registerReservation());
  memory->registration_ = std::move(registration);
  memory->declared_ = pages;
  memory->addressSpace_ = l.heapAddressSpace;
  return memory;
}

Expected<std::shared_ptr<Memory>> Memory::createInSlot(const abi::LimitsDesc &pages,
                                                       const InstanceLimits &l,
                                                       std::shared_ptr<RegionSlot> slot) {
  LUCET_ASSIGN_OR_RETURN(sizes, memorySizes(pages, l));
  auto [initial, maxSize] = sizes;
  if (slot->heapAccessible() != initial)
    return Error::format("the slot's heap has {:#x} accessible bytes, the memory needs {:#x}",
                         slot->heapAccessible(), initial);
  std::shared_ptr<Memory> memory(new Memory());
  memory->instance_ = {slot->heapBase(), initial, maxSize, slot->heapReservedSize()};
  LUCET_ASSIGN_OR_RETURN(registration, memory->registerReservation());
  memory->registration_ = std::move(registration);
  memory->slot_ = std::move(slot);
  memory->declared_ = pages;
  memory->addressSpace_ = l.heapAddressSpace;
  return memory;
}

Memory::~Memory() = default;

Expected<HeapRegistration> Memory::registerReservation() const {
  return HeapRegistration::add(reservedBegin(), reservedBegin() + reservedSize());
}

abi::LimitsDesc Memory::type() const {
  return {instance_.size / WasmPageSize, declared_.hasMax, declared_.max, declared_.is64};
}

int32_t Memory::grow(uint32_t deltaPages) {
  uint64_t oldSize = instance_.size;
  uint64_t newSize = oldSize + uint64_t(deltaPages) * WasmPageSize;
  if (newSize > instance_.maxSize) return -1;
  if (newSize != oldSize) {
    Status opened =
        slot_ ? slot_->growHeap(newSize) : heap_.makeAccessible(oldSize, newSize - oldSize);
    if (!opened) return -1;
  }
  instance_.size = newSize;
  return int32_t(oldSize / WasmPageSize);
}

bool TableBudget::take(uint64_t elements) {
  uint64_t remaining = remaining_.load();
  do {
    if (elements > remaining) return false;
  } while (!remaining_.compare_exchange_weak(remaining, remaining - elements));
  return true;
}

Expected<std::shared_ptr<Table>> Table::create(const abi::TableDesc &type,
                                               const InstanceLimits &limits,
                                               std::shared_ptr<TableBudget> budget) {
  const abi::LimitsDesc &declared = type.limits;
  // Never more than fits the 32-bit size field, nor than std::vector may hold.
  uint64_t cap = std::min<uint64_t>({limits.tableElements, MaxTableElements, UINT32_MAX});
  if (declared.min > cap)
    return Error::format("needs {} elements, the limit is {} elements per table", declared.min,
                         cap);
  if (!budget) budget = std::make_shared<TableBudget>(limits.totalTableElements);
  if (!budget->take(declared.min))
    return Error::format("needs {} elements, more than the instance's tables may still have "
                         "(the limit is {} elements for all its tables together)",
                         declared.min, limits.totalTableElements);
  uint64_t max = declared.hasMax ? std::min<uint64_t>(declared.max, cap) : cap;
  std::shared_ptr<Table> table(new Table());
  table->budget_ = std::move(budget);
  table->elements_.assign(declared.min, nullptr);
  table->instance_ = {table->elements_.data(), uint32_t(declared.min),
                      uint32_t(std::max(max, declared.min))};
  table->declared_ = type;
  return table;
}

Table::~Table() {
  if (budget_) budget_->giveBack(instance_.size);
}

abi::TableDesc Table::type() const {
  abi::TableDesc t = declared_;
  t.limits.min = instance_.size;
  return t;
}

int32_t Table::grow(uint32_t delta, void *init) {
  uint32_t oldSize = instance_.size;
  if (uint64_t(oldSize) + delta > instance_.maxSize) return -1;
  if (!budget_->take(delta)) return -1;
  elements_.resize(oldSize + delta, init);
  instance_.elements = elements_.data();
  instance_.size = oldSize + delta;
  return int32_t(oldSize);
}

std::shared_ptr<Global> Global::create(const abi::GlobalTypeDesc &type, const Value &initial) {
  std::shared_ptr<Global> global(new Global());
  global->type_ = type;
  global->set(initial);
  return global;
}

Value Global::get() const {
  Value v;
  v.type = type_.type.code;
  std::memcpy(v.bytes.data(), slot_, abi::GlobalSlotSize);
  return v;
}

void Global::set(const Value &value) {
  std::memcpy(slot_, value.bytes.data(), abi::GlobalSlotSize);
}

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
  case abi::ExternKindCode::Tag:
    return "tag";
  }
  return "?";
}

abi::ExternKindCode externKind(const Extern &value) {
  switch (value.index()) {
  case 0:
  case 1:
    return abi::ExternKindCode::Func;
  case 2:
    return abi::ExternKindCode::Memory;
  case 3:
    return abi::ExternKindCode::Table;
  case 4:
    return abi::ExternKindCode::Global;
  default:
    return abi::ExternKindCode::Tag;
  }
}

std::string describeExtern(const Extern &value) {
  switch (externKind(value)) {
  case abi::ExternKindCode::Func:
    return "function " + describeSignature(functionType(value));
  case abi::ExternKindCode::Memory:
    return "memory " + describeLimits(std::get<std::shared_ptr<Memory>>(value)->type());
  case abi::ExternKindCode::Table: {
    abi::TableDesc t = std::get<std::shared_ptr<Table>>(value)->type();
    return fmt::format("table {} {}", describeLimits(t.limits), valueTypeName(t.elemType));
  }
  case abi::ExternKindCode::Global: {
    const abi::GlobalTypeDesc &t = std::get<std::shared_ptr<Global>>(value)->type();
    return fmt::format("global {}{}", t.isMutable ? "mut " : "", valueTypeName(t.type));
  }
  case abi::ExternKindCode::Tag:
    return "tag " + describeSignature(std::get<std::shared_ptr<Tag>>(value)->type());
  }
  return "?";
}

Status matchImport(const abi::Metadata &module, const std::vector<uint32_t> &typeIds,
                   const abi::ImportDesc &import, const Extern &value) {
  auto mismatch = [&](const std::string &wanted) {
    return Error::format("incompatible import type: {}.{}: the module imports {}, but it is {}",
                         import.module, import.name, wanted, describeExtern(value));
  };
  if (externKind(value) != import.kind) return mismatch(externKindName(import.kind));
  switch (import.kind) {
  case abi::ExternKindCode::Func: {
    const abi::FuncTypeDesc &wanted = module.types[import.typeIndex];
    uint32_t actual = std::holds_alternative<InstanceFunction>(value)
                          ? std::get<InstanceFunction>(value).ref->typeId
                          : canonicalSignatureId(functionType(value));
    if (actual != typeIds[import.typeIndex])
      return mismatch("function " + describeSignature(wanted));
    break;
  }
  case abi::ExternKindCode::Memory:
    if (!limitsMatch(std::get<std::shared_ptr<Memory>>(value)->type(), import.memory))
      return mismatch("memory " + describeLimits(import.memory));
    break;
  case abi::ExternKindCode::Table: {
    abi::TableDesc t = std::get<std::shared_ptr<Table>>(value)->type();
    if (t.elemType != canonicalValType(import.table.elemType, typeIds) ||
        !limitsMatch(t.limits, import.table.limits))
      return mismatch(fmt::format("table {} {}", describeLimits(import.table.limits),
                                  valueTypeName(import.table.elemType)));
    break;
  }
  case abi::ExternKindCode::Global: {
    // An immutable global may be more precise than the import asks; a
    // mutable one is both read and written, so its type must be the same.
    const abi::GlobalTypeDesc &t = std::get<std::shared_ptr<Global>>(value)->type();
    abi::ValTypeDesc wanted = canonicalValType(import.global.type, typeIds);
    bool typeMatches = import.global.isMutable ? t.type == wanted : isSubtype(t.type, wanted);
    if (!typeMatches || t.isMutable != import.global.isMutable)
      return mismatch(fmt::format("global {}{}", import.global.isMutable ? "mut " : "",
                                  valueTypeName(import.global.type)));
    break;
  }
  case abi::ExternKindCode::Tag:
    if (std::get<std::shared_ptr<Tag>>(value)->typeId() != typeIds[import.typeIndex])
      return mismatch("tag " + describeSignature(module.types[import.typeIndex]));
    break;
  }
  return Status::ok();
}

} // namespace lucet::rt
