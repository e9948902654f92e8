#pragma once

// The contract between generated code and the runtime: every structure that
// compiled code reads or writes, with offsets pinned by static_asserts. The
// compiler emits loads at these offsets; the runtime fills them in.

#include "abi/TrapCode.h"

#include <cstddef>
#include <cstdint>

namespace lucet::abi {

struct VMContext;

// A function as a value: what `ref.func` yields, what funcref tables hold a
// pointer to, and how imported functions are called. Calling convention of
// `code`: the C calling convention with `vmctx` first, then the wasm
// parameters (i32 -> int32_t, i64 -> int64_t, f32 -> float, f64 -> double,
// references -> void*); results: none -> void, one -> its type, several ->
// a struct of them returned by value.
//
// `tailCode` is the same function in LLVM's `tailcc` convention (the callee
// pops its stack arguments), which return_call_indirect and return_call_ref
// jump to, so that a tail call is a jump whatever the two signatures. A
// module without tail calls keeps the C convention for its code (tailcc
// costs every call a little) and adds a tailcc entry for each function
// that can become a reference; a module with tail calls is tailcc inside
// and adds C entries (ModuleRecord). For a host function bound to an import,
// `tailCode` is the importing module's adapter for that import.
struct FuncRef {
  void *code;
  VMContext *vmctx;
  uint32_t typeId; // canonical signature id; equal ids mean equal signatures
  uint32_t funcIndex;
  void *tailCode;
};
static_assert(offsetof(FuncRef, code) == 0);
static_assert(offsetof(FuncRef, vmctx) == 8);
static_assert(offsetof(FuncRef, typeId) == 16);
static_assert(offsetof(FuncRef, tailCode) == 24);
static_assert(sizeof(FuncRef) == 32);

// A linear memory. It never moves; `size` changes on memory.grow.
struct MemoryInstance {
  uint8_t *base;
  uint64_t size;     // accessible bytes, a multiple of 64 KiB
  uint64_t maxSize;  // bytes memory.grow may reach (module max and embedder limit)
  uint64_t reserved; // bytes of address space reserved at base
};
static_assert(offsetof(MemoryInstance, base) == 0);
static_assert(offsetof(MemoryInstance, size) == 8);

// A table of references: FuncRef* for funcref tables, opaque host pointers
// for externref tables; nullptr is the null reference.
struct TableInstance {
  void **elements;
  uint32_t size;
  uint32_t maxSize;
};
static_assert(offsetof(TableInstance, elements) == 0);
static_assert(offsetof(TableInstance, size) == 8);

// Runtime services generated code calls for what is not worth inlining.
// Each receives the calling instance's VMContext first. Functions that can
// fail return normally only on success; on failure they trap and never return.
struct RuntimeCallbacks {
  // Ends guest execution with a trap; never returns (the compiler marks the
  // call noreturn).
  void (*trap)(VMContext *vmctx, uint32_t trapCode, uint32_t funcIndex, uint32_t wasmOffset);
  // Returns the old size in pages, or -1.
  int32_t (*memoryGrow)(VMContext *vmctx, uint32_t memoryIndex, uint32_t deltaPages);
  void (*memoryInit)(VMContext *vmctx, uint32_t memoryIndex, uint32_t dataIndex, uint64_t dst,
                     uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset);
  void (*dataDrop)(VMContext *vmctx, uint32_t dataIndex);
  int32_t (*tableGrow)(VMContext *vmctx, uint32_t tableIndex, void *init, uint32_t delta);
  void (*tableFill)(VMContext *vmctx, uint32_t tableIndex, uint32_t dst, void *value, uint32_t len,
                    uint32_t funcIndex, uint32_t wasmOffset);
  void (*tableCopy)(VMContext *vmctx, uint32_t dstTable, uint32_t srcTable, uint32_t dst,
                    uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset);
  void (*tableInit)(VMContext *vmctx, uint32_t tableIndex, uint32_t elemIndex, uint32_t dst,
                    uint32_t src, uint32_t len, uint32_t funcIndex, uint32_t wasmOffset);
  void (*elemDrop)(VMContext *vmctx, uint32_t elemIndex);

  // Exceptions (ExceptionObject.h). The throwing ones raise through the
  // platform unwinder and never return; generated code calls them with
  // `invoke` inside a handler.
  // Raises a new exception of tag `tagIndex` whose arguments are in
  // `payload` (16-byte slots).
  void (*throwException)(VMContext *vmctx, uint32_t tagIndex, const uint8_t *payload);
  // throw_ref: raises `exn` again; a null reference traps.
  void (*throwRef)(VMContext *vmctx, void *exn, uint32_t funcIndex, uint32_t wasmOffset);
  // Passes on an exception a handler did not take, or the legacy `rethrow`.
  void (*rethrowException)(VMContext *vmctx, void *exn);
  // A handler took `exn` and keeps no reference: it may be freed.
  void (*releaseException)(VMContext *vmctx, void *exn);
  // A handler took `exn` as an exnref: it lives as long as the instance.
  void (*captureException)(VMContext *vmctx, void *exn);
  // A legacy catch that a `rethrow` names keeps `exn` while it runs
  // (holdException) and lets go of it when control leaves the handler
  // (unholdException): normally with `inFlight` null, or by unwinding with
  // the exception that leaves; `exn` is freed when nothing holds it and it
  // is not that exception.
  void (*holdException)(VMContext *vmctx, void *exn);
  void (*unholdException)(VMContext *vmctx, void *exn, void *inFlight);
  // Called by the trampoline when an exception leaves the guest: ends the
  // call with an UncaughtException trap; never returns.
  void (*uncaughtException)(VMContext *vmctx, void *exn);
};

enum RuntimeCallbackIndex : unsigned {
  CallbackTrap = 0,
  CallbackMemoryGrow,
  CallbackMemoryInit,
  CallbackDataDrop,
  CallbackTableGrow,
  CallbackTableFill,
  CallbackTableCopy,
  CallbackTableInit,
  CallbackElemDrop,
  CallbackThrowException,
  CallbackThrowRef,
  CallbackRethrowException,
  CallbackReleaseException,
  CallbackCaptureException,
  CallbackHoldException,
  CallbackUnholdException,
  CallbackUncaughtException,
};
static_assert(sizeof(RuntimeCallbacks) == 17 * sizeof(void *));

// The per-instance context; generated functions take a pointer to it as
// their first argument.
struct VMContext {
  uint8_t *heapBase;               // base of memory 0 (never moves)
  MemoryInstance *memory;          // memory 0, possibly imported
  uint8_t *const *globals;         // per global index: pointer to a 16-byte slot
  TableInstance *const *tables;    // per table index
  const FuncRef *const *funcRefs;  // per function index (imports first)
  const uint32_t *typeIds;         // per type index: canonical signature id
  const RuntimeCallbacks *runtime; // services
  void *instance;                  // the runtime's Instance, opaque to generated code
  void *hostData;                  // the embedder's, opaque to generated code
  MemoryInstance *const *memories; // per memory index (memory 0 too), possibly imported
  const void *const *tags;         // per tag index: the tag's identity (ExceptionObject.h)
};

enum VMContextOffset : unsigned {
  OffsetHeapBase = 0,
  OffsetMemory = 8,
  OffsetGlobals = 16,
  OffsetTables = 24,
  OffsetFuncRefs = 32,
  OffsetTypeIds = 40,
  OffsetRuntime = 48,
  OffsetInstance = 56,
  OffsetHostData = 64,
  OffsetMemories = 72,
  OffsetTags = 80,
};
static_assert(offsetof(VMContext, heapBase) == OffsetHeapBase);
static_assert(offsetof(VMContext, memory) == OffsetMemory);
static_assert(offsetof(VMContext, globals) == OffsetGlobals);
static_assert(offsetof(VMContext, tables) == OffsetTables);
static_assert(offsetof(VMContext, funcRefs) == OffsetFuncRefs);
static_assert(offsetof(VMContext, typeIds) == OffsetTypeIds);
static_assert(offsetof(VMContext, runtime) == OffsetRuntime);
static_assert(offsetof(VMContext, instance) == OffsetInstance);
static_assert(offsetof(VMContext, hostData) == OffsetHostData);
static_assert(offsetof(VMContext, memories) == OffsetMemories);
static_assert(offsetof(VMContext, tags) == OffsetTags);

// A global's storage: 16 bytes so that a v128 fits. Scalars live in the low
// bytes in host byte order; references are stored as a pointer.
constexpr size_t GlobalSlotSize = 16;

// Host-to-guest calls go through one trampoline per function type, generated
// by the compiler: it reads the parameters from `slots` (16 bytes each),
// calls `code` with `vmctx`, and writes the results back to `slots` from
// index 0.
using Trampoline = void (*)(VMContext *vmctx, void *code, uint8_t *slots);
constexpr size_t ValueSlotSize = 16;

} // namespace lucet::abi
