#include "compiler/FunctionEmitter.h"

#include "compiler/ConstantTables.h"
#include "compiler/HugeFunctions.h"
#include "wasm/Validator.h"

#include <llvm/IR/MDBuilder.h>

#include <unordered_map>

namespace lucet::compiler {

using wasm::Opcode;

FunctionEmitter::FunctionEmitter(ModuleContext &mc, uint32_t funcIndex)
    : mc_(mc), module_(mc.wasm), funcIndex_(funcIndex),
      func_(module_.functions[funcIndex - module_.numImportedFuncs]),
      type_(module_.funcType(funcIndex)),
      llvmFunc_(mc.function(funcIndex - module_.numImportedFuncs)), builder_(mc.context) {}

Status FunctionEmitter::emit() {
  auto &ctx = mc_.context;
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", llvmFunc_);
  builder_.SetInsertPoint(entry);
  auto *scope = llvmFunc_->getSubprogram();
  builder_.SetCurrentDebugLocation(llvm::DILocation::get(ctx, func_.bodyOffset, 0, scope));
  vmctx_ = llvmFunc_->getArg(0);
  if (type_.results.size() > MaxOptimizedResults) excludeFromOptimization(*llvmFunc_);
  // Memory 0 through its own fields, the others through the memories array.
  if (!module_.memories.empty())
    heapBases_.push_back(vmctxField(abi::OffsetHeapBase, mc_.ptrType, true));
  for (uint32_t m = 1; m < module_.memories.size(); ++m)
    heapBases_.push_back(loadInvariant(mc_.ptrType, memoryInstance(m)));

  for (size_t i = 0; i < type_.params.size(); ++i) {
    auto *slot = builder_.CreateAlloca(mc_.llvmType(type_.params[i]));
    builder_.CreateStore(llvmFunc_->getArg(unsigned(i + 1)), slot);
    locals_.push_back(slot);
    localTypes_.push_back(type_.params[i]);
  }
  // Declared locals get their slot when first used (localSlot), so a
  // function that declares thousands and uses a few costs a few.
  for (const auto &run : func_.locals) {
    locals_.resize(locals_.size() + run.count, nullptr);
    localTypes_.resize(localTypes_.size() + run.count, run.type);
  }

  auto *returnBlock = llvm::BasicBlock::Create(ctx, "return", llvmFunc_);
  Frame frame;
  frame.kind = FrameKind::Function;
  frame.results = type_.results;
  frame.endBlock = returnBlock;
  frame.endPhis = makePhis(returnBlock, type_.results);
  frames_.push_back(std::move(frame));

  wasm::InstructionReader reader(module_.functionBody(func_), func_.bodyOffset, module_.features);
  if (auto multi3 = matchMulti3(module_, funcIndex_ - module_.numImportedFuncs))
    return emitMulti3(*multi3, reader);
  wasm::Instruction ins;
  unsigned skipDepth = 0;
  while (!frames_.empty()) {
    if (reader.atEnd())
      return Error::format("at offset {:#x}: function body ends before its final `end`",
                           reader.offset());
    LUCET_TRY(reader.next(ins));
    if (!reachable_) {
      // Code after an unconditional branch is dead: skip it, tracking nesting
      // so that we resume at the `else`, `catch` or `end` of the current
      // frame (a legacy `delegate` ends a try as `end` does).
      bool closes = wasm::closesBlock(ins.op);
      bool continues =
          ins.op == Opcode::Else || ins.op == Opcode::Catch || ins.op == Opcode::CatchAll;
      if (wasm::opensBlock(ins.op)) {
        ++skipDepth;
        continue;
      }
      if (closes && skipDepth > 0) {
        --skipDepth;
        continue;
      }
      if (!closes && !(continues && skipDepth == 0)) continue;
    }
    builder_.SetCurrentDebugLocation(llvm::DILocation::get(ctx, ins.offset, 0, scope));
    LUCET_TRY(emitInstruction(ins));
  }
  return Status::ok();
}

// A declared local's slot, zeroed at function entry, made on first use.
llvm::AllocaInst *FunctionEmitter::localSlot(uint32_t index) {
  if (!locals_[index]) {
    auto *type = mc_.llvmType(localTypes_[index]);
    auto &entry = llvmFunc_->getEntryBlock();
    llvm::IRBuilder<> b(&entry, entry.begin());
    auto *slot = b.CreateAlloca(type);
    b.CreateStore(llvm::Constant::getNullValue(type), slot);
    locals_[index] = slot;
  }
  return locals_[index];
}

llvm::Value *FunctionEmitter::pop() {
  assert(!stack_.empty());
  auto *v = stack_.back();
  stack_.pop_back();
  return v;
}

std::vector<llvm::Value *> FunctionEmitter::popN(size_t n) {
  assert(stack_.size() >= n);
  std::vector<llvm::Value *> values(stack_.end() - long(n), stack_.end());
  stack_.resize(stack_.size() - n);
  return values;
}

std::vector<llvm::PHINode *> FunctionEmitter::makePhis(llvm::BasicBlock *block,
                                                       const std::vector<wasm::ValType> &types) {
  std::vector<llvm::PHINode *> phis;
  llvm::IRBuilder<> b(block, block->begin());
  for (auto t : types) phis.push_back(b.CreatePHI(mc_.llvmType(t), 2));
  return phis;
}

// Adds the top `phis.size()` operand-stack values as incoming values from the
// current block. The values stay on the stack.
void FunctionEmitter::addIncoming(std::vector<llvm::PHINode *> &phis, size_t count) {
  assert(stack_.size() >= count);
  auto *from = builder_.GetInsertBlock();
  for (size_t i = 0; i < count; ++i) phis[i]->addIncoming(stack_[stack_.size() - count + i], from);
}

void FunctionEmitter::branchTo(Frame &target) {
  if (target.kind == FrameKind::Loop) {
    addIncoming(target.loopPhis, target.params.size());
  } else {
    addIncoming(target.endPhis, target.results.size());
    target.endReachable = true;
  }
}

size_t FunctionEmitter::carriedBy(const Frame &target) {
  return target.kind == FrameKind::Loop ? target.params.size() : target.results.size();
}

void FunctionEmitter::pushFrame(FrameKind kind, const wasm::BlockType &blockType,
                                llvm::BasicBlock *endBlock) {
  auto sig = wasm::blockSignature(module_, blockType);
  Frame frame;
  frame.kind = kind;
  frame.params = sig.params;
  frame.results = sig.results;
  frame.stackHeight = stack_.size() - sig.params.size();
  frame.endBlock = endBlock;
  frame.endPhis = makePhis(endBlock, sig.results);
  frames_.push_back(std::move(frame));
}

void FunctionEmitter::endFrame() {
  Frame &frame = frames_.back();
  if (reachable_) {
    addIncoming(frame.endPhis, frame.results.size());
    builder_.CreateBr(frame.endBlock);
    frame.endReachable = true;
  }
  if (frame.kind == FrameKind::If) {
    // An `if` without `else`: the false path carries the params through,
    // which validation requires to equal the results.
    builder_.SetInsertPoint(frame.elseBlock);
    auto *from = frame.elseBlock;
    for (size_t i = 0; i < frame.endPhis.size(); ++i)
      frame.endPhis[i]->addIncoming(frame.ifParams[i], from);
    builder_.CreateBr(frame.endBlock);
    frame.endReachable = true;
  }
  stack_.resize(frame.stackHeight);
  builder_.SetInsertPoint(frame.endBlock);
  if (frame.endReachable) {
    for (auto *phi : frame.endPhis) push(phi);
    reachable_ = true;
  } else {
    for (auto *phi : frame.endPhis) {
      phi->replaceAllUsesWith(llvm::PoisonValue::get(phi->getType()));
      phi->eraseFromParent();
    }
    builder_.CreateUnreachable();
    reachable_ = false;
  }
  bool isFunction = frame.kind == FrameKind::Function;
  frames_.pop_back();
  if (isFunction && reachable_) emitReturn();
}

void FunctionEmitter::emitReturn() {
  auto values = popN(type_.results.size());
  if (values.empty()) {
    builder_.CreateRetVoid();
  } else if (values.size() == 1) {
    builder_.CreateRet(values[0]);
  } else if (values.size() > MaxOptimizedResults) {
    // Through memory: no chain of insertvalues (HugeFunctions.h).
    auto *type = llvmFunc_->getReturnType();
    auto &entry = llvmFunc_->getEntryBlock();
    auto *slot = llvm::IRBuilder<>(&entry, entry.begin()).CreateAlloca(type);
    for (unsigned i = 0; i < values.size(); ++i)
      builder_.CreateStore(values[i], builder_.CreateStructGEP(type, slot, i));
    builder_.CreateRet(builder_.CreateLoad(type, slot));
  } else {
    llvm::Value *agg = llvm::PoisonValue::get(llvmFunc_->getReturnType());
    for (unsigned i = 0; i < values.size(); ++i)
      agg = builder_.CreateInsertValue(agg, values[i], {i});
    builder_.CreateRet(agg);
  }
}

Status FunctionEmitter::emitInstruction(const wasm::Instruction &ins) {
  switch (emitFamily(ins.op)) {
  case EmitFamily::Control:
    return emitControl(ins);
  case EmitFamily::Exception:
    return emitException(ins);
  case EmitFamily::Variable:
    return emitVariable(ins);
  case EmitFamily::Numeric:
    return emitNumeric(ins);
  case EmitFamily::Memory:
    return emitMemory(ins);
  case EmitFamily::Table:
    return emitTable(ins);
  case EmitFamily::Simd:
    return emitSimd(ins);
  }
  return wrongFamily(ins);
}

// Only reached if emitFamily and a family's switch disagree, which the build
// rules out (EmitFamily.h).
Status FunctionEmitter::wrongFamily(const wasm::Instruction &ins) {
  return Error::format("at offset {:#x}: internal error: no emitter for {}", ins.offset,
                       wasm::opcodeName(ins.op));
}

Status FunctionEmitter::emitControl(const wasm::Instruction &ins) {
  auto &ctx = mc_.context;
  switch (ins.op) {
  case Opcode::Nop:
    break;
  case Opcode::Unreachable:
    emitTrap(abi::TrapCode::Unreachable, ins.offset);
    reachable_ = false;
    break;
  case Opcode::Block:
    pushFrame(FrameKind::Block, ins.blockType,
              llvm::BasicBlock::Create(ctx, "block.end", llvmFunc_));
    break;
  case Opcode::Loop: {
    auto *header = llvm::BasicBlock::Create(ctx, "loop", llvmFunc_);
    pushFrame(FrameKind::Loop, ins.blockType, llvm::BasicBlock::Create(ctx, "loop.end", llvmFunc_));
    Frame &frame = frames_.back();
    frame.loopHeader = header;
    frame.loopPhis = makePhis(header, frame.params);
    addIncoming(frame.loopPhis, frame.params.size());
    builder_.CreateBr(header);
    builder_.SetInsertPoint(header);
    stack_.resize(frame.stackHeight);
    for (auto *phi : frame.loopPhis) push(phi);
    break;
  }
  case Opcode::If: {
    auto *cond = builder_.CreateICmpNE(pop(), i32(0));
    auto *thenBlock = llvm::BasicBlock::Create(ctx, "if.then", llvmFunc_);
    auto *elseBlock = llvm::BasicBlock::Create(ctx, "if.else", llvmFunc_);
    pushFrame(FrameKind::If, ins.blockType, llvm::BasicBlock::Create(ctx, "if.end", llvmFunc_));
    Frame &frame = frames_.back();
    frame.elseBlock = elseBlock;
    frame.ifParams.assign(stack_.end() - long(frame.params.size()), stack_.end());
    builder_.CreateCondBr(cond, thenBlock, elseBlock);
    builder_.SetInsertPoint(thenBlock);
    break;
  }
  case Opcode::Else: {
    Frame &frame = frames_.back();
    if (reachable_) {
      addIncoming(frame.endPhis, frame.results.size());
      builder_.CreateBr(frame.endBlock);
      frame.endReachable = true;
    }
    stack_.resize(frame.stackHeight);
    for (auto *v : frame.ifParams) push(v);
    builder_.SetInsertPoint(frame.elseBlock);
    frame.kind = FrameKind::Else;
    frame.elseBlock = nullptr;
    reachable_ = true;
    break;
  }
  case Opcode::End:
    if (frames_.back().kind == FrameKind::TryTable) emitTryTableDispatch(int(frames_.size()) - 1);
    if (frames_.back().kind == FrameKind::Try || frames_.back().kind == FrameKind::Catch) {
      if (reachable_) unholdFrom(frames_.size() - 1);
      endTry(int(frames_.size()) - 2);
    }
    endFrame();
    break;
  case Opcode::Br:
    builder_.CreateBr(branchEdge(frames_.size() - 1 - ins.index));
    reachable_ = false;
    break;
  case Opcode::BrIf: {
    auto *cond = builder_.CreateICmpNE(pop(), i32(0));
    auto *dest = branchEdge(frames_.size() - 1 - ins.index);
    auto *cont = llvm::BasicBlock::Create(ctx, "br_if.cont", llvmFunc_);
    builder_.CreateCondBr(cond, dest, cont);
    builder_.SetInsertPoint(cont);
    break;
  }
  case Opcode::BrTable: {
    auto *index = pop();
    // Every target carries as many values (validation); the outermost
    // discards the most.
    size_t lowest = stack_.size();
    for (uint32_t depth : ins.brTargets)
      lowest = std::min(lowest, frames_[frames_.size() - 1 - depth].stackHeight);
    auto targetBlock = [&](uint32_t depth) { return branchEdge(frames_.size() - 1 - depth); };
    if (ins.brTargets.size() > LargeBrTable) {
      emitLargeBrTable(index, ins.brTargets, targetBlock);
      reachable_ = false;
      break;
    }
    auto *defaultBlock = targetBlock(ins.brTargets.back());
    auto *sw = builder_.CreateSwitch(index, defaultBlock, unsigned(ins.brTargets.size() - 1));
    for (size_t i = 0; i + 1 < ins.brTargets.size(); ++i)
      sw->addCase(builder_.getInt32(uint32_t(i)), targetBlock(ins.brTargets[i]));
    reachable_ = false;
    break;
  }
  case Opcode::Return:
    builder_.CreateBr(branchEdge(0));
    reachable_ = false;
    break;
  case Opcode::Call:
  case Opcode::ReturnCall:
    emitCall(ins.index, ins.op == Opcode::ReturnCall);
    break;
  case Opcode::CallIndirect:
  case Opcode::ReturnCallIndirect:
    emitCallIndirect(ins.index, ins.index2, ins.offset, ins.op == Opcode::ReturnCallIndirect);
    break;
  case Opcode::CallRef:
  case Opcode::ReturnCallRef:
    emitCallRef(ins.index, ins.offset, ins.op == Opcode::ReturnCallRef);
    break;
  case Opcode::BrOnNull:
  case Opcode::BrOnNonNull: {
    // br_on_null branches without the reference and leaves it (non-null)
    // when it falls through; br_on_non_null branches with it and drops it
    // (null) when it falls through.
    auto *ref = stack_.back();
    auto *isNull = builder_.CreateIsNull(ref);
    if (ins.op == Opcode::BrOnNull) stack_.pop_back();
    auto *targetBlock = branchEdge(frames_.size() - 1 - ins.index);
    auto *cont = llvm::BasicBlock::Create(ctx, "br_on_null.cont", llvmFunc_);
    if (ins.op == Opcode::BrOnNull) {
      builder_.CreateCondBr(isNull, targetBlock, cont);
      builder_.SetInsertPoint(cont);
      push(ref);
    } else {
      builder_.CreateCondBr(isNull, cont, targetBlock);
      builder_.SetInsertPoint(cont);
      stack_.pop_back();
    }
    break;
  }
#define LUCET_EMITS_Control
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
  return Status::ok();
}

// A br_table with a switch case per entry gives every target block's phis an
// incoming value per entry, and LLVM's CFG simplification is quadratic in
// those. A large table instead maps its index to one of its distinct targets
// through a constant array and switches on that, so each target has one
// edge from here.
void FunctionEmitter::emitLargeBrTable(
    llvm::Value *index, const std::vector<uint32_t> &depths,
    const std::function<llvm::BasicBlock *(uint32_t)> &targetBlock) {
  std::vector<uint32_t> distinct;
  std::vector<uint32_t> ids;
  ids.reserve(depths.size());
  std::unordered_map<uint32_t, uint32_t> idOfDepth;
  for (uint32_t depth : depths) {
    auto [it, added] = idOfDepth.try_emplace(depth, uint32_t(distinct.size()));
    if (added) distinct.push_back(depth);
    ids.push_back(it->second);
  }
  auto *i32Ty = builder_.getInt32Ty();
  auto *init = llvm::ConstantDataArray::get(mc_.context, llvm::ArrayRef<uint32_t>(ids));
  auto *array = new llvm::GlobalVariable(*mc_.llvmModule, init->getType(), true,
                                         llvm::GlobalValue::PrivateLinkage, init, "br_table");
  array->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  uint32_t last = uint32_t(depths.size() - 1);
  auto *clamped = builder_.CreateSelect(builder_.CreateICmpULT(index, i32(last)), index, i32(last));
  auto *slot = builder_.CreateInBoundsGEP(
      init->getType(), array, {i64(0), builder_.CreateZExt(clamped, builder_.getInt64Ty())});
  auto *id = builder_.CreateLoad(i32Ty, slot);
  id->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(mc_.context, {}));
  uint32_t defaultId = ids.back();
  auto *sw =
      builder_.CreateSwitch(id, targetBlock(distinct[defaultId]), unsigned(distinct.size() - 1));
  for (uint32_t k = 0; k < distinct.size(); ++k)
    if (k != defaultId) sw->addCase(builder_.getInt32(k), targetBlock(distinct[k]));
}

// Calls and tail calls (abi::FuncRef has the conventions): a direct call
// uses the callee's own convention; a call through a FuncRef its C `code`,
// a tail call through one its tailcc `tailCode`. In a module with tail
// calls, ordinary calls are `notail`, so that recursion still exhausts the
// stack rather than becoming a loop.
void FunctionEmitter::emitCall(uint32_t calleeIndex, bool tail) {
  const auto &calleeType = module_.funcType(calleeIndex);
  auto args = popN(calleeType.params.size());
  if (calleeIndex >= module_.numImportedFuncs) {
    auto *callee = mc_.function(calleeIndex - module_.numImportedFuncs);
    finishCall(calleeType, callee, vmctx_, args, tail, callee->getCallingConv());
    return;
  }
  // Imports are bound per instance: call through the instance's FuncRef.
  auto *funcRefs = vmctxField(abi::OffsetFuncRefs, mc_.ptrType, true);
  auto *refPtr = builder_.CreateConstInBoundsGEP1_64(mc_.ptrType, funcRefs, calleeIndex);
  auto *ref = loadInvariant(mc_.ptrType, refPtr);
  auto *code = loadInvariant(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                              builder_.getInt8Ty(), ref, codeOffset(tail)));
  auto *calleeVmctx =
      loadInvariant(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                     builder_.getInt8Ty(), ref, offsetof(abi::FuncRef, vmctx)));
  finishCall(calleeType, code, calleeVmctx, args, tail, refConvention(tail));
}

void FunctionEmitter::emitCallIndirect(uint32_t typeIndex, uint32_t tableIndex, uint32_t offset,
                                       bool tail) {
  const auto &calleeType = module_.types[typeIndex];
  auto *index = saturate32(pop());
  auto args = popN(calleeType.params.size());
  // A constant table's dispatch array holds C entries only.
  auto [code, calleeVmctx] = mc_.dispatchTables[tableIndex] && !tail
                                 ? constantTableCallee(typeIndex, tableIndex, index, offset)
                                 : tableCallee(typeIndex, tableIndex, index, offset, tail);
  finishCall(calleeType, code, calleeVmctx, args, tail, refConvention(tail));
}

// call_ref: the reference's type is the static one, so only null needs a
// check.
void FunctionEmitter::emitCallRef(uint32_t typeIndex, uint32_t offset, bool tail) {
  const auto &calleeType = module_.types[typeIndex];
  auto *ref = pop();
  auto args = popN(calleeType.params.size());
  trapIf(builder_.CreateIsNull(ref), abi::TrapCode::NullFunctionReference, offset);
  auto *code =
      tagged(builder_.CreateLoad(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                                  builder_.getInt8Ty(), ref, codeOffset(tail))),
             MemoryKind::Runtime);
  auto *calleeVmctx = tagged(builder_.CreateLoad(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                                                  builder_.getInt8Ty(), ref,
                                                                  offsetof(abi::FuncRef, vmctx))),
                             MemoryKind::Runtime);
  finishCall(calleeType, code, calleeVmctx, args, tail, refConvention(tail));
}

void FunctionEmitter::finishCall(const wasm::FuncType &calleeType, llvm::Value *code,
                                 llvm::Value *calleeVmctx, std::vector<llvm::Value *> args,
                                 bool tail, llvm::CallingConv::ID convention) {
  args.insert(args.begin(), calleeVmctx);
  auto *type = mc_.llvmFuncType(calleeType);
  if (!tail) {
    auto *call = emitMayThrow(type, code, args);
    call->setCallingConv(convention);
    if (auto *plain = llvm::dyn_cast<llvm::CallInst>(call); plain && mc_.tailCalls)
      plain->setTailCallKind(llvm::CallInst::TCK_NoTail);
    pushCallResults(call, calleeType);
    return;
  }
  // The caller's frame, and any handler around the call, are gone when the
  // callee runs: a plain call, never an invoke.
  unholdFrom(0);
  auto *call = builder_.CreateCall(type, code, args);
  call->setCallingConv(convention);
  call->setTailCallKind(llvm::CallInst::TCK_Tail);
  if (type->getReturnType()->isVoidTy())
    builder_.CreateRetVoid();
  else
    builder_.CreateRet(call);
  reachable_ = false;
}

void FunctionEmitter::pushCallResults(llvm::CallBase *call, const wasm::FuncType &calleeType) {
  if (calleeType.results.size() == 1) {
    push(call);
  } else {
    for (unsigned i = 0; i < calleeType.results.size(); ++i)
      push(builder_.CreateExtractValue(call, {i}));
  }
}

// The general case: the instance's table holds FuncRef pointers.
std::pair<llvm::Value *, llvm::Value *> FunctionEmitter::tableCallee(uint32_t typeIndex,
                                                                     uint32_t tableIndex,
                                                                     llvm::Value *index,
                                                                     uint32_t offset, bool tail) {
  auto *tables = vmctxField(abi::OffsetTables, mc_.ptrType, true);
  auto *table = loadInvariant(mc_.ptrType,
                              builder_.CreateConstInBoundsGEP1_64(mc_.ptrType, tables, tableIndex));
  auto *elements = tagged(builder_.CreateLoad(mc_.ptrType, table), MemoryKind::Table);
  auto *size = tagged(
      builder_.CreateLoad(builder_.getInt32Ty(),
                          builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), table,
                                                              offsetof(abi::TableInstance, size))),
      MemoryKind::Table);
  trapIf(builder_.CreateICmpUGE(index, size), abi::TrapCode::TableOutOfBounds, offset);
  auto *ref = tagged(
      builder_.CreateLoad(mc_.ptrType, builder_.CreateInBoundsGEP(
                                           mc_.ptrType, elements,
                                           builder_.CreateZExt(index, builder_.getInt64Ty()))),
      MemoryKind::Table);
  trapIf(builder_.CreateIsNull(ref), abi::TrapCode::IndirectCallNull, offset);
  auto *typeIds = vmctxField(abi::OffsetTypeIds, mc_.ptrType, true);
  auto *expected =
      loadInvariant(builder_.getInt32Ty(),
                    builder_.CreateConstInBoundsGEP1_64(builder_.getInt32Ty(), typeIds, typeIndex));
  auto *actual =
      tagged(builder_.CreateLoad(builder_.getInt32Ty(),
                                 builder_.CreateConstInBoundsGEP1_64(
                                     builder_.getInt8Ty(), ref, offsetof(abi::FuncRef, typeId))),
             MemoryKind::Runtime);
  trapIf(builder_.CreateICmpNE(expected, actual), abi::TrapCode::IndirectCallTypeMismatch, offset);
  auto *code =
      tagged(builder_.CreateLoad(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                                  builder_.getInt8Ty(), ref, codeOffset(tail))),
             MemoryKind::Runtime);
  auto *calleeVmctx = tagged(builder_.CreateLoad(mc_.ptrType, builder_.CreateConstInBoundsGEP1_64(
                                                                  builder_.getInt8Ty(), ref,
                                                                  offsetof(abi::FuncRef, vmctx))),
                             MemoryKind::Runtime);
  return {code, calleeVmctx};
}

// A table whose contents are fixed (ConstantTables.h): its slots are this
// module's own functions, which share the caller's VMContext, and the
// module's constant dispatch array gives their code and signature. A null
// slot's signature never matches, so the hot path has one comparison; the
// cold path tells a null slot from a wrong signature.
std::pair<llvm::Value *, llvm::Value *> FunctionEmitter::constantTableCallee(uint32_t typeIndex,
                                                                             uint32_t tableIndex,
                                                                             llvm::Value *index,
                                                                             uint32_t offset) {
  auto &ctx = mc_.context;
  auto *dispatch = mc_.dispatchTables[tableIndex];
  auto *i32Ty = builder_.getInt32Ty();
  uint64_t size = dispatch->getValueType()->getArrayNumElements();
  trapIf(builder_.CreateICmpUGE(index, i32(size)), abi::TrapCode::TableOutOfBounds, offset);
  auto *entry =
      builder_.CreateInBoundsGEP(dispatch->getValueType(), dispatch,
                                 {i64(0), builder_.CreateZExt(index, builder_.getInt64Ty())});
  auto *signature = loadInvariant(i32Ty, builder_.CreateStructGEP(mc_.dispatchEntryType, entry, 1));
  auto *mismatch = llvm::BasicBlock::Create(ctx, "call_indirect.mismatch", llvmFunc_);
  auto *cont = llvm::BasicBlock::Create(ctx, "call_indirect.ok", llvmFunc_);
  llvm::MDBuilder md(ctx);
  builder_.CreateCondBr(builder_.CreateICmpNE(signature, i32(mc_.canonicalTypes[typeIndex])),
                        mismatch, cont, md.createBranchWeights(1, 1 << 20));
  builder_.SetInsertPoint(mismatch);
  trapIf(builder_.CreateICmpEQ(signature, i32(ConstantTable::NullSlot)),
         abi::TrapCode::IndirectCallNull, offset);
  emitTrap(abi::TrapCode::IndirectCallTypeMismatch, offset);
  builder_.SetInsertPoint(cont);
  auto *code =
      loadInvariant(mc_.ptrType, builder_.CreateStructGEP(mc_.dispatchEntryType, entry, 0));
  return {code, vmctx_};
}

llvm::Value *FunctionEmitter::globalSlot(uint32_t globalIndex) {
  auto *globals = vmctxField(abi::OffsetGlobals, mc_.ptrType, true);
  return loadInvariant(mc_.ptrType,
                       builder_.CreateConstInBoundsGEP1_64(mc_.ptrType, globals, globalIndex));
}

llvm::Value *FunctionEmitter::loadInvariant(llvm::Type *type, llvm::Value *ptr) {
  auto *load = builder_.CreateLoad(type, ptr);
  markInvariant(load);
  return load;
}

void FunctionEmitter::markInvariant(llvm::LoadInst *load) {
  tagged(load, MemoryKind::Runtime);
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(mc_.context, {}));
}

llvm::Value *FunctionEmitter::vmctxField(unsigned offset, llvm::Type *type, bool invariant) {
  auto *ptr = builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), vmctx_, offset);
  return invariant ? loadInvariant(type, ptr)
                   : tagged(builder_.CreateLoad(type, ptr), MemoryKind::Runtime);
}

llvm::Value *FunctionEmitter::runtimeCallback(unsigned index) {
  auto *runtime = vmctxField(abi::OffsetRuntime, mc_.ptrType, true);
  return loadInvariant(mc_.ptrType,
                       builder_.CreateConstInBoundsGEP1_64(mc_.ptrType, runtime, index));
}

llvm::CallInst *FunctionEmitter::callRuntime(unsigned index, llvm::FunctionType *type,
                                             llvm::ArrayRef<llvm::Value *> args) {
  auto *call = builder_.CreateCall(type, runtimeCallback(index), args);
  call->setDoesNotThrow();
  return call;
}

void FunctionEmitter::emitTrap(abi::TrapCode code, uint32_t wasmOffset) {
  auto *i32Ty = builder_.getInt32Ty();
  auto *fnType =
      llvm::FunctionType::get(builder_.getVoidTy(), {mc_.ptrType, i32Ty, i32Ty, i32Ty}, false);
  auto *call = callRuntime(abi::CallbackTrap, fnType,
                           {vmctx_, i32(uint32_t(code)), i32(funcIndex_), i32(wasmOffset)});
  call->setDoesNotReturn();
  // Cold as well: code placement moves trap paths out of the hot code.
  call->addFnAttr(llvm::Attribute::Cold);
  builder_.CreateUnreachable();
}

void FunctionEmitter::trapIf(llvm::Value *cond, abi::TrapCode code, uint32_t wasmOffset) {
  auto &ctx = mc_.context;
  auto *trapBlock = llvm::BasicBlock::Create(ctx, "trap", llvmFunc_);
  auto *cont = llvm::BasicBlock::Create(ctx, "cont", llvmFunc_);
  llvm::MDBuilder md(ctx);
  builder_.CreateCondBr(cond, trapBlock, cont, md.createBranchWeights(1, 1 << 20));
  builder_.SetInsertPoint(trapBlock);
  emitTrap(code, wasmOffset);
  builder_.SetInsertPoint(cont);
}

} // namespace lucet::compiler
