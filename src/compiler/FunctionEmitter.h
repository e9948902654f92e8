#pragma once

#include "compiler/EmitFamily.h"
#include "compiler/ModuleContext.h"
#include "compiler/WideMultiply.h"
#include "support/Expected.h"
#include "wasm/Instruction.h"
#include "wasm/Module.h"

#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <utility>
#include <vector>

namespace lucet::compiler {

// Translates one wasm function body to LLVM IR. The implementation is split
// by emitter family (EmitFamily.h), as the opcode table assigns them:
// FunctionEmitter.cpp (driver, control flow, calls), EmitExceptions.cpp,
// EmitVariables.cpp, EmitNumeric.cpp, EmitMemory.cpp, EmitTable.cpp and
// EmitSimd.cpp.
class FunctionEmitter {
public:
  FunctionEmitter(ModuleContext &mc, uint32_t funcIndex);
  Status emit();

private:
  // TryTable, Try (legacy, before its first catch) and a held Catch are
  // handlers: calls inside them unwind to their landing pad. A Try becomes
  // Catch at its first catch or catch_all.
  enum class FrameKind { Function, Block, Loop, If, Else, TryTable, Try, Catch };

  struct Frame {
    FrameKind kind = FrameKind::Block;
    std::vector<wasm::ValType> params;
    std::vector<wasm::ValType> results;
    size_t stackHeight = 0;               // operand stack height below the block's params
    llvm::BasicBlock *endBlock = nullptr; // where control continues after `end`
    std::vector<llvm::PHINode *> endPhis;
    llvm::BasicBlock *loopHeader = nullptr; // Loop: branch target
    std::vector<llvm::PHINode *> loopPhis;
    llvm::BasicBlock *elseBlock = nullptr; // If: taken when the condition is false
    std::vector<llvm::Value *> ifParams;   // If: params to hand to the else arm
    bool endReachable = false;             // some branch reaches endBlock

    // Exceptions (EmitExceptions.cpp).
    std::vector<wasm::CatchClause> catches; // TryTable
    llvm::BasicBlock *landingPad = nullptr; // handlers: made for the first call that needs it
    llvm::BasicBlock *dispatch = nullptr;   // handlers: what to do with `exn`
    llvm::PHINode *exn = nullptr;           // handlers: the exception unwinding to here
    llvm::Value *caught = nullptr;          // Catch: the exception its handler runs with
    llvm::BasicBlock *nextCatch = nullptr;  // Catch: where a mismatched exception goes on
    bool held = false; // Catch: a `rethrow` names this handler, so it holds `caught`
  };

  // Driver and control flow.
  Status emitInstruction(const wasm::Instruction &ins);
  Status emitControl(const wasm::Instruction &ins);
  Status wrongFamily(const wasm::Instruction &ins);
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
  // `tail`: return_call and its kin.
  void emitCall(uint32_t calleeIndex, bool tail);
  void emitCallIndirect(uint32_t typeIndex, uint32_t tableIndex, uint32_t offset, bool tail);
  void emitCallRef(uint32_t typeIndex, uint32_t offset, bool tail);
  void finishCall(const wasm::FuncType &calleeType, llvm::Value *code, llvm::Value *calleeVmctx,
                  std::vector<llvm::Value *> args, bool tail, llvm::CallingConv::ID convention);
  // Through a FuncRef: its C `code` for a call, its tailcc `tailCode` for a
  // tail call.
  static unsigned codeOffset(bool tail) {
    return tail ? offsetof(abi::FuncRef, tailCode) : offsetof(abi::FuncRef, code);
  }
  static llvm::CallingConv::ID refConvention(bool tail) {
    return tail ? llvm::CallingConv::Tail : llvm::CallingConv::C;
  }
  void pushCallResults(llvm::CallBase *call, const wasm::FuncType &calleeType);
  // A call that may unwind: an `invoke` inside a handler, else a call.
  llvm::CallBase *emitMayThrow(llvm::FunctionType *type, llvm::Value *callee,
                               llvm::ArrayRef<llvm::Value *> args);
  // An `invoke` unwinding to frames_[handler]'s landing pad, or a call when
  // handler is -1.
  llvm::CallBase *invokeOrCall(int handler, llvm::FunctionType *type, llvm::Value *callee,
                               llvm::ArrayRef<llvm::Value *> args);
  static llvm::BasicBlock *labelBlock(const Frame &target) {
    return target.kind == FrameKind::Loop ? target.loopHeader : target.endBlock;
  }
  // {code, callee VMContext} of a call_indirect after its checks.
  std::pair<llvm::Value *, llvm::Value *> tableCallee(uint32_t typeIndex, uint32_t tableIndex,
                                                      llvm::Value *index, uint32_t offset,
                                                      bool tail);
  std::pair<llvm::Value *, llvm::Value *>
  constantTableCallee(uint32_t typeIndex, uint32_t tableIndex, llvm::Value *index, uint32_t offset);
  llvm::Value *globalSlot(uint32_t globalIndex);

  // Exceptions (EmitExceptions.cpp).
  Status emitException(const wasm::Instruction &ins);
  // The innermost handler frame at or below frames_[from], or -1.
  int handlerAtOrBelow(int from) const;
  llvm::BasicBlock *landingPadOf(int frameIndex);
  llvm::PHINode *dispatchOf(int frameIndex);
  // Sends `exn` from the current block to the handler at or below
  // frames_[from], or out of the function.
  void forwardException(llvm::Value *exn, int from);
  // Takes `exn` for a handler: its tag's arguments (and the exnref itself
  // when `keep`), pushed on the operand stack.
  enum class Keep { No, AsExnRef, WhileHandling };
  void takeException(llvm::Value *exn, const wasm::FuncType *tagType, Keep keep);
  bool isHandler(const Frame &f) const {
    return f.kind == FrameKind::TryTable || f.kind == FrameKind::Try ||
           (f.kind == FrameKind::Catch && f.held);
  }
  // The block a branch to frames_[targetIndex] jumps to: the label's, or an
  // edge that first lets go of the exceptions of held catches it leaves.
  llvm::BasicBlock *branchEdge(size_t targetIndex);
  // Lets go of the exceptions of held catches above frames_[bottom].
  void unholdFrom(size_t bottom);
  // The offsets of legacy catches that some `rethrow` names (scanned at a
  // function's first `try`).
  void scanRethrows();
  std::vector<size_t> rethrownCatches_;
  bool rethrowsScanned_ = false;
  llvm::Value *tagIdentity(uint32_t tagIndex);
  llvm::CallInst *callExceptionCallback(unsigned callback, llvm::ArrayRef<llvm::Value *> args);
  void emitTryTableDispatch(int frameIndex);
  void emitCatch(const wasm::Instruction &ins);
  void endTry(int forwardFrom);
  void emitThrowingCallback(int handler, unsigned callback, llvm::ArrayRef<llvm::Value *> args);
  const wasm::FuncType &tagType(uint32_t tagIndex) const {
    return module_.types[module_.tagTypeIndices[tagIndex]];
  }

  // Categories in their own files.
  Status emitVariable(const wasm::Instruction &ins);
  Status emitNumeric(const wasm::Instruction &ins);
  Status emitMemory(const wasm::Instruction &ins);
  Status emitTable(const wasm::Instruction &ins);
  Status emitSimd(const wasm::Instruction &ins);

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
  // Accesses to linear memory `memory` (wasm allows any alignment), tagged
  // as heap.
  llvm::LoadInst *heapLoad(llvm::Type *type, llvm::Value *ptr, uint32_t memory);
  void heapStore(llvm::Value *value, llvm::Value *ptr, uint32_t memory);
  template <typename Access> Access *heapAccess(Access *access, uint32_t memory);
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

  // A recognised __multi3 as one native multiply (WideMultiply.cpp).
  Status emitMulti3(const Multi3Body &body, wasm::InstructionReader &reader);

  // Numeric helpers (EmitNumeric.cpp).
  llvm::Value *quietNaN(llvm::Value *v);
  llvm::Value *truncToInt(llvm::Value *v, llvm::Type *intType, bool isSigned, uint32_t wasmOffset);

  // Traps and runtime services.
  void trapIf(llvm::Value *cond, abi::TrapCode code, uint32_t wasmOffset);
  void emitTrap(abi::TrapCode code, uint32_t wasmOffset);
  llvm::Value *runtimeCallback(unsigned index);
  // A call of a runtime service that never unwinds (all but the ones that
  // raise exceptions): marked so, LLVM can tell that guest functions that
  // only call such services and each other cannot throw either.
  llvm::CallInst *callRuntime(unsigned index, llvm::FunctionType *type,
                              llvm::ArrayRef<llvm::Value *> args);
  llvm::Value *vmctxField(unsigned offset, llvm::Type *type, bool invariant);
  llvm::Value *loadInvariant(llvm::Type *type, llvm::Value *ptr);
  // Tags a load of runtime state that never changes for the instance.
  void markInvariant(llvm::LoadInst *load);

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
