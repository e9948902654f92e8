// Reference and table instructions. Tables hold FuncRef pointers (or opaque
// externref pointers); null is nullptr.
#include "compiler/FunctionEmitter.h"

namespace lucet::compiler {

using wasm::Opcode;

llvm::Value *FunctionEmitter::saturate32(llvm::Value *v) {
  if (!v->getType()->isIntegerTy(64)) return v;
  auto *max = builder_.getInt64(UINT32_MAX);
  return builder_.CreateTrunc(builder_.CreateSelect(builder_.CreateICmpUGT(v, max), max, v),
                              builder_.getInt32Ty());
}

Status FunctionEmitter::emitTable(const wasm::Instruction &ins) {
  auto &b = builder_;
  auto *i32Ty = b.getInt32Ty();
  auto *ptrTy = mc_.ptrType;
  auto table = [&](uint32_t index) {
    auto *tables = vmctxField(abi::OffsetTables, ptrTy, true);
    return loadInvariant(ptrTy, b.CreateConstInBoundsGEP1_64(ptrTy, tables, index));
  };
  auto tableSize = [&](llvm::Value *t) {
    return tagged(b.CreateLoad(i32Ty, b.CreateConstInBoundsGEP1_64(
                                          b.getInt8Ty(), t, offsetof(abi::TableInstance, size))),
                  MemoryKind::Table);
  };
  auto elementPtr = [&](llvm::Value *t, llvm::Value *index) {
    trapIf(b.CreateICmpUGE(index, tableSize(t)), abi::TrapCode::TableAccessOutOfBounds, ins.offset);
    auto *elements = tagged(b.CreateLoad(ptrTy, t), MemoryKind::Table);
    return b.CreateInBoundsGEP(ptrTy, elements, b.CreateZExt(index, b.getInt64Ty()));
  };
  auto callback = [&](unsigned index, llvm::Type *result, std::vector<llvm::Type *> params,
                      std::vector<llvm::Value *> args) {
    params.insert(params.begin(), ptrTy);
    args.insert(args.begin(), vmctx_);
    auto *fnType = llvm::FunctionType::get(result, params, false);
    return callRuntime(index, fnType, args);
  };
  // 64-bit tables (table64): indices and lengths saturate to 32 bits, which
  // keeps every out-of-range one out of range, since no table reaches 2^32-1
  // elements; sizes come back widened.
  auto operand = [&]() { return saturate32(pop()); };
  auto widen = [&](uint32_t table, llvm::Value *v, bool isSigned) -> llvm::Value * {
    if (!module_.tables[table].limits.is64) return v;
    return isSigned ? b.CreateSExt(v, b.getInt64Ty()) : b.CreateZExt(v, b.getInt64Ty());
  };
  switch (ins.op) {
  case Opcode::RefNull:
    push(llvm::ConstantPointerNull::get(mc_.ptrType));
    return Status::ok();
  case Opcode::RefIsNull:
    push(boolToI32(b.CreateIsNull(pop())));
    return Status::ok();
  case Opcode::RefAsNonNull:
    trapIf(b.CreateIsNull(stack_.back()), abi::TrapCode::NullReference, ins.offset);
    return Status::ok();
  case Opcode::RefFunc: {
    auto *funcRefs = vmctxField(abi::OffsetFuncRefs, ptrTy, true);
    push(loadInvariant(ptrTy, b.CreateConstInBoundsGEP1_64(ptrTy, funcRefs, ins.index)));
    return Status::ok();
  }
  case Opcode::TableGet: {
    auto *index = operand();
    push(tagged(b.CreateLoad(ptrTy, elementPtr(table(ins.index), index)), MemoryKind::Table));
    return Status::ok();
  }
  case Opcode::TableSet: {
    auto *value = pop();
    auto *index = operand();
    guestState(b.CreateStore(value, elementPtr(table(ins.index), index)), MemoryKind::Table);
    return Status::ok();
  }
  case Opcode::TableSize:
    push(widen(ins.index, tableSize(table(ins.index)), false));
    return Status::ok();
  case Opcode::TableGrow: {
    auto *delta = operand();
    auto *init = pop();
    push(widen(ins.index,
               callback(abi::CallbackTableGrow, i32Ty, {i32Ty, ptrTy, i32Ty},
                        {i32(ins.index), init, delta}),
               true));
    return Status::ok();
  }
  case Opcode::TableFill: {
    auto *len = operand();
    auto *value = pop();
    auto *dst = operand();
    callback(abi::CallbackTableFill, b.getVoidTy(), {i32Ty, i32Ty, ptrTy, i32Ty, i32Ty, i32Ty},
             {i32(ins.index), dst, value, len, i32(funcIndex_), i32(ins.offset)});
    return Status::ok();
  }
  case Opcode::TableCopy: {
    auto *len = operand();
    auto *src = operand();
    auto *dst = operand();
    callback(abi::CallbackTableCopy, b.getVoidTy(),
             {i32Ty, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty},
             {i32(ins.index), i32(ins.index2), dst, src, len, i32(funcIndex_), i32(ins.offset)});
    return Status::ok();
  }
  case Opcode::TableInit: {
    auto *len = pop();
    auto *src = pop();
    auto *dst = operand();
    callback(abi::CallbackTableInit, b.getVoidTy(),
             {i32Ty, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty},
             {i32(ins.index2), i32(ins.index), dst, src, len, i32(funcIndex_), i32(ins.offset)});
    return Status::ok();
  }
  case Opcode::ElemDrop:
    callback(abi::CallbackElemDrop, b.getVoidTy(), {i32Ty}, {i32(ins.index)});
    return Status::ok();
#define LUCET_EMITS_Table
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
}

} // namespace lucet::compiler
