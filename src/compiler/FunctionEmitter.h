#pragma once

#include "compiler/ModuleContext.h"
#include "support/Expected.h"
#include "wasm/Instruction.h"
#include "wasm/Module.h"

#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <utility>
#include <vector>

namespace lucet::compiler {

// Translates one wasm function body to LLVM IR. The implementation is split
// by instruction category: FunctionEmitter.cpp (driver, control flow,
// variables, calls), EmitNumeric.cpp, EmitMemory.cpp, EmitTable.cpp.
class FunctionEmitter {
public:
  FunctionEmitter(ModuleContext &mc, uint32_t funcIndex);
  Status emit();

private:
  enum class FrameKind { Function, Block, Loop, If, Else };

  struct Frame {
    FrameKind kind;
    std::vector<wasm::ValType> params;
    std::vector<wasm::ValType> results;
    size_t stackHeight;         // operand stack height below the block's params
    llvm::BasicBlock *endBlock; // where control continues after `end`
    std::vector<llvm::PHINode *> endPhis;
    llvm::BasicBlock *loopHeader = nullptr; // Loop: branch target
    std::vector<llvm::PHINode *> loopPhis;
    llvm::BasicBlock *elseBlock = nullptr; // If: taken when the condition is false
    std::vector<llvm::Value *> ifParams;   // If: params to hand to the else arm
    bool endReachable = false;             // some branch reaches endBlock
  };

  // Driver and control flow.
  Status emitInstruction(const wasm::Instruction &ins);
  Status emitControl(const wasm::Instruction &ins);
  void skipUnreachable(wasm::InstructionReader &reader, bool &stop);
  void pushFrame(FrameKind kind, const wasm::BlockType &type, llvm::BasicBlock *endBlock);
  void branchTo(Frame &target);
  static size_t carriedBy(const Frame &target);
  std::vector<llvm::PHINode *> makePhis(llvm::BasicBlock *block,
                                        const std::vector<wasm::ValType> &types);
  void addIncoming(std::vector<llvm::PHINode *> &phis, size_t count);
  void endFrame();
  void emitReturn();
  // Above this many entries a br_table switches on its distinct targets.
  static constexpr size_t LargeBrTable = 1024;
  void emitLargeBrTable(llvm::Value *index, const std::vector<uint32_t> &depths,
                        const std::function<llvm::BasicBlock *(uint32_t)> &targetBlock);

  // Variables and calls.
  void emitCall(uint32_t calleeIndex);
  void emitCallIndirect(uint32_t typeIndex, uint32_t tableIndex, uint32_t offset);
  void emitCallRef(uint32_t typeIndex, uint32_t offset);
  void pushCallResults(llvm::CallInst *call, const wasm::FuncType &calleeType);
  // {code, callee VMContext} of a call_indirect after its checks.
  std::pair<llvm::Value *, llvm::Value *> tableCallee(uint32_t typeIndex, uint32_t tableIndex,
                                                      llvm::Value *index, uint32_t offset);
  std::pair<llvm::Value *, llvm::Value *>
  constantTableCallee(uint32_t typeIndex, uint32_t tableIndex, llvm::Value *index, uint32_t offset);
  llvm::Value *globalSlot(uint32_t globalIndex);

  // Categories in their own files.
  bool emitNumeric(const wasm::Instruction &ins);
  bool emitMemory(const wasm::Instruction &ins);
  bool emitTable(const wasm::Instruction &ins);
  bool emitSimd(const wasm::Instruction &ins);

  // Memory helpers (EmitMemory.cpp).
  llvm::Value *effectiveAddress(llvm::Value *addr, uint64_t offset, uint64_t size, uint32_t memory,
                                uint32_t wasmOffset);
  llvm::Value *memoryInstance(uint32_t memory);
  // An index, length or delta as i32, saturating an i64 (64-bit tables and
  // memories: every value past 2^32-1 is out of range either way).
  llvm::Value *saturate32(llvm::Value *v);
  // A memory instruction's address or length operand as i64.
  llvm::Value *toI64(llvm::Value *v);
  void checkRange(llvm::Value *start64, llvm::Value *len64, uint32_t memory, uint32_t wasmOffset);
  llvm::Value *memorySize(uint32_t memory);
  // Linear memory accesses (wasm allows any alignment), tagged as heap.
  llvm::LoadInst *heapLoad(llvm::Type *type, llvm::Value *ptr);
  void heapStore(llvm::Value *value, llvm::Value *ptr);
  template <typename I> I *tagged(I *access, MemoryKind kind) {
    mc_.tagMemory(access, kind);
    return access;
  }
  // An access to state the embedder sees after a trap: tagged, and volatile
  // under the guard-page model (EmitMemory.cpp says why).
  template <typename Access> Access *guestState(Access *access, MemoryKind kind) {
    tagged(access, kind);
    if (!mc_.boundsChecked) access->setVolatile(true);
    return access;
  }

  // Numeric helpers (EmitNumeric.cpp).
  llvm::Value *quietNaN(llvm::Value *v);
  llvm::Value *truncToInt(llvm::Value *v, llvm::Type *intType, bool isSigned, uint32_t wasmOffset);

  // Traps and runtime services.
  void trapIf(llvm::Value *cond, abi::TrapCode code, uint32_t wasmOffset);
  void emitTrap(abi::TrapCode code, uint32_t wasmOffset);
  llvm::Value *runtimeCallback(unsigned index);
  llvm::Value *vmctxField(unsigned offset, llvm::Type *type, bool invariant);
  llvm::Value *loadInvariant(llvm::Type *type, llvm::Value *ptr);

  llvm::AllocaInst *localSlot(uint32_t index);
  llvm::Value *pop();
  void push(llvm::Value *v) { stack_.push_back(v); }
  std::vector<llvm::Value *> popN(size_t n);
  llvm::Value *i32(uint64_t v) { return builder_.getInt32(uint32_t(v)); }
  llvm::Value *i64(uint64_t v) { return builder_.getInt64(v); }
  llvm::Value *boolToI32(llvm::Value *b) { return builder_.CreateZExt(b, builder_.getInt32Ty()); }

  ModuleContext &mc_;
  const wasm::Module &module_;
  uint32_t funcIndex_;
  const wasm::Function &func_;
  const wasm::FuncType &type_;
  llvm::Function *llvmFunc_;
  llvm::IRBuilder<> builder_;
  llvm::Value *vmctx_ = nullptr;
  std::vector<llvm::Value *> heapBases_; // per memory, loaded on entry (memories never move)
  std::vector<llvm::AllocaInst *> locals_;
  std::vector<wasm::ValType> localTypes_;
  std::vector<llvm::Value *> stack_;
  std::vector<Frame> frames_;
  bool reachable_ = true;
};

} // namespace lucet::compiler
