// Numeric instructions: arithmetic, comparisons and conversions, with wasm's
// exact trapping and NaN rules.
#include "compiler/FunctionEmitter.h"

#include <llvm/IR/Intrinsics.h>

namespace lucet::compiler {

using wasm::Opcode;

namespace {

struct TruncBounds {
  double lower;
  bool lowerInclusive;
  double upper; // always exclusive
};

// The float range that converts to the integer type without overflow.
TruncBounds truncBounds(unsigned bits, bool isSigned, bool fromF32) {
  if (isSigned) {
    double lo = -std::ldexp(1.0, int(bits) - 1);
    double hi = std::ldexp(1.0, int(bits) - 1);
    // f64 can represent lo - 1 exactly for 32-bit targets; f32 cannot, and
    // for 64-bit targets neither can: then lo itself is the inclusive bound.
    if (bits == 32 && !fromF32) return {lo - 1.0, false, hi};
    return {lo, true, hi};
  }
  return {-1.0, false, std::ldexp(1.0, int(bits))};
}

} // namespace

llvm::Value *FunctionEmitter::truncToInt(llvm::Value *v, llvm::Type *intType, bool isSigned,
                                         uint32_t wasmOffset) {
  bool fromF32 = v->getType()->isFloatTy();
  auto bounds = truncBounds(intType->getIntegerBitWidth(), isSigned, fromF32);
  trapIf(builder_.CreateFCmpUNO(v, v), abi::TrapCode::InvalidConversion, wasmOffset);
  auto *lo = llvm::ConstantFP::get(v->getType(), bounds.lower);
  auto *hi = llvm::ConstantFP::get(v->getType(), bounds.upper);
  auto *tooLow =
      bounds.lowerInclusive ? builder_.CreateFCmpOLT(v, lo) : builder_.CreateFCmpOLE(v, lo);
  auto *tooHigh = builder_.CreateFCmpOGE(v, hi);
  trapIf(builder_.CreateOr(tooLow, tooHigh), abi::TrapCode::IntegerOverflow, wasmOffset);
  return isSigned ? builder_.CreateFPToSI(v, intType) : builder_.CreateFPToUI(v, intType);
}

// llvm.minimum/maximum may hand back a signalling NaN operand unchanged;
// wasm requires the result NaN to be quiet. x + x quiets a NaN and keeps its
// payload; non-NaN results are left exactly as they are (so -0 stays -0).
llvm::Value *FunctionEmitter::quietNaN(llvm::Value *v) {
  auto *isNaN = builder_.CreateFCmpUNO(v, v);
  return builder_.CreateSelect(isNaN, builder_.CreateFAdd(v, v), v);
}

// LLVM folds x + -0, x - 0, -0 - x, x * 1, x * -1, x / 1 and x / -1 to x or
// -x, which hands a signalling NaN back unquieted; wasm requires the result
// of arithmetic on a NaN to be quiet. Only those constant operands enable the
// folds, so only operations with one get their result quieted.
static bool enablesIdentityFold(llvm::Value *operand) {
  auto *c = llvm::dyn_cast<llvm::ConstantFP>(operand);
  if (!c) return false;
  const llvm::APFloat &v = c->getValueAPF();
  return v.isZero() || v.isExactlyValue(1.0) || v.isExactlyValue(-1.0);
}

Status FunctionEmitter::emitNumeric(const wasm::Instruction &ins) {
  auto &b = builder_;
  auto *i32Ty = b.getInt32Ty();
  auto *i64Ty = b.getInt64Ty();
  auto *f32Ty = b.getFloatTy();
  auto *f64Ty = b.getDoubleTy();
  auto unaryIntrinsic = [&](llvm::Intrinsic::ID id) {
    auto *x = pop();
    push(b.CreateUnaryIntrinsic(id, x));
  };
  auto binaryIntrinsic = [&](llvm::Intrinsic::ID id) {
    auto *y = pop();
    auto *x = pop();
    push(b.CreateBinaryIntrinsic(id, x, y));
  };
  auto binary = [&](auto op) {
    auto *y = pop();
    auto *x = pop();
    push(op(x, y));
  };
  auto arithmetic = [&](auto op) {
    auto *y = pop();
    auto *x = pop();
    auto *result = op(x, y);
    push(enablesIdentityFold(x) || enablesIdentityFold(y) ? quietNaN(result) : result);
  };
  auto compare = [&](llvm::CmpInst::Predicate pred) {
    auto *y = pop();
    auto *x = pop();
    push(boolToI32(b.CreateCmp(pred, x, y)));
  };
  auto shift = [&](llvm::Instruction::BinaryOps op) {
    auto *y = pop();
    auto *x = pop();
    unsigned bits = x->getType()->getIntegerBitWidth();
    auto *count = b.CreateAnd(y, llvm::ConstantInt::get(x->getType(), bits - 1));
    push(b.CreateBinOp(op, x, count));
  };
  auto rotate = [&](llvm::Intrinsic::ID id) {
    auto *y = pop();
    auto *x = pop();
    push(b.CreateIntrinsic(id, {x->getType()}, {x, x, y}));
  };
  auto bitCount = [&](llvm::Intrinsic::ID id) {
    auto *x = pop();
    push(b.CreateIntrinsic(id, {x->getType()}, {x, b.getFalse()}));
  };
  auto divide = [&](bool isSigned, bool isRem) {
    auto *y = pop();
    auto *x = pop();
    auto *type = x->getType();
    auto *zero = llvm::ConstantInt::get(type, 0);
    trapIf(b.CreateICmpEQ(y, zero), abi::TrapCode::IntegerDivideByZero, ins.offset);
    if (!isSigned) {
      push(isRem ? b.CreateURem(x, y) : b.CreateUDiv(x, y));
      return;
    }
    auto *minusOne = llvm::ConstantInt::getSigned(type, -1);
    unsigned bits = type->getIntegerBitWidth();
    auto *intMin = llvm::ConstantInt::get(type, llvm::APInt::getSignedMinValue(bits));
    if (!isRem) {
      trapIf(b.CreateAnd(b.CreateICmpEQ(x, intMin), b.CreateICmpEQ(y, minusOne)),
             abi::TrapCode::IntegerOverflow, ins.offset);
      push(b.CreateSDiv(x, y));
    } else {
      // INT_MIN % -1 is 0 in wasm but undefined in LLVM; x % 1 gives the same 0.
      auto *safeY = b.CreateSelect(b.CreateICmpEQ(y, minusOne), llvm::ConstantInt::get(type, 1), y);
      push(b.CreateSRem(x, safeY));
    }
  };
  auto convert = [&](llvm::Instruction::CastOps op, llvm::Type *to) {
    auto *x = pop();
    push(b.CreateCast(op, x, to));
  };
  auto signExtendFrom = [&](unsigned bits) {
    auto *x = pop();
    push(b.CreateSExt(b.CreateTrunc(x, b.getIntNTy(bits)), x->getType()));
  };
  auto saturate = [&](llvm::Intrinsic::ID id, llvm::Type *to) {
    auto *x = pop();
    push(b.CreateIntrinsic(id, {to, x->getType()}, {x}));
  };

  using P = llvm::CmpInst::Predicate;
  using llvm::Intrinsic::ID;
  switch (ins.op) {
  case Opcode::I32Eqz:
  case Opcode::I64Eqz: {
    auto *x = pop();
    push(boolToI32(b.CreateICmpEQ(x, llvm::ConstantInt::get(x->getType(), 0))));
    return Status::ok();
  }
  case Opcode::I32Eq:
  case Opcode::I64Eq:
    compare(P::ICMP_EQ);
    return Status::ok();
  case Opcode::I32Ne:
  case Opcode::I64Ne:
    compare(P::ICMP_NE);
    return Status::ok();
  case Opcode::I32LtS:
  case Opcode::I64LtS:
    compare(P::ICMP_SLT);
    return Status::ok();
  case Opcode::I32LtU:
  case Opcode::I64LtU:
    compare(P::ICMP_ULT);
    return Status::ok();
  case Opcode::I32GtS:
  case Opcode::I64GtS:
    compare(P::ICMP_SGT);
    return Status::ok();
  case Opcode::I32GtU:
  case Opcode::I64GtU:
    compare(P::ICMP_UGT);
    return Status::ok();
  case Opcode::I32LeS:
  case Opcode::I64LeS:
    compare(P::ICMP_SLE);
    return Status::ok();
  case Opcode::I32LeU:
  case Opcode::I64LeU:
    compare(P::ICMP_ULE);
    return Status::ok();
  case Opcode::I32GeS:
  case Opcode::I64GeS:
    compare(P::ICMP_SGE);
    return Status::ok();
  case Opcode::I32GeU:
  case Opcode::I64GeU:
    compare(P::ICMP_UGE);
    return Status::ok();
  case Opcode::F32Eq:
  case Opcode::F64Eq:
    compare(P::FCMP_OEQ);
    return Status::ok();
  case Opcode::F32Ne:
  case Opcode::F64Ne:
    compare(P::FCMP_UNE);
    return Status::ok();
  case Opcode::F32Lt:
  case Opcode::F64Lt:
    compare(P::FCMP_OLT);
    return Status::ok();
  case Opcode::F32Gt:
  case Opcode::F64Gt:
    compare(P::FCMP_OGT);
    return Status::ok();
  case Opcode::F32Le:
  case Opcode::F64Le:
    compare(P::FCMP_OLE);
    return Status::ok();
  case Opcode::F32Ge:
  case Opcode::F64Ge:
    compare(P::FCMP_OGE);
    return Status::ok();

  case Opcode::I32Clz:
  case Opcode::I64Clz:
    bitCount(llvm::Intrinsic::ctlz);
    return Status::ok();
  case Opcode::I32Ctz:
  case Opcode::I64Ctz:
    bitCount(llvm::Intrinsic::cttz);
    return Status::ok();
  case Opcode::I32Popcnt:
  case Opcode::I64Popcnt:
    unaryIntrinsic(llvm::Intrinsic::ctpop);
    return Status::ok();
  case Opcode::I32Add:
  case Opcode::I64Add:
    binary([&](auto *x, auto *y) { return b.CreateAdd(x, y); });
    return Status::ok();
  case Opcode::I32Sub:
  case Opcode::I64Sub:
    binary([&](auto *x, auto *y) { return b.CreateSub(x, y); });
    return Status::ok();
  case Opcode::I32Mul:
  case Opcode::I64Mul:
    binary([&](auto *x, auto *y) { return b.CreateMul(x, y); });
    return Status::ok();
  case Opcode::I32DivS:
  case Opcode::I64DivS:
    divide(true, false);
    return Status::ok();
  case Opcode::I32DivU:
  case Opcode::I64DivU:
    divide(false, false);
    return Status::ok();
  case Opcode::I32RemS:
  case Opcode::I64RemS:
    divide(true, true);
    return Status::ok();
  case Opcode::I32RemU:
  case Opcode::I64RemU:
    divide(false, true);
    return Status::ok();
  case Opcode::I32And:
  case Opcode::I64And:
    binary([&](auto *x, auto *y) { return b.CreateAnd(x, y); });
    return Status::ok();
  case Opcode::I32Or:
  case Opcode::I64Or:
    binary([&](auto *x, auto *y) { return b.CreateOr(x, y); });
    return Status::ok();
  case Opcode::I32Xor:
  case Opcode::I64Xor:
    binary([&](auto *x, auto *y) { return b.CreateXor(x, y); });
    return Status::ok();
  case Opcode::I32Shl:
  case Opcode::I64Shl:
    shift(llvm::Instruction::Shl);
    return Status::ok();
  case Opcode::I32ShrS:
  case Opcode::I64ShrS:
    shift(llvm::Instruction::AShr);
    return Status::ok();
  case Opcode::I32ShrU:
  case Opcode::I64ShrU:
    shift(llvm::Instruction::LShr);
    return Status::ok();
  case Opcode::I32Rotl:
  case Opcode::I64Rotl:
    rotate(llvm::Intrinsic::fshl);
    return Status::ok();
  case Opcode::I32Rotr:
  case Opcode::I64Rotr:
    rotate(llvm::Intrinsic::fshr);
    return Status::ok();

  case Opcode::F32Abs:
  case Opcode::F64Abs:
    unaryIntrinsic(llvm::Intrinsic::fabs);
    return Status::ok();
  case Opcode::F32Neg:
  case Opcode::F64Neg: {
    auto *x = pop();
    push(b.CreateFNeg(x));
    return Status::ok();
  }
  case Opcode::F32Ceil:
  case Opcode::F64Ceil:
    unaryIntrinsic(llvm::Intrinsic::ceil);
    return Status::ok();
  case Opcode::F32Floor:
  case Opcode::F64Floor:
    unaryIntrinsic(llvm::Intrinsic::floor);
    return Status::ok();
  case Opcode::F32Trunc:
  case Opcode::F64Trunc:
    unaryIntrinsic(llvm::Intrinsic::trunc);
    return Status::ok();
  case Opcode::F32Nearest:
  case Opcode::F64Nearest:
    unaryIntrinsic(llvm::Intrinsic::roundeven);
    return Status::ok();
  case Opcode::F32Sqrt:
  case Opcode::F64Sqrt:
    unaryIntrinsic(llvm::Intrinsic::sqrt);
    return Status::ok();
  case Opcode::F32Add:
  case Opcode::F64Add:
    arithmetic([&](auto *x, auto *y) { return b.CreateFAdd(x, y); });
    return Status::ok();
  case Opcode::F32Sub:
  case Opcode::F64Sub:
    arithmetic([&](auto *x, auto *y) { return b.CreateFSub(x, y); });
    return Status::ok();
  case Opcode::F32Mul:
  case Opcode::F64Mul:
    arithmetic([&](auto *x, auto *y) { return b.CreateFMul(x, y); });
    return Status::ok();
  case Opcode::F32Div:
  case Opcode::F64Div:
    arithmetic([&](auto *x, auto *y) { return b.CreateFDiv(x, y); });
    return Status::ok();
  case Opcode::F32Min:
  case Opcode::F64Min:
    // IEEE 754-2019 minimum: NaN-propagating, -0 < +0, as wasm requires.
    binaryIntrinsic(llvm::Intrinsic::minimum);
    push(quietNaN(pop()));
    return Status::ok();
  case Opcode::F32Max:
  case Opcode::F64Max:
    binaryIntrinsic(llvm::Intrinsic::maximum);
    push(quietNaN(pop()));
    return Status::ok();
  case Opcode::F32Copysign:
  case Opcode::F64Copysign:
    binaryIntrinsic(llvm::Intrinsic::copysign);
    return Status::ok();

  case Opcode::I32WrapI64:
    convert(llvm::Instruction::Trunc, i32Ty);
    return Status::ok();
  case Opcode::I32TruncF32S:
  case Opcode::I32TruncF64S:
    push(truncToInt(pop(), i32Ty, true, ins.offset));
    return Status::ok();
  case Opcode::I32TruncF32U:
  case Opcode::I32TruncF64U:
    push(truncToInt(pop(), i32Ty, false, ins.offset));
    return Status::ok();
  case Opcode::I64TruncF32S:
  case Opcode::I64TruncF64S:
    push(truncToInt(pop(), i64Ty, true, ins.offset));
    return Status::ok();
  case Opcode::I64TruncF32U:
  case Opcode::I64TruncF64U:
    push(truncToInt(pop(), i64Ty, false, ins.offset));
    return Status::ok();
  case Opcode::I64ExtendI32S:
    convert(llvm::Instruction::SExt, i64Ty);
    return Status::ok();
  case Opcode::I64ExtendI32U:
    convert(llvm::Instruction::ZExt, i64Ty);
    return Status::ok();
  case Opcode::F32ConvertI32S:
  case Opcode::F32ConvertI64S:
    convert(llvm::Instruction::SIToFP, f32Ty);
    return Status::ok();
  case Opcode::F32ConvertI32U:
  case Opcode::F32ConvertI64U:
    convert(llvm::Instruction::UIToFP, f32Ty);
    return Status::ok();
  case Opcode::F64ConvertI32S:
  case Opcode::F64ConvertI64S:
    convert(llvm::Instruction::SIToFP, f64Ty);
    return Status::ok();
  case Opcode::F64ConvertI32U:
  case Opcode::F64ConvertI64U:
    convert(llvm::Instruction::UIToFP, f64Ty);
    return Status::ok();
  case Opcode::F32DemoteF64: {
    // LLVM folds demote(promote x) to x, which would keep a signalling NaN.
    auto *x = pop();
    auto *demoted = b.CreateFPTrunc(x, f32Ty);
    push(llvm::isa<llvm::FPExtInst>(x) ? quietNaN(demoted) : demoted);
    return Status::ok();
  }
  case Opcode::F64PromoteF32:
    convert(llvm::Instruction::FPExt, f64Ty);
    return Status::ok();
  case Opcode::I32ReinterpretF32:
    convert(llvm::Instruction::BitCast, i32Ty);
    return Status::ok();
  case Opcode::I64ReinterpretF64:
    convert(llvm::Instruction::BitCast, i64Ty);
    return Status::ok();
  case Opcode::F32ReinterpretI32:
    convert(llvm::Instruction::BitCast, f32Ty);
    return Status::ok();
  case Opcode::F64ReinterpretI64:
    convert(llvm::Instruction::BitCast, f64Ty);
    return Status::ok();
  case Opcode::I32Extend8S:
  case Opcode::I64Extend8S:
    signExtendFrom(8);
    return Status::ok();
  case Opcode::I32Extend16S:
  case Opcode::I64Extend16S:
    signExtendFrom(16);
    return Status::ok();
  case Opcode::I64Extend32S:
    signExtendFrom(32);
    return Status::ok();
  case Opcode::I32TruncSatF32S:
  case Opcode::I32TruncSatF64S:
    saturate(llvm::Intrinsic::fptosi_sat, i32Ty);
    return Status::ok();
  case Opcode::I32TruncSatF32U:
  case Opcode::I32TruncSatF64U:
    saturate(llvm::Intrinsic::fptoui_sat, i32Ty);
    return Status::ok();
  case Opcode::I64TruncSatF32S:
  case Opcode::I64TruncSatF64S:
    saturate(llvm::Intrinsic::fptosi_sat, i64Ty);
    return Status::ok();
  case Opcode::I64TruncSatF32U:
  case Opcode::I64TruncSatF64U:
    saturate(llvm::Intrinsic::fptoui_sat, i64Ty);
    return Status::ok();
#define LUCET_EMITS_Numeric
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
}

} // namespace lucet::compiler
