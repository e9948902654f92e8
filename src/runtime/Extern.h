#pragma once

// The things one instance can give another: functions, memories, tables and
// globals, as the wasm spec's "extern values". Memories, tables and globals
// are shared objects, so an instance that imports one keeps it alive and
// every instance sharing it sees the same storage; a function is a FuncRef
// whose vmctx is its own instance's, so that instance must outlive every
// instance that imports the function.

#include "abi/InstanceContext.h"
#include "abi/Metadata.h"
#include "platform/AddressReservation.h"
#include "runtime/HeapRegistry.h"
#include "runtime/HostFunction.h"
#include "runtime/InstanceLimits.h"
#include "runtime/Value.h"
#include "support/Expected.h"

#include <atomic>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace lucet::rt {

class RegionSlot;

// A linear memory in its own reservation of InstanceLimits::heapAddressSpace
// bytes (plus a small tail guard), or in a region slot's heap. It never
// moves; growing opens up more of the reservation.
class Memory {
public:
  static Expected<std::shared_ptr<Memory>> create(const abi::LimitsDesc &pages,
                                                  const InstanceLimits &limits);
  // In `slot`, whose heap already has the initial pages accessible (see
  // Region::acquire). The memory keeps the slot.
  static Expected<std::shared_ptr<Memory>> createInSlot(const abi::LimitsDesc &pages,
                                                        const InstanceLimits &limits,
                                                        std::shared_ptr<RegionSlot> slot);
  ~Memory();

  abi::MemoryInstance &instance() { return instance_; }
  const abi::MemoryInstance &instance() const { return instance_; }
  // The memory's type as import matching sees it: the current size and the
  // declared maximum, in pages.
  abi::LimitsDesc type() const;
  // Bytes of address space past the base that are this memory's, mapped or
  // guard: what code compiled without bounds checks relies on.
  uint64_t addressSpace() const { return addressSpace_; }
  // The whole reserved range, tail guard included: a fault in it is an
  // out-of-bounds access.
  uintptr_t reservedBegin() const { return uintptr_t(instance_.base); }
  uint64_t reservedSize() const { return instance_.reserved; }

  // memory.grow: the old size in pages, or -1. Never throws.
  int32_t grow(uint32_t deltaPages);

private:
  Memory() = default;
  Expected<HeapRegistration> registerReservation() const;
  platform::AddressReservation heap_; // unused in a slot
  std::shared_ptr<RegionSlot> slot_;
  abi::MemoryInstance instance_ = {};
  abi::LimitsDesc declared_;
  uint64_t addressSpace_ = 0;
  // Lets the signal handler recognise a fault in this memory from any
  // instance's code.
  HeapRegistration registration_;
};

// The table elements an instance may still create or grow, shared by its
// tables (which may outlive it) so that InstanceLimits::totalTableElements
// holds however they grow.
class TableBudget {
public:
  explicit TableBudget(uint64_t elements) : remaining_(elements) {}
  bool take(uint64_t elements);
  void giveBack(uint64_t elements) { remaining_.fetch_add(elements); }

private:
  std::atomic<uint64_t> remaining_;
};

class Table {
public:
  // A table of `type` that never holds more than `limits.tableElements`
  // elements, drawing them from `budget` (without one, a budget of its own
  // of `limits.totalTableElements`).
  static Expected<std::shared_ptr<Table>> create(const abi::TableDesc &type,
                                                 const InstanceLimits &limits = {},
                                                 std::shared_ptr<TableBudget> budget = nullptr);
  ~Table();

  abi::TableInstance &instance() { return instance_; }
  const abi::TableInstance &instance() const { return instance_; }
  abi::ValTypeCode elementType() const { return declared_.elemType.code; }
  // Current size and declared maximum, for import matching.
  abi::TableDesc type() const;

  // table.grow: the old size, or -1.
  int32_t grow(uint32_t delta, void *init);

private:
  Table() = default;
  std::vector<void *> elements_;
  std::shared_ptr<TableBudget> budget_;
  abi::TableInstance instance_ = {};
  abi::TableDesc declared_;
};

class Global {
public:
  // A global holding `initial` (whose type must be type.type).
  static std::shared_ptr<Global> create(const abi::GlobalTypeDesc &type, const Value &initial);

  const abi::GlobalTypeDesc &type() const { return type_; }
  uint8_t *slot() { return slot_; }
  Value get() const;
  void set(const Value &value);

private:
  Global() = default;
  abi::GlobalTypeDesc type_;
  alignas(16) uint8_t slot_[abi::GlobalSlotSize] = {};
};

// An exception tag (3.0). Tags are generative: each instantiation of a
// module makes new ones, and a tag is itself, not its type; the type only
// decides whether an import accepts it.
class Tag {
public:
  Tag(uint32_t typeId, abi::FuncTypeDesc type, std::string name = {})
      : typeId_(typeId), type_(std::move(type)), name_(std::move(name)) {}
  uint32_t typeId() const { return typeId_; } // canonical (SignatureRegistry.h)
  const abi::FuncTypeDesc &type() const { return type_; }
  // For messages: the name its instance exports it under, else "tag[N]".
  const std::string &name() const { return name_; }

private:
  uint32_t typeId_;
  abi::FuncTypeDesc type_;
  std::string name_;
};

// A function exported by an instance.
struct InstanceFunction {
  const abi::FuncRef *ref = nullptr;
  abi::FuncTypeDesc type;
};

using Extern = std::variant<HostFunction, InstanceFunction, std::shared_ptr<Memory>,
                            std::shared_ptr<Table>, std::shared_ptr<Global>, std::shared_ptr<Tag>>;

// "function", "table", "memory", "global" or "tag".
const char *externKindName(abi::ExternKindCode kind);
abi::ExternKindCode externKind(const Extern &value);
// "function (i32) -> ()", "memory 1..2", "global mut i32", ...
std::string describeExtern(const Extern &value);

// Whether `value` may be bound to `import` of `module` under the spec's import
// matching (function signatures equal, limits subtyping, global mutability
// and type equal). On failure, why not.
// `typeIds` are the importing module's canonical type ids.
Status matchImport(const abi::Metadata &module, const std::vector<uint32_t> &typeIds,
                   const abi::ImportDesc &import, const Extern &value);

} // namespace lucet::rt
