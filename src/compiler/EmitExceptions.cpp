// Exception handling (abi/ExceptionObject.h has the model): try_table, the
// legacy try/catch/catch_all/delegate/rethrow, throw and throw_ref.
//
// Every handler frame gets, on demand, a landing pad that all calls inside
// it unwind to, and a dispatch block that receives the exception (from the
// landing pad, or passed on from an inner handler of the same function) and
// tries the handler's clauses in order. An exception no clause takes goes on
// to the next handler out, or leaves the function through rethrowException.
//
// A legacy catch that some `rethrow` names must keep its exception while its
// handler runs (it is "held"); the handler is then a cleanup for everything
// inside it: a call that unwinds out of it lets go of the exception on the
// way, and so do the branches that leave it and its end.

#include "abi/ExceptionObject.h"
#include "compiler/FunctionEmitter.h"

#include <algorithm>

namespace lucet::compiler {

using wasm::Opcode;

int FunctionEmitter::handlerAtOrBelow(int from) const {
  for (int i = from; i >= 0; --i)
    if (isHandler(frames_[size_t(i)])) return i;
  return -1;
}

void FunctionEmitter::scanRethrows() {
  rethrowsScanned_ = true;
  struct Open {
    bool isTry;
    size_t catchOffset; // the running catch clause, or SIZE_MAX
  };
  std::vector<Open> open{{false, SIZE_MAX}};
  wasm::InstructionReader reader(module_.functionBody(func_), func_.bodyOffset, module_.features);
  wasm::Instruction ins;
  while (!open.empty() && !reader.atEnd()) {
    if (!reader.next(ins)) return; // validated already: cannot happen
    if (wasm::opensBlock(ins.op)) {
      open.push_back({ins.op == Opcode::Try, SIZE_MAX});
    } else if (wasm::closesBlock(ins.op)) {
      open.pop_back();
    }
    switch (ins.op) {
    case Opcode::Catch:
    case Opcode::CatchAll:
      open.back().catchOffset = ins.offset;
      break;
    case Opcode::Rethrow:
      if (ins.index < open.size()) {
        const Open &target = open[open.size() - 1 - ins.index];
        if (target.isTry && target.catchOffset != SIZE_MAX)
          rethrownCatches_.push_back(target.catchOffset);
      }
      break;
    default:
      break;
    }
  }
}

void FunctionEmitter::unholdFrom(size_t bottom) {
  for (size_t i = frames_.size(); i-- > bottom;) {
    const Frame &f = frames_[i];
    if (f.kind == FrameKind::Catch && f.held)
      callExceptionCallback(abi::CallbackUnholdException,
                            {vmctx_, f.caught, llvm::ConstantPointerNull::get(mc_.ptrType)});
  }
}

llvm::BasicBlock *FunctionEmitter::branchEdge(size_t targetIndex) {
  Frame &target = frames_[targetIndex];
  // A branch leaves the frames above its target, and the target itself
  // unless it is a loop.
  size_t bottom = target.kind == FrameKind::Loop ? targetIndex + 1 : targetIndex;
  bool leavesHeld = false;
  for (size_t i = bottom; i < frames_.size(); ++i)
    leavesHeld |= frames_[i].kind == FrameKind::Catch && frames_[i].held;
  if (!leavesHeld) {
    branchTo(target);
    return labelBlock(target);
  }
  auto *edge = llvm::BasicBlock::Create(mc_.context, "catch.leave", llvmFunc_);
  auto saved = builder_.saveIP();
  builder_.SetInsertPoint(edge);
  unholdFrom(bottom);
  branchTo(target);
  builder_.CreateBr(labelBlock(target));
  builder_.restoreIP(saved);
  return edge;
}

llvm::CallBase *FunctionEmitter::invokeOrCall(int handler, llvm::FunctionType *type,
                                              llvm::Value *callee,
                                              llvm::ArrayRef<llvm::Value *> args) {
  if (handler < 0) return builder_.CreateCall(type, callee, args);
  auto *cont = llvm::BasicBlock::Create(mc_.context, "invoke.cont", llvmFunc_);
  auto *call = builder_.CreateInvoke(type, callee, cont, landingPadOf(handler), args);
  builder_.SetInsertPoint(cont);
  return call;
}

llvm::CallBase *FunctionEmitter::emitMayThrow(llvm::FunctionType *type, llvm::Value *callee,
                                              llvm::ArrayRef<llvm::Value *> args) {
  int handler = mc_.unwinds ? handlerAtOrBelow(int(frames_.size()) - 1) : -1;
  return invokeOrCall(handler, type, callee, args);
}

static llvm::FunctionType *callbackType(llvm::Type *result, llvm::ArrayRef<llvm::Value *> args) {
  std::vector<llvm::Type *> params;
  for (auto *a : args) params.push_back(a->getType());
  return llvm::FunctionType::get(result, params, false);
}

llvm::CallInst *FunctionEmitter::callExceptionCallback(unsigned callback,
                                                       llvm::ArrayRef<llvm::Value *> args) {
  return callRuntime(callback, callbackType(builder_.getVoidTy(), args), args);
}

void FunctionEmitter::emitThrowingCallback(int handler, unsigned callback,
                                           llvm::ArrayRef<llvm::Value *> args) {
  auto *call = invokeOrCall(handler, callbackType(builder_.getVoidTy(), args),
                            runtimeCallback(callback), args);
  call->setDoesNotReturn();
  builder_.CreateUnreachable();
  reachable_ = false;
}

llvm::PHINode *FunctionEmitter::dispatchOf(int frameIndex) {
  Frame &f = frames_[size_t(frameIndex)];
  if (!f.exn) {
    f.dispatch = llvm::BasicBlock::Create(mc_.context, "eh.dispatch", llvmFunc_);
    f.exn = llvm::PHINode::Create(mc_.ptrType, 2, "exn", f.dispatch);
    if (f.kind == FrameKind::Catch) {
      // A held catch is a cleanup: it lets go and passes the exception on.
      auto saved = builder_.saveIP();
      builder_.SetInsertPoint(f.dispatch);
      callExceptionCallback(abi::CallbackUnholdException, {vmctx_, f.caught, f.exn});
      forwardException(f.exn, frameIndex - 1);
      builder_.restoreIP(saved);
    }
  }
  return frames_[size_t(frameIndex)].exn;
}

llvm::BasicBlock *FunctionEmitter::landingPadOf(int frameIndex) {
  if (frames_[size_t(frameIndex)].landingPad) return frames_[size_t(frameIndex)].landingPad;
  auto &ctx = mc_.context;
  if (!llvmFunc_->hasPersonalityFn()) llvmFunc_->setPersonalityFn(mc_.personality());
  auto *pad = llvm::BasicBlock::Create(ctx, "lpad", llvmFunc_);
  frames_[size_t(frameIndex)].landingPad = pad;
  auto saved = builder_.saveIP();
  builder_.SetInsertPoint(pad);
  auto *lp = builder_.CreateLandingPad(
      llvm::StructType::get(ctx, {mc_.ptrType, builder_.getInt32Ty()}), 1);
  lp->addClause(llvm::ConstantPointerNull::get(mc_.ptrType));
  auto *exn = builder_.CreateExtractValue(lp, {0});
  // Only wasm exceptions are ours to look at; any other (a host's C++
  // exception) goes on out.
  auto *exceptionClass =
      tagged(builder_.CreateLoad(builder_.getInt64Ty(), exn), MemoryKind::Runtime);
  auto *foreign = llvm::BasicBlock::Create(ctx, "lpad.foreign", llvmFunc_);
  auto *phi = dispatchOf(frameIndex);
  builder_.CreateCondBr(
      builder_.CreateICmpEQ(exceptionClass, builder_.getInt64(abi::WasmExceptionClass)),
      frames_[size_t(frameIndex)].dispatch, foreign);
  phi->addIncoming(exn, pad);
  builder_.SetInsertPoint(foreign);
  bool wasReachable = reachable_;
  emitThrowingCallback(handlerAtOrBelow(frameIndex - 1), abi::CallbackRethrowException,
                       {vmctx_, exn});
  reachable_ = wasReachable;
  builder_.restoreIP(saved);
  return pad;
}

void FunctionEmitter::forwardException(llvm::Value *exn, int from) {
  int handler = handlerAtOrBelow(from);
  if (handler >= 0) {
    dispatchOf(handler)->addIncoming(exn, builder_.GetInsertBlock());
    builder_.CreateBr(frames_[size_t(handler)].dispatch);
    return;
  }
  // Raises: a call that unwinds.
  auto *call = builder_.CreateCall(callbackType(builder_.getVoidTy(), {vmctx_, exn}),
                                   runtimeCallback(abi::CallbackRethrowException), {vmctx_, exn});
  call->setDoesNotReturn();
  builder_.CreateUnreachable();
}

llvm::Value *FunctionEmitter::tagIdentity(uint32_t tagIndex) {
  auto *tags = vmctxField(abi::OffsetTags, mc_.ptrType, true);
  return loadInvariant(mc_.ptrType,
                       builder_.CreateConstInBoundsGEP1_64(mc_.ptrType, tags, tagIndex));
}

void FunctionEmitter::takeException(llvm::Value *exn, const wasm::FuncType *tagType, Keep keep) {
  if (tagType) {
    for (size_t i = 0; i < tagType->params.size(); ++i) {
      auto *slot = builder_.CreateConstInBoundsGEP1_64(
          builder_.getInt8Ty(), exn, abi::ExceptionPayloadOffset + i * abi::ExceptionSlotSize);
      push(tagged(
          builder_.CreateAlignedLoad(mc_.llvmType(tagType->params[i]), slot, llvm::Align(16)),
          MemoryKind::Runtime));
    }
  }
  unsigned callback = keep == Keep::AsExnRef        ? abi::CallbackCaptureException
                      : keep == Keep::WhileHandling ? abi::CallbackHoldException
                                                    : abi::CallbackReleaseException;
  callExceptionCallback(callback, {vmctx_, exn});
  if (keep == Keep::AsExnRef) push(exn);
}

// After the try_table's body: its dispatch tries each clause in order.
void FunctionEmitter::emitTryTableDispatch(int frameIndex) {
  Frame &f = frames_[size_t(frameIndex)];
  if (!f.exn) return; // nothing inside can throw
  auto &ctx = mc_.context;
  auto saved = builder_.saveIP();
  builder_.SetInsertPoint(f.dispatch);
  llvm::Value *exn = f.exn;
  llvm::Value *tag = nullptr;
  bool tookAll = false;
  for (const auto &clause : f.catches) {
    llvm::BasicBlock *next = nullptr;
    if (clause.takesTag()) {
      if (!tag)
        tag = tagged(builder_.CreateLoad(
                         mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), exn,
                                                                          abi::ExceptionTagOffset)),
                     MemoryKind::Runtime);
      auto *match = llvm::BasicBlock::Create(ctx, "catch", llvmFunc_);
      next = llvm::BasicBlock::Create(ctx, "catch.next", llvmFunc_);
      builder_.CreateCondBr(builder_.CreateICmpEQ(tag, tagIdentity(clause.tag)), match, next);
      builder_.SetInsertPoint(match);
    }
    size_t height = stack_.size();
    takeException(exn, clause.takesTag() ? &tagType(clause.tag) : nullptr,
                  clause.passesExnRef() ? Keep::AsExnRef : Keep::No);
    builder_.CreateBr(branchEdge(size_t(frameIndex) - 1 - clause.label));
    stack_.resize(height);
    if (!next) {
      tookAll = true;
      break;
    }
    builder_.SetInsertPoint(next);
  }
  if (!tookAll) forwardException(exn, frameIndex - 1);
  builder_.restoreIP(saved);
}

// A legacy catch or catch_all: ends the try's body (or the previous
// handler) and starts this handler where the previous clause's mismatch
// left the dispatch.
void FunctionEmitter::emitCatch(const wasm::Instruction &ins) {
  auto &ctx = mc_.context;
  Frame &f = frames_.back();
  if (reachable_) {
    unholdFrom(frames_.size() - 1);
    addIncoming(f.endPhis, f.results.size());
    builder_.CreateBr(f.endBlock);
    f.endReachable = true;
  }
  stack_.resize(f.stackHeight);
  if (f.kind == FrameKind::Try) {
    f.kind = FrameKind::Catch;
    f.nextCatch = f.dispatch;
    f.caught = f.exn;
  }
  // Each handler is a cleanup of its own when held.
  f.landingPad = nullptr;
  f.dispatch = nullptr;
  f.exn = nullptr;
  f.held = std::find(rethrownCatches_.begin(), rethrownCatches_.end(), ins.offset) !=
           rethrownCatches_.end();
  Keep keep = f.held ? Keep::WhileHandling : Keep::No;
  if (!f.nextCatch) {
    // Nothing inside the body can throw, or a catch_all took everything.
    reachable_ = false;
    return;
  }
  builder_.SetInsertPoint(f.nextCatch);
  if (ins.op == Opcode::Catch) {
    auto *tag = tagged(builder_.CreateLoad(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                                            builder_.getInt8Ty(), f.caught,
                                                            abi::ExceptionTagOffset)),
                       MemoryKind::Runtime);
    auto *match = llvm::BasicBlock::Create(ctx, "catch", llvmFunc_);
    f.nextCatch = llvm::BasicBlock::Create(ctx, "catch.next", llvmFunc_);
    builder_.CreateCondBr(builder_.CreateICmpEQ(tag, tagIdentity(ins.index)), match, f.nextCatch);
    builder_.SetInsertPoint(match);
    takeException(f.caught, &tagType(ins.index), keep);
  } else {
    f.nextCatch = nullptr;
    takeException(f.caught, nullptr, keep);
  }
  reachable_ = true;
}

// The `end` of a legacy try: what its clauses did not take goes on out.
void FunctionEmitter::endTry(int forwardFrom) {
  Frame &f = frames_.back();
  bool inBody = f.kind == FrameKind::Try;
  llvm::BasicBlock *pending = inBody ? f.dispatch : f.nextCatch;
  if (!pending) return;
  auto saved = builder_.saveIP();
  builder_.SetInsertPoint(pending);
  forwardException(inBody ? f.exn : f.caught, forwardFrom);
  builder_.restoreIP(saved);
}

Status FunctionEmitter::emitException(const wasm::Instruction &ins) {
  auto &ctx = mc_.context;
  int top = int(frames_.size()) - 1;
  switch (ins.op) {
  case Opcode::TryTable:
    pushFrame(FrameKind::TryTable, ins.blockType,
              llvm::BasicBlock::Create(ctx, "try_table.end", llvmFunc_));
    frames_.back().catches = ins.catches;
    break;
  case Opcode::Try:
    if (!rethrowsScanned_) scanRethrows();
    pushFrame(FrameKind::Try, ins.blockType, llvm::BasicBlock::Create(ctx, "try.end", llvmFunc_));
    break;
  case Opcode::Catch:
  case Opcode::CatchAll:
    emitCatch(ins);
    break;
  case Opcode::Delegate:
    // Ends the try; what its body throws goes to the handler of label
    // `index`, counted from outside the try.
    endTry(top - 1 - int(ins.index));
    endFrame();
    break;
  case Opcode::Throw: {
    const auto &type = tagType(ins.index);
    auto args = popN(type.params.size());
    llvm::Value *payload = llvm::ConstantPointerNull::get(mc_.ptrType);
    if (!args.empty()) {
      auto &entry = llvmFunc_->getEntryBlock();
      auto *slots = llvm::IRBuilder<>(&entry, entry.begin())
                        .CreateAlloca(llvm::ArrayType::get(builder_.getInt8Ty(),
                                                           args.size() * abi::ExceptionSlotSize));
      slots->setAlignment(llvm::Align(16));
      for (size_t i = 0; i < args.size(); ++i)
        builder_.CreateAlignedStore(args[i],
                                    builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), slots,
                                                                        i * abi::ExceptionSlotSize),
                                    llvm::Align(16));
      payload = slots;
    }
    emitThrowingCallback(mc_.unwinds ? handlerAtOrBelow(top) : -1, abi::CallbackThrowException,
                         {vmctx_, i32(ins.index), payload});
    break;
  }
  case Opcode::ThrowRef: {
    auto *exn = pop();
    emitThrowingCallback(handlerAtOrBelow(top), abi::CallbackThrowRef,
                         {vmctx_, exn, i32(funcIndex_), i32(ins.offset)});
    break;
  }
  case Opcode::Rethrow: {
    // The named handler holds its exception (scanRethrows), and lets go of
    // it on the way out as a cleanup.
    llvm::Value *exn = frames_[size_t(top) - ins.index].caught;
    emitThrowingCallback(handlerAtOrBelow(top), abi::CallbackRethrowException, {vmctx_, exn});
    break;
  }
#define LUCET_EMITS_Exception
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
  return Status::ok();
}

} // namespace lucet::compiler
