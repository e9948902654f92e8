#pragma once

#include "abi/InstanceContext.h"
#include "compiler/ChunkPlan.h"
#include "compiler/CompileOptions.h"
#include "compiler/ConstantTables.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <optional>
#include <vector>

namespace lucet::compiler {

// The LLVM module flag present when the code checks every heap access.
inline constexpr const char *BoundsCheckedFlag = "lucet.bounds-checked";
// Under the guard-page model, the metadata on a linear-memory load or store
// that names its memory: !{i32 index} (HeapLoopVersioning.h).
inline constexpr const char *HeapMemoryMetadata = "lucet.memory";

// Disjoint kinds of memory generated code touches. Linear memory never
// overlaps the runtime's structures, and a global's slot, a table and the
// runtime's read-only structures (VMContext, FuncRefs, type ids, callbacks)
// are separate allocations, so accesses of different kinds never alias.
// Each kind is a TBAA type of its own; untagged accesses alias everything.
enum class MemoryKind { Heap, Global, Table, Runtime };

// What every chunk needs to know about the whole module, worked out once.
struct ModuleFacts {
  // Whether some body makes a tail call: the guest functions then have
  // LLVM's tailcc convention, else the C one (abi::FuncRef says why).
  bool tailCalls = false;
  // Per type index: the lowest type index with the same signature, so equal
  // signatures compare equal at compile time as their runtime ids do.
  std::vector<uint32_t> canonicalTypes;
  // Per table index: the contents of a table that is fixed, if it is
  // (ConstantTables.h).
  std::vector<std::optional<ConstantTable>> constantTables;
  // Per function index: whether it can become a reference
  // (wasm::declaredFunctions).
  std::vector<bool> declared;
};
Expected<ModuleFacts> analyzeModule(const wasm::Module &module);

// What every function emitter shares: the LLVM module, the declared guest
// functions and the type mappings.
struct ModuleContext {
  ModuleContext(const wasm::Module &wasmModule, const ModuleFacts &facts, const Chunk &chunk,
                const CompileOptions &options, llvm::LLVMContext &context);

  llvm::Type *llvmType(wasm::ValType type) const;
  // void, the single result, or a struct of the results.
  llvm::Type *llvmResultType(const std::vector<wasm::ValType> &results) const;
  llvm::FunctionType *llvmFuncType(const wasm::FuncType &type) const;
  // Marks a load, store or memory intrinsic as touching only `kind`.
  void tagMemory(llvm::Instruction *access, MemoryKind kind) const;
  // The personality of functions with landing pads: a forwarder through
  // personalitySlot, which the loader fills in (abi/ExceptionObject.h).
  llvm::Function *personality();

  // The guest function of a defined index: its definition when this chunk
  // defines it (declared up front, in order), else a declaration made on
  // first use.
  llvm::Function *function(uint32_t definedIndex);
  // The linkage of what chunks share (see Chunk).
  llvm::GlobalValue::LinkageTypes sharedLinkage() const {
    return chunk.split ? llvm::GlobalValue::ExternalLinkage : llvm::GlobalValue::InternalLinkage;
  }
  void setShared(llvm::GlobalValue *value) const {
    if (chunk.split) value->setVisibility(llvm::GlobalValue::HiddenVisibility);
  }

  const wasm::Module &wasm;
  const ModuleFacts &facts;
  const Chunk chunk;
  const CompileOptions &options;
  llvm::LLVMContext &context;
  std::unique_ptr<llvm::Module> llvmModule;
  llvm::PointerType *ptrType;
  bool boundsChecked;
  const bool tailCalls; // facts.tailCalls
  llvm::CallingConv::ID bodyConvention() const {
    return tailCalls ? llvm::CallingConv::Tail : llvm::CallingConv::C;
  }
  // Per defined function: its entries in the C and the tailcc convention
  // (abi::FuncRef): the function itself or a wrapper; tailEntries are null
  // for functions that cannot become references. A chunk fills in its own
  // functions', and another chunk's when it names them (ModuleEmitter.cpp).
  std::vector<llvm::Function *> callEntries;
  std::vector<llvm::Function *> tailEntries;
  // Whether wasm exceptions may pass through this module's frames (the
  // exceptions feature is on): its code then has unwind tables, and its
  // trampolines turn an exception that leaves the guest into a trap.
  bool unwinds;
  llvm::GlobalVariable *personalitySlot = nullptr;

  const std::vector<uint32_t> &canonicalTypes; // facts.canonicalTypes
  // Per table index: for a table whose contents are fixed (ConstantTables.h),
  // a constant array of DispatchEntry {code, canonical type or NullSlot},
  // defined by the main chunk; nullptr otherwise.
  std::vector<llvm::GlobalVariable *> dispatchTables;
  llvm::StructType *dispatchEntryType = nullptr;

  // Debug info whose line numbers are wasm code offsets: the source of the
  // artifact's source map (see SourceMapBuilder.h).
  std::vector<llvm::MDNode *> memoryTags; // access tag per MemoryKind

  std::unique_ptr<llvm::DIBuilder> debugInfo;
  llvm::DIFile *debugFile = nullptr;
  llvm::DISubroutineType *debugFunctionType = nullptr;

private:
  llvm::Function *declareFunction(uint32_t definedIndex);
  std::vector<llvm::Function *> functions_; // by defined index; null until needed
  llvm::Function *personality_ = nullptr;
};

} // namespace lucet::compiler
