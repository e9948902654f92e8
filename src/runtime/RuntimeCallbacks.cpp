// The services generated code calls through VMContext::runtime. They run on
// the guest stack, so each first makes sure that enough of it is left; those
// that trap leave through unwindWithTrap, so none may hold an object with a
// destructor at that point.

#include "runtime/Exceptions.h"
#include "runtime/GuestCall.h"
#include "runtime/InstanceState.h"

#include <cstring>

namespace lucet::rt {
namespace {

Instance::State &stateOf(abi::VMContext *vmctx) {
  return Instance::fromVMContext(vmctx)->state();
}

// The compiler passes UINT32_MAX when it has no offset to report.
[[noreturn]] void trapAt(abi::TrapCode code, uint32_t funcIndex, uint32_t wasmOffset) {
  unwindWithTrap(code, funcIndex, wasmOffset, wasmOffset != UINT32_MAX);
}

bool fits(uint64_t start, uint64_t len, uint64_t size) {
  return start <= size && len <= size - start;
}

[[noreturn]] void trap(abi::VMContext *, uint32_t trapCode, uint32_t funcIndex,
                       uint32_t wasmOffset) {
  trapAt(abi::TrapCode(trapCode), funcIndex, wasmOffset);
}

// Imported memories are shared objects: growing one through any instance
// is seen by all, since generated code reads MemoryInstance::size.
int32_t memoryGrow(abi::VMContext *vmctx, uint32_t memoryIndex, uint32_t deltaPages) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  if (memoryIndex >= s.memories.size()) return -1;
  return s.memories[memoryIndex]->grow(deltaPages);
}

void memoryInit(abi::VMContext *vmctx, uint32_t memoryIndex, uint32_t dataIndex, uint64_t dst,
                uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  const auto &datas = s.metadata().datas;
  if (dataIndex >= datas.size() || memoryIndex >= s.memories.size())
    trapAt(abi::TrapCode::OutOfBounds, funcIndex, wasmOffset);
  const abi::MemoryInstance &memory = s.memories[memoryIndex]->instance();
  uint64_t segmentSize = s.dataDropped[dataIndex] ? 0 : datas[dataIndex].bytes.size();
  if (!fits(src, len, segmentSize) || !fits(dst, len, memory.size))
    trapAt(abi::TrapCode::OutOfBounds, funcIndex, wasmOffset);
  if (len) std::memcpy(memory.base + dst, datas[dataIndex].bytes.data() + src, len);
}

void dataDrop(abi::VMContext *vmctx, uint32_t dataIndex) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  if (dataIndex < s.dataDropped.size()) s.dataDropped[dataIndex] = true;
}

abi::TableInstance *tableAt(Instance::State &s, uint32_t tableIndex, uint32_t funcIndex,
                            uint32_t wasmOffset) {
  if (tableIndex >= s.tables.size())
    trapAt(abi::TrapCode::TableAccessOutOfBounds, funcIndex, wasmOffset);
  return s.tablePointers[tableIndex];
}

int32_t tableGrow(abi::VMContext *vmctx, uint32_t tableIndex, void *init, uint32_t delta) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  if (tableIndex >= s.tables.size()) return -1;
  return s.tables[tableIndex]->grow(delta, init);
}

void tableFill(abi::VMContext *vmctx, uint32_t tableIndex, uint32_t dst, void *value, uint32_t len,
               uint32_t funcIndex, uint32_t wasmOffset) {
  ensureHostStackHeadroom();
  abi::TableInstance *table = tableAt(stateOf(vmctx), tableIndex, funcIndex, wasmOffset);
  if (!fits(dst, len, table->size))
    trapAt(abi::TrapCode::TableAccessOutOfBounds, funcIndex, wasmOffset);
  for (uint32_t i = 0; i < len; ++i) table->elements[dst + i] = value;
}

void tableCopy(abi::VMContext *vmctx, uint32_t dstTable, uint32_t srcTable, uint32_t dst,
               uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  abi::TableInstance *to = tableAt(s, dstTable, funcIndex, wasmOffset);
  abi::TableInstance *from = tableAt(s, srcTable, funcIndex, wasmOffset);
  if (!fits(src, len, from->size) || !fits(dst, len, to->size))
    trapAt(abi::TrapCode::TableAccessOutOfBounds, funcIndex, wasmOffset);
  if (len) std::memmove(to->elements + dst, from->elements + src, len * sizeof(void *));
}

void tableInit(abi::VMContext *vmctx, uint32_t tableIndex, uint32_t elemIndex, uint32_t dst,
               uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  abi::TableInstance *table = tableAt(s, tableIndex, funcIndex, wasmOffset);
  if (elemIndex >= s.elemItems.size())
    trapAt(abi::TrapCode::TableAccessOutOfBounds, funcIndex, wasmOffset);
  const std::vector<void *> &items = s.elemItems[elemIndex];
  if (!fits(src, len, items.size()) || !fits(dst, len, table->size))
    trapAt(abi::TrapCode::TableAccessOutOfBounds, funcIndex, wasmOffset);
  if (len) std::memcpy(table->elements + dst, items.data() + src, len * sizeof(void *));
}

void elemDrop(abi::VMContext *vmctx, uint32_t elemIndex) {
  ensureHostStackHeadroom();
  Instance::State &s = stateOf(vmctx);
  if (elemIndex < s.elemItems.size()) s.elemItems[elemIndex] = {};
}

} // namespace

const abi::RuntimeCallbacks runtimeCallbacks = {
    trap,
    memoryGrow,
    memoryInit,
    dataDrop,
    tableGrow,
    tableFill,
    tableCopy,
    tableInit,
    elemDrop,
    throwException,
    throwRef,
    rethrowException,
    releaseException,
    captureException,
    holdException,
    unholdException,
    uncaughtException,
};

} // namespace lucet::rt
