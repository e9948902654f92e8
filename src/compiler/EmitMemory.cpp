// Linear memory access under Lucet's heap model: with a large enough
// reservation no bounds checks are emitted and a stray access faults in the
// guard region; otherwise each access is checked against the current size.
#include "compiler/FunctionEmitter.h"
#include "compiler/MemoryInstanceLoads.h"

namespace lucet::compiler {

using wasm::Opcode;

llvm::Value *FunctionEmitter::memoryInstance(uint32_t index) {
  return loadMemoryInstance(builder_, vmctx_, index,
                            [&](llvm::LoadInst *load) { markInvariant(load); });
}

llvm::Value *FunctionEmitter::memorySize(uint32_t index) {
  return tagged(loadMemorySize(builder_, memoryInstance(index)), MemoryKind::Runtime);
}

llvm::Value *FunctionEmitter::toI64(llvm::Value *v) {
  return v->getType()->isIntegerTy(64) ? v : builder_.CreateZExt(v, builder_.getInt64Ty());
}

llvm::Value *FunctionEmitter::effectiveAddress(llvm::Value *addr, uint64_t offset, uint64_t size,
                                               uint32_t memory, uint32_t wasmOffset) {
  if (module_.memories[memory].limits.is64) {
    // A 64-bit memory: no guard region covers its addresses, so every
    // access is checked, and addr + offset + size must not wrap.
    uint64_t extent = offset + size;
    llvm::Value *outside = builder_.getTrue();
    if (extent >= offset) {
      auto *sum =
          builder_.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_with_overflow, addr, i64(extent));
      outside = builder_.CreateOr(
          builder_.CreateExtractValue(sum, {1}),
          builder_.CreateICmpUGT(builder_.CreateExtractValue(sum, {0}), memorySize(memory)));
    }
    trapIf(outside, abi::TrapCode::OutOfBounds, wasmOffset);
    auto *ea = offset ? builder_.CreateAdd(addr, i64(offset)) : addr;
    return builder_.CreateGEP(builder_.getInt8Ty(), heapBases_[memory], ea);
  }
  auto *addr64 = builder_.CreateZExt(addr, builder_.getInt64Ty());
  if (mc_.boundsChecked) {
    // addr + offset + size fits easily in 64 bits: no overflow to worry about.
    auto *end = builder_.CreateAdd(addr64, i64(offset + size));
    trapIf(builder_.CreateICmpUGT(end, memorySize(memory)), abi::TrapCode::OutOfBounds, wasmOffset);
  }
  auto *ea = offset ? builder_.CreateAdd(addr64, i64(offset)) : addr64;
  return builder_.CreateGEP(builder_.getInt8Ty(), heapBases_[memory], ea);
}

// Under the guard-page model a heap access traps by faulting, which LLVM
// does not know: it deletes an access whose value is unused (the trap is
// lost), deletes a store that a later one overwrites across an access that
// faults, moves stores past loads, and merges stores. LLVM never deletes a
// volatile access and never reorders volatile accesses among themselves.
// So every access to state the embedder can see after a trap (linear memory,
// and the stores to globals and tables) is volatile: when an access faults,
// every earlier effect is done and no later one. Explicitly checked code
// needs none of this: LLVM sees the trap as a branch to a call.
// (FunctionEmitter::guestState.) In loops, HeapLoopVersioning gives LLVM a
// copy without the volatile flags where it can show no access traps; it
// finds the heap accesses by their HeapMemoryMetadata.
template <typename Access> Access *FunctionEmitter::heapAccess(Access *access, uint32_t memory) {
  guestState(access, MemoryKind::Heap);
  if (!mc_.boundsChecked)
    access->setMetadata(
        HeapMemoryMetadata,
        llvm::MDNode::get(mc_.context, llvm::ConstantAsMetadata::get(builder_.getInt32(memory))));
  return access;
}

llvm::LoadInst *FunctionEmitter::heapLoad(llvm::Type *type, llvm::Value *ptr, uint32_t memory) {
  return heapAccess(builder_.CreateAlignedLoad(type, ptr, llvm::Align(1)), memory);
}

void FunctionEmitter::heapStore(llvm::Value *value, llvm::Value *ptr, uint32_t memory) {
  heapAccess(builder_.CreateAlignedStore(value, ptr, llvm::Align(1)), memory);
}

void FunctionEmitter::checkRange(llvm::Value *start64, llvm::Value *len64, uint32_t memory,
                                 uint32_t wasmOffset) {
  // 64-bit memories' operands can wrap.
  auto *sum = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_with_overflow, start64, len64);
  auto *outside = builder_.CreateOr(
      builder_.CreateExtractValue(sum, {1}),
      builder_.CreateICmpUGT(builder_.CreateExtractValue(sum, {0}), memorySize(memory)));
  trapIf(outside, abi::TrapCode::OutOfBounds, wasmOffset);
}

Status FunctionEmitter::emitMemory(const wasm::Instruction &ins) {
  auto &b = builder_;
  auto *i32Ty = b.getInt32Ty();
  auto *i64Ty = b.getInt64Ty();
  auto load = [&](llvm::Type *memType, llvm::Type *resultType, bool isSigned) {
    auto *addr = pop();
    auto *ptr = effectiveAddress(addr, ins.memArg.offset, memType->getPrimitiveSizeInBits() / 8,
                                 ins.memArg.memory, ins.offset);
    llvm::Value *v = heapLoad(memType, ptr, ins.memArg.memory);
    if (memType != resultType)
      v = isSigned ? b.CreateSExt(v, resultType) : b.CreateZExt(v, resultType);
    push(v);
  };
  auto store = [&](llvm::Type *memType) {
    auto *value = pop();
    auto *addr = pop();
    auto *ptr = effectiveAddress(addr, ins.memArg.offset, memType->getPrimitiveSizeInBits() / 8,
                                 ins.memArg.memory, ins.offset);
    if (value->getType() != memType) value = b.CreateTrunc(value, memType);
    heapStore(value, ptr, ins.memArg.memory);
  };
  auto *i8Ty = b.getInt8Ty();
  auto *i16Ty = b.getInt16Ty();
  switch (ins.op) {
  case Opcode::I32Load:
    load(i32Ty, i32Ty, false);
    return Status::ok();
  case Opcode::I64Load:
    load(i64Ty, i64Ty, false);
    return Status::ok();
  case Opcode::F32Load:
    load(b.getFloatTy(), b.getFloatTy(), false);
    return Status::ok();
  case Opcode::F64Load:
    load(b.getDoubleTy(), b.getDoubleTy(), false);
    return Status::ok();
  case Opcode::I32Load8S:
    load(i8Ty, i32Ty, true);
    return Status::ok();
  case Opcode::I32Load8U:
    load(i8Ty, i32Ty, false);
    return Status::ok();
  case Opcode::I32Load16S:
    load(i16Ty, i32Ty, true);
    return Status::ok();
  case Opcode::I32Load16U:
    load(i16Ty, i32Ty, false);
    return Status::ok();
  case Opcode::I64Load8S:
    load(i8Ty, i64Ty, true);
    return Status::ok();
  case Opcode::I64Load8U:
    load(i8Ty, i64Ty, false);
    return Status::ok();
  case Opcode::I64Load16S:
    load(i16Ty, i64Ty, true);
    return Status::ok();
  case Opcode::I64Load16U:
    load(i16Ty, i64Ty, false);
    return Status::ok();
  case Opcode::I64Load32S:
    load(i32Ty, i64Ty, true);
    return Status::ok();
  case Opcode::I64Load32U:
    load(i32Ty, i64Ty, false);
    return Status::ok();
  case Opcode::I32Store:
    store(i32Ty);
    return Status::ok();
  case Opcode::I64Store:
    store(i64Ty);
    return Status::ok();
  case Opcode::F32Store:
    store(b.getFloatTy());
    return Status::ok();
  case Opcode::F64Store:
    store(b.getDoubleTy());
    return Status::ok();
  case Opcode::I32Store8:
  case Opcode::I64Store8:
    store(i8Ty);
    return Status::ok();
  case Opcode::I32Store16:
  case Opcode::I64Store16:
    store(i16Ty);
    return Status::ok();
  case Opcode::I64Store32:
    store(i32Ty);
    return Status::ok();
  case Opcode::MemorySize: {
    auto *pages = b.CreateLShr(memorySize(ins.index), 16);
    push(module_.memories[ins.index].limits.is64 ? pages : b.CreateTrunc(pages, i32Ty));
    return Status::ok();
  }
  case Opcode::MemoryGrow: {
    // A 64-bit delta saturates: 2^32 - 1 pages never fit.
    auto *delta = saturate32(pop());
    auto *fnType = llvm::FunctionType::get(i32Ty, {mc_.ptrType, i32Ty, i32Ty}, false);
    llvm::Value *old =
        callRuntime(abi::CallbackMemoryGrow, fnType, {vmctx_, i32(ins.index), delta});
    if (module_.memories[ins.index].limits.is64) old = b.CreateSExt(old, i64Ty);
    push(old);
    return Status::ok();
  }
  case Opcode::MemoryFill: {
    auto *len = toI64(pop());
    auto *value = pop();
    auto *dst = toI64(pop());
    checkRange(dst, len, ins.index, ins.offset);
    b.CreateMemSet(b.CreateGEP(i8Ty, heapBases_[ins.index], dst), b.CreateTrunc(value, i8Ty), len,
                   llvm::MaybeAlign(1), !mc_.boundsChecked,
                   mc_.memoryTags[size_t(MemoryKind::Heap)]);
    return Status::ok();
  }
  case Opcode::MemoryCopy: {
    auto *len = toI64(pop());
    auto *src = toI64(pop());
    auto *dst = toI64(pop());
    // index: the destination memory, index2: the source.
    checkRange(src, len, ins.index2, ins.offset);
    checkRange(dst, len, ins.index, ins.offset);
    b.CreateMemMove(b.CreateGEP(i8Ty, heapBases_[ins.index], dst), llvm::MaybeAlign(1),
                    b.CreateGEP(i8Ty, heapBases_[ins.index2], src), llvm::MaybeAlign(1), len,
                    !mc_.boundsChecked, mc_.memoryTags[size_t(MemoryKind::Heap)]);
    return Status::ok();
  }
  case Opcode::MemoryInit: {
    auto *len = pop();
    auto *src = pop();
    auto *dst = toI64(pop());
    auto *fnType = llvm::FunctionType::get(
        b.getVoidTy(), {mc_.ptrType, i32Ty, i32Ty, i64Ty, i32Ty, i32Ty, i32Ty, i32Ty}, false);
    callRuntime(
        abi::CallbackMemoryInit, fnType,
        {vmctx_, i32(ins.index2), i32(ins.index), dst, src, len, i32(funcIndex_), i32(ins.offset)});
    return Status::ok();
  }
  case Opcode::DataDrop: {
    auto *fnType = llvm::FunctionType::get(b.getVoidTy(), {mc_.ptrType, i32Ty}, false);
    callRuntime(abi::CallbackDataDrop, fnType, {vmctx_, i32(ins.index)});
    return Status::ok();
  }
#define LUCET_EMITS_Memory
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
}

} // namespace lucet::compiler
