// Variable instructions, and the parametric ones that only move values:
// drop, select, locals, globals and constants.
#include "compiler/FunctionEmitter.h"

namespace lucet::compiler {

using wasm::Opcode;

Status FunctionEmitter::emitVariable(const wasm::Instruction &ins) {
  switch (ins.op) {
  case Opcode::Drop:
    pop();
    return Status::ok();
  case Opcode::Select:
  case Opcode::SelectT: {
    auto *cond = pop();
    auto *b = pop();
    auto *a = pop();
    push(builder_.CreateSelect(builder_.CreateICmpNE(cond, i32(0)), a, b));
    return Status::ok();
  }
  case Opcode::LocalGet: {
    auto *slot = localSlot(ins.index);
    push(builder_.CreateLoad(slot->getAllocatedType(), slot));
    return Status::ok();
  }
  case Opcode::LocalSet:
    builder_.CreateStore(pop(), localSlot(ins.index));
    return Status::ok();
  case Opcode::LocalTee:
    builder_.CreateStore(stack_.back(), localSlot(ins.index));
    return Status::ok();
  case Opcode::GlobalGet: {
    auto type = mc_.llvmType(module_.globalTypes[ins.index].type);
    push(tagged(builder_.CreateLoad(type, globalSlot(ins.index)), MemoryKind::Global));
    return Status::ok();
  }
  case Opcode::GlobalSet:
    guestState(builder_.CreateStore(pop(), globalSlot(ins.index)), MemoryKind::Global);
    return Status::ok();
  case Opcode::I32Const:
    push(i32(ins.bits));
    return Status::ok();
  case Opcode::I64Const:
    push(i64(ins.bits));
    return Status::ok();
  case Opcode::F32Const:
    push(llvm::ConstantFP::get(
        mc_.context, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, ins.bits))));
    return Status::ok();
  case Opcode::F64Const:
    push(llvm::ConstantFP::get(
        mc_.context, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, ins.bits))));
    return Status::ok();
#define LUCET_EMITS_Variable
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
}

} // namespace lucet::compiler
