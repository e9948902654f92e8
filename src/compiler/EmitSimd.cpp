// Fixed-width SIMD. A v128 travels as <2 x i64> (ModuleContext::llvmType) and
// is bitcast to the lane shape each instruction works on. Every lowering is
// written from the spec's lane-wise definition in target-independent IR:
// the generic x86-64 baseline has only SSE2, so LLVM legalises whatever has
// no single instruction there, and no lowering may rely on a target
// intrinsic's corner-case behaviour.
#include "compiler/FunctionEmitter.h"

#include <llvm/IR/Intrinsics.h>

#include <cstring>

namespace lucet::compiler {

using wasm::Opcode;

namespace {

// The lane interpretation of an instruction, read off its mnemonic
// ("i16x8.add" works on <8 x i16>), so that one case serves all shapes.
struct Shape {
  unsigned bits = 0;
  unsigned lanes = 0;
  bool isFloat = false;
};

Shape shapeOf(Opcode op) {
  const char *name = wasm::opcodeName(op);
  static constexpr struct {
    const char *prefix;
    Shape shape;
  } Shapes[] = {{"i8x16.", {8, 16, false}}, {"i16x8.", {16, 8, false}}, {"i32x4.", {32, 4, false}},
                {"i64x2.", {64, 2, false}}, {"f32x4.", {32, 4, true}},  {"f64x2.", {64, 2, true}}};
  for (const auto &s : Shapes)
    if (std::strncmp(name, s.prefix, 6) == 0) return s.shape;
  return {64, 2, false}; // v128.*: any shape does for bitwise operations
}

// Lane indices [first, first + count).
llvm::SmallVector<int, 16> laneRange(unsigned first, unsigned count) {
  llvm::SmallVector<int, 16> mask;
  for (unsigned i = 0; i < count; ++i) mask.push_back(int(first + i));
  return mask;
}

// Lane indices first, first + stride, ... (count of them): by default the
// even or odd lanes.
llvm::SmallVector<int, 16> laneStride(unsigned first, unsigned count, unsigned stride = 2) {
  llvm::SmallVector<int, 16> mask;
  for (unsigned i = 0; i < count; ++i) mask.push_back(int(first + stride * i));
  return mask;
}

} // namespace

Status FunctionEmitter::emitSimd(const wasm::Instruction &ins) {
  auto &b = builder_;
  auto &ctx = mc_.context;
  auto *v128Ty = mc_.llvmType(wasm::ValType::V128);
  auto *i32Ty = b.getInt32Ty();

  auto intTy = [&](unsigned bits) { return llvm::IntegerType::get(ctx, bits); };
  auto vecTy = [&](llvm::Type *elem, unsigned lanes) {
    return llvm::FixedVectorType::get(elem, lanes);
  };
  auto typeOf = [&](const Shape &s) -> llvm::FixedVectorType * {
    llvm::Type *elem = s.isFloat ? (s.bits == 32 ? b.getFloatTy() : b.getDoubleTy())
                                 : static_cast<llvm::Type *>(intTy(s.bits));
    return vecTy(elem, s.lanes);
  };
  // The integer vector of a shape's lane layout: comparison results, masks.
  auto intTypeOf = [&](const Shape &s) { return vecTy(intTy(s.bits), s.lanes); };

  const Shape shape = shapeOf(ins.op);
  auto *type = typeOf(shape);

  auto popAs = [&](llvm::Type *t) { return b.CreateBitCast(pop(), t); };
  auto pushV = [&](llvm::Value *v) { push(b.CreateBitCast(v, v128Ty)); };
  auto unary = [&](auto op) {
    auto *x = popAs(type);
    pushV(op(x));
  };
  auto binary = [&](auto op) {
    auto *y = popAs(type);
    auto *x = popAs(type);
    pushV(op(x, y));
  };
  auto unaryIntrinsic = [&](llvm::Intrinsic::ID id) {
    unary([&](llvm::Value *x) { return b.CreateUnaryIntrinsic(id, x); });
  };
  auto binaryIntrinsic = [&](llvm::Intrinsic::ID id) {
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateBinaryIntrinsic(id, x, y); });
  };
  // Lane-wise comparison: all ones where it holds, zero elsewhere.
  auto compare = [&](llvm::CmpInst::Predicate pred) {
    binary([&](llvm::Value *x, llvm::Value *y) {
      return b.CreateSExt(b.CreateCmp(pred, x, y), intTypeOf(shape));
    });
  };
  auto shift = [&](llvm::Instruction::BinaryOps op) {
    // The count is taken modulo the lane width.
    auto *count = b.CreateAnd(pop(), i32(shape.bits - 1));
    auto *x = popAs(type);
    auto *laneCount = b.CreateZExtOrTrunc(count, intTy(shape.bits));
    pushV(b.CreateBinOp(op, x, b.CreateVectorSplat(shape.lanes, laneCount)));
  };
  // wasm min/max: NaN if either operand is NaN, -0 below +0. llvm.minimum
  // has exactly that ordering, but its x86 lowering may hand back a
  // signalling NaN operand unchanged, whereas wasm wants an arithmetic
  // (quiet) NaN; adding the operands yields one built from their payloads.
  auto floatMinMax = [&](llvm::Intrinsic::ID id) {
    binary([&](llvm::Value *x, llvm::Value *y) {
      auto *minMax = b.CreateBinaryIntrinsic(id, x, y);
      return b.CreateSelect(b.CreateFCmpUNO(x, y), b.CreateFAdd(x, y), minMax);
    });
  };
  // The low or high half of a vector's lanes.
  auto half = [&](llvm::Value *v, bool high) {
    unsigned lanes = unsigned(llvm::cast<llvm::FixedVectorType>(v->getType())->getNumElements());
    return b.CreateShuffleVector(v, laneRange(high ? lanes / 2 : 0, lanes / 2));
  };
  auto extend = [&](llvm::Value *v, llvm::Type *to, bool isSigned) {
    return isSigned ? b.CreateSExt(v, to) : b.CreateZExt(v, to);
  };
  // The narrower shape whose lanes the current shape's instruction widens:
  // i16x8.extend_*_i8x16 reads <16 x i8>.
  auto *narrowTy = vecTy(intTy(shape.bits / 2), shape.lanes * 2);
  auto extendHalf = [&](bool high, bool isSigned) {
    auto *x = popAs(narrowTy);
    pushV(extend(half(x, high), type, isSigned));
  };
  auto extMul = [&](bool high, bool isSigned) {
    auto *y = popAs(narrowTy);
    auto *x = popAs(narrowTy);
    pushV(
        b.CreateMul(extend(half(x, high), type, isSigned), extend(half(y, high), type, isSigned)));
  };
  auto extAddPairwise = [&](bool isSigned) {
    auto *wide = extend(popAs(narrowTy), vecTy(intTy(shape.bits), shape.lanes * 2), isSigned);
    auto *even = b.CreateShuffleVector(wide, laneStride(0, shape.lanes));
    auto *odd = b.CreateShuffleVector(wide, laneStride(1, shape.lanes));
    pushV(b.CreateAdd(even, odd));
  };
  // Narrowing saturates the signed input lanes to the destination range,
  // the first operand filling the low lanes.
  auto narrow = [&](bool isSigned) {
    auto *wideTy = vecTy(intTy(shape.bits * 2), shape.lanes / 2);
    auto *y = popAs(wideTy);
    auto *x = popAs(wideTy);
    auto *joined = b.CreateShuffleVector(x, y, laneRange(0, shape.lanes));
    auto *joinedTy = joined->getType();
    llvm::APInt lo = isSigned ? llvm::APInt::getSignedMinValue(shape.bits).sext(shape.bits * 2)
                              : llvm::APInt::getZero(shape.bits * 2);
    llvm::APInt hi = isSigned ? llvm::APInt::getSignedMaxValue(shape.bits).sext(shape.bits * 2)
                              : llvm::APInt::getMaxValue(shape.bits).zext(shape.bits * 2);
    auto *clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, joined,
                                            llvm::ConstantInt::get(joinedTy, lo));
    clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, clamped,
                                      llvm::ConstantInt::get(joinedTy, hi));
    pushV(b.CreateTrunc(clamped, type));
  };
  // The bounds-checked address of a memory access of `bytes` bytes.
  auto address = [&](llvm::Value *addr, uint64_t bytes) {
    return effectiveAddress(addr, ins.memArg.offset, bytes, ins.memArg.memory, ins.offset);
  };
  auto loadScalar = [&](unsigned bits) {
    auto *addr = pop();
    return heapLoad(intTy(bits), address(addr, bits / 8), ins.memArg.memory);
  };
  // Loads of half a vector's lanes, widened.
  auto loadExtend = [&](unsigned bits, bool isSigned) {
    auto *addr = pop();
    auto *v = heapLoad(vecTy(intTy(bits), 64 / bits), address(addr, 8), ins.memArg.memory);
    pushV(extend(v, vecTy(intTy(bits * 2), 64 / bits), isSigned));
  };
  auto loadSplat = [&](unsigned bits) { pushV(b.CreateVectorSplat(128 / bits, loadScalar(bits))); };
  auto loadZero = [&](unsigned bits) {
    auto *zero = llvm::Constant::getNullValue(vecTy(intTy(bits), 128 / bits));
    pushV(b.CreateInsertElement(zero, loadScalar(bits), uint64_t(0)));
  };
  auto loadLane = [&](unsigned bits) {
    auto *v = popAs(vecTy(intTy(bits), 128 / bits));
    pushV(b.CreateInsertElement(v, loadScalar(bits), uint64_t(ins.lane)));
  };
  auto storeLane = [&](unsigned bits) {
    auto *v = popAs(vecTy(intTy(bits), 128 / bits));
    auto *addr = pop();
    heapStore(b.CreateExtractElement(v, uint64_t(ins.lane)), address(addr, bits / 8),
              ins.memArg.memory);
  };
  auto splat = [&]() {
    auto *x = pop();
    if (!shape.isFloat) x = b.CreateZExtOrTrunc(x, intTy(shape.bits));
    pushV(b.CreateVectorSplat(shape.lanes, x));
  };
  auto extractLane = [&](bool isSigned) {
    auto *lane = b.CreateExtractElement(popAs(type), uint64_t(ins.lane));
    if (!shape.isFloat && shape.bits < 32) lane = extend(lane, i32Ty, isSigned);
    push(lane);
  };
  auto replaceLane = [&]() {
    auto *x = pop();
    auto *v = popAs(type);
    if (!shape.isFloat) x = b.CreateZExtOrTrunc(x, intTy(shape.bits));
    pushV(b.CreateInsertElement(v, x, uint64_t(ins.lane)));
  };
  auto truncSat = [&](llvm::Type *from, bool isSigned, bool zeroUpper) {
    auto *x = popAs(from);
    unsigned lanes = unsigned(llvm::cast<llvm::FixedVectorType>(from)->getNumElements());
    // fptosi.sat/fptoui.sat are wasm's trunc_sat exactly: NaN to 0,
    // out-of-range to the nearest bound.
    llvm::Value *r =
        b.CreateIntrinsic(isSigned ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat,
                          {vecTy(i32Ty, lanes), from}, {x});
    if (zeroUpper)
      r = b.CreateShuffleVector(r, llvm::Constant::getNullValue(r->getType()), laneRange(0, 4));
    pushV(r);
  };

  switch (ins.op) {
  // Memory.
  case Opcode::V128Load: {
    auto *addr = pop();
    push(heapLoad(v128Ty, address(addr, 16), ins.memArg.memory));
    return Status::ok();
  }
  case Opcode::V128Store: {
    auto *value = pop();
    auto *addr = pop();
    heapStore(value, address(addr, 16), ins.memArg.memory);
    return Status::ok();
  }
  case Opcode::V128Load8x8S:
  case Opcode::V128Load8x8U:
    loadExtend(8, ins.op == Opcode::V128Load8x8S);
    return Status::ok();
  case Opcode::V128Load16x4S:
  case Opcode::V128Load16x4U:
    loadExtend(16, ins.op == Opcode::V128Load16x4S);
    return Status::ok();
  case Opcode::V128Load32x2S:
  case Opcode::V128Load32x2U:
    loadExtend(32, ins.op == Opcode::V128Load32x2S);
    return Status::ok();
  case Opcode::V128Load8Splat:
    loadSplat(8);
    return Status::ok();
  case Opcode::V128Load16Splat:
    loadSplat(16);
    return Status::ok();
  case Opcode::V128Load32Splat:
    loadSplat(32);
    return Status::ok();
  case Opcode::V128Load64Splat:
    loadSplat(64);
    return Status::ok();
  case Opcode::V128Load32Zero:
    loadZero(32);
    return Status::ok();
  case Opcode::V128Load64Zero:
    loadZero(64);
    return Status::ok();
  case Opcode::V128Load8Lane:
    loadLane(8);
    return Status::ok();
  case Opcode::V128Load16Lane:
    loadLane(16);
    return Status::ok();
  case Opcode::V128Load32Lane:
    loadLane(32);
    return Status::ok();
  case Opcode::V128Load64Lane:
    loadLane(64);
    return Status::ok();
  case Opcode::V128Store8Lane:
    storeLane(8);
    return Status::ok();
  case Opcode::V128Store16Lane:
    storeLane(16);
    return Status::ok();
  case Opcode::V128Store32Lane:
    storeLane(32);
    return Status::ok();
  case Opcode::V128Store64Lane:
    storeLane(64);
    return Status::ok();

  // Constants, shuffles and lanes.
  case Opcode::V128Const: {
    uint64_t halves[2];
    std::memcpy(halves, ins.v128.data(), 16); // wasm and x86-64 are both little-endian
    push(llvm::ConstantVector::get({b.getInt64(halves[0]), b.getInt64(halves[1])}));
    return Status::ok();
  }
  case Opcode::I8x16Shuffle: {
    // shufflevector numbers the second operand's lanes 16..31, as wasm does.
    auto *y = popAs(type);
    auto *x = popAs(type);
    llvm::SmallVector<int, 16> mask(ins.v128.begin(), ins.v128.end());
    pushV(b.CreateShuffleVector(x, y, mask));
    return Status::ok();
  }
  case Opcode::I8x16RelaxedSwizzle: // the deterministic swizzle
  case Opcode::I8x16Swizzle: {
    // Lane i takes x[s[i]], or 0 when s[i] >= 16. Built by comparing every
    // selector against each index so that no lane needs a variable extract;
    // an out-of-range selector matches none and keeps the zero.
    auto *s = popAs(type);
    auto *x = popAs(type);
    llvm::Value *r = llvm::Constant::getNullValue(type);
    for (unsigned k = 0; k < 16; ++k) {
      auto *matches = b.CreateICmpEQ(s, b.CreateVectorSplat(16, b.getInt8(uint8_t(k))));
      auto *lane = b.CreateShuffleVector(x, llvm::SmallVector<int, 16>(16, int(k)));
      r = b.CreateSelect(matches, lane, r);
    }
    pushV(r);
    return Status::ok();
  }
  case Opcode::I8x16Splat:
  case Opcode::I16x8Splat:
  case Opcode::I32x4Splat:
  case Opcode::I64x2Splat:
  case Opcode::F32x4Splat:
  case Opcode::F64x2Splat:
    splat();
    return Status::ok();
  case Opcode::I8x16ExtractLaneS:
  case Opcode::I16x8ExtractLaneS:
    extractLane(true);
    return Status::ok();
  case Opcode::I8x16ExtractLaneU:
  case Opcode::I16x8ExtractLaneU:
  case Opcode::I32x4ExtractLane:
  case Opcode::I64x2ExtractLane:
  case Opcode::F32x4ExtractLane:
  case Opcode::F64x2ExtractLane:
    extractLane(false);
    return Status::ok();
  case Opcode::I8x16ReplaceLane:
  case Opcode::I16x8ReplaceLane:
  case Opcode::I32x4ReplaceLane:
  case Opcode::I64x2ReplaceLane:
  case Opcode::F32x4ReplaceLane:
  case Opcode::F64x2ReplaceLane:
    replaceLane();
    return Status::ok();

  // Comparisons.
  case Opcode::I8x16Eq:
  case Opcode::I16x8Eq:
  case Opcode::I32x4Eq:
  case Opcode::I64x2Eq:
    compare(llvm::CmpInst::ICMP_EQ);
    return Status::ok();
  case Opcode::I8x16Ne:
  case Opcode::I16x8Ne:
  case Opcode::I32x4Ne:
  case Opcode::I64x2Ne:
    compare(llvm::CmpInst::ICMP_NE);
    return Status::ok();
  case Opcode::I8x16LtS:
  case Opcode::I16x8LtS:
  case Opcode::I32x4LtS:
  case Opcode::I64x2LtS:
    compare(llvm::CmpInst::ICMP_SLT);
    return Status::ok();
  case Opcode::I8x16LtU:
  case Opcode::I16x8LtU:
  case Opcode::I32x4LtU:
    compare(llvm::CmpInst::ICMP_ULT);
    return Status::ok();
  case Opcode::I8x16GtS:
  case Opcode::I16x8GtS:
  case Opcode::I32x4GtS:
  case Opcode::I64x2GtS:
    compare(llvm::CmpInst::ICMP_SGT);
    return Status::ok();
  case Opcode::I8x16GtU:
  case Opcode::I16x8GtU:
  case Opcode::I32x4GtU:
    compare(llvm::CmpInst::ICMP_UGT);
    return Status::ok();
  case Opcode::I8x16LeS:
  case Opcode::I16x8LeS:
  case Opcode::I32x4LeS:
  case Opcode::I64x2LeS:
    compare(llvm::CmpInst::ICMP_SLE);
    return Status::ok();
  case Opcode::I8x16LeU:
  case Opcode::I16x8LeU:
  case Opcode::I32x4LeU:
    compare(llvm::CmpInst::ICMP_ULE);
    return Status::ok();
  case Opcode::I8x16GeS:
  case Opcode::I16x8GeS:
  case Opcode::I32x4GeS:
  case Opcode::I64x2GeS:
    compare(llvm::CmpInst::ICMP_SGE);
    return Status::ok();
  case Opcode::I8x16GeU:
  case Opcode::I16x8GeU:
  case Opcode::I32x4GeU:
    compare(llvm::CmpInst::ICMP_UGE);
    return Status::ok();
  // Ordered predicates are false on NaN; ne is the unordered one, true on NaN.
  case Opcode::F32x4Eq:
  case Opcode::F64x2Eq:
    compare(llvm::CmpInst::FCMP_OEQ);
    return Status::ok();
  case Opcode::F32x4Ne:
  case Opcode::F64x2Ne:
    compare(llvm::CmpInst::FCMP_UNE);
    return Status::ok();
  case Opcode::F32x4Lt:
  case Opcode::F64x2Lt:
    compare(llvm::CmpInst::FCMP_OLT);
    return Status::ok();
  case Opcode::F32x4Gt:
  case Opcode::F64x2Gt:
    compare(llvm::CmpInst::FCMP_OGT);
    return Status::ok();
  case Opcode::F32x4Le:
  case Opcode::F64x2Le:
    compare(llvm::CmpInst::FCMP_OLE);
    return Status::ok();
  case Opcode::F32x4Ge:
  case Opcode::F64x2Ge:
    compare(llvm::CmpInst::FCMP_OGE);
    return Status::ok();

  // Bitwise.
  case Opcode::V128Not:
    unary([&](llvm::Value *x) { return b.CreateNot(x); });
    return Status::ok();
  case Opcode::V128And:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateAnd(x, y); });
    return Status::ok();
  case Opcode::V128Andnot:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateAnd(x, b.CreateNot(y)); });
    return Status::ok();
  case Opcode::V128Or:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateOr(x, y); });
    return Status::ok();
  case Opcode::V128Xor:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateXor(x, y); });
    return Status::ok();
  case Opcode::I8x16RelaxedLaneselect: // bitselect, whatever the mask lanes hold
  case Opcode::I16x8RelaxedLaneselect:
  case Opcode::I32x4RelaxedLaneselect:
  case Opcode::I64x2RelaxedLaneselect:
  case Opcode::V128Bitselect: {
    auto *mask = pop();
    auto *y = pop();
    auto *x = pop();
    push(b.CreateOr(b.CreateAnd(x, mask), b.CreateAnd(y, b.CreateNot(mask))));
    return Status::ok();
  }
  case Opcode::V128AnyTrue: {
    auto *bits = popAs(intTy(128));
    push(boolToI32(b.CreateICmpNE(bits, llvm::ConstantInt::get(bits->getType(), 0))));
    return Status::ok();
  }
  case Opcode::I8x16AllTrue:
  case Opcode::I16x8AllTrue:
  case Opcode::I32x4AllTrue:
  case Opcode::I64x2AllTrue: {
    auto *x = popAs(type);
    push(boolToI32(b.CreateAndReduce(b.CreateICmpNE(x, llvm::Constant::getNullValue(type)))));
    return Status::ok();
  }
  case Opcode::I8x16Bitmask:
  case Opcode::I16x8Bitmask:
  case Opcode::I32x4Bitmask:
  case Opcode::I64x2Bitmask: {
    // Bitcasting <N x i1> to iN puts lane 0 in bit 0 on a little-endian
    // target: exactly the lane order bitmask wants.
    auto *x = popAs(type);
    auto *signs = b.CreateICmpSLT(x, llvm::Constant::getNullValue(type));
    push(b.CreateZExt(b.CreateBitCast(signs, intTy(shape.lanes)), i32Ty));
    return Status::ok();
  }

  // Shifts.
  case Opcode::I8x16Shl:
  case Opcode::I16x8Shl:
  case Opcode::I32x4Shl:
  case Opcode::I64x2Shl:
    shift(llvm::Instruction::Shl);
    return Status::ok();
  case Opcode::I8x16ShrS:
  case Opcode::I16x8ShrS:
  case Opcode::I32x4ShrS:
  case Opcode::I64x2ShrS:
    shift(llvm::Instruction::AShr);
    return Status::ok();
  case Opcode::I8x16ShrU:
  case Opcode::I16x8ShrU:
  case Opcode::I32x4ShrU:
  case Opcode::I64x2ShrU:
    shift(llvm::Instruction::LShr);
    return Status::ok();

  // Integer arithmetic.
  case Opcode::I8x16Add:
  case Opcode::I16x8Add:
  case Opcode::I32x4Add:
  case Opcode::I64x2Add:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateAdd(x, y); });
    return Status::ok();
  case Opcode::I8x16Sub:
  case Opcode::I16x8Sub:
  case Opcode::I32x4Sub:
  case Opcode::I64x2Sub:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateSub(x, y); });
    return Status::ok();
  case Opcode::I16x8Mul:
  case Opcode::I32x4Mul:
  case Opcode::I64x2Mul:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateMul(x, y); });
    return Status::ok();
  case Opcode::I8x16Neg:
  case Opcode::I16x8Neg:
  case Opcode::I32x4Neg:
  case Opcode::I64x2Neg:
    unary([&](llvm::Value *x) { return b.CreateNeg(x); });
    return Status::ok();
  case Opcode::I8x16Abs:
  case Opcode::I16x8Abs:
  case Opcode::I32x4Abs:
  case Opcode::I64x2Abs:
    // abs(INT_MIN) wraps to INT_MIN in wasm: not poison.
    unary([&](llvm::Value *x) {
      return b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse());
    });
    return Status::ok();
  case Opcode::I8x16Popcnt:
    unaryIntrinsic(llvm::Intrinsic::ctpop);
    return Status::ok();
  case Opcode::I8x16AddSatS:
  case Opcode::I16x8AddSatS:
    binaryIntrinsic(llvm::Intrinsic::sadd_sat);
    return Status::ok();
  case Opcode::I8x16AddSatU:
  case Opcode::I16x8AddSatU:
    binaryIntrinsic(llvm::Intrinsic::uadd_sat);
    return Status::ok();
  case Opcode::I8x16SubSatS:
  case Opcode::I16x8SubSatS:
    binaryIntrinsic(llvm::Intrinsic::ssub_sat);
    return Status::ok();
  case Opcode::I8x16SubSatU:
  case Opcode::I16x8SubSatU:
    binaryIntrinsic(llvm::Intrinsic::usub_sat);
    return Status::ok();
  case Opcode::I8x16MinS:
  case Opcode::I16x8MinS:
  case Opcode::I32x4MinS:
    binaryIntrinsic(llvm::Intrinsic::smin);
    return Status::ok();
  case Opcode::I8x16MinU:
  case Opcode::I16x8MinU:
  case Opcode::I32x4MinU:
    binaryIntrinsic(llvm::Intrinsic::umin);
    return Status::ok();
  case Opcode::I8x16MaxS:
  case Opcode::I16x8MaxS:
  case Opcode::I32x4MaxS:
    binaryIntrinsic(llvm::Intrinsic::smax);
    return Status::ok();
  case Opcode::I8x16MaxU:
  case Opcode::I16x8MaxU:
  case Opcode::I32x4MaxU:
    binaryIntrinsic(llvm::Intrinsic::umax);
    return Status::ok();
  case Opcode::I8x16AvgrU:
  case Opcode::I16x8AvgrU:
    // (x + y + 1) / 2 computed one bit wider so the sum cannot wrap.
    binary([&](llvm::Value *x, llvm::Value *y) {
      auto *wideTy = vecTy(intTy(shape.bits * 2), shape.lanes);
      auto *sum = b.CreateAdd(b.CreateZExt(x, wideTy), b.CreateZExt(y, wideTy));
      sum = b.CreateAdd(sum, llvm::ConstantInt::get(wideTy, 1));
      return b.CreateTrunc(b.CreateLShr(sum, llvm::ConstantInt::get(wideTy, 1)), type);
    });
    return Status::ok();
  case Opcode::I16x8RelaxedQ15mulrS: // saturating, as i16x8.q15mulr_sat_s
  case Opcode::I16x8Q15mulrSatS:
    // sat16((x * y + 0x4000) >> 15) in 32 bits; only -32768 * -32768
    // exceeds the range, giving 32768, which saturates to 32767.
    binary([&](llvm::Value *x, llvm::Value *y) {
      auto *wideTy = vecTy(i32Ty, 8);
      auto *product = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
      auto *rounded = b.CreateAShr(b.CreateAdd(product, llvm::ConstantInt::get(wideTy, 0x4000)),
                                   llvm::ConstantInt::get(wideTy, 15));
      auto *clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, rounded,
                                              llvm::ConstantInt::get(wideTy, 0x7fff));
      clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, clamped,
                                        llvm::ConstantInt::getSigned(wideTy, -0x8000));
      return b.CreateTrunc(clamped, type);
    });
    return Status::ok();
  case Opcode::I8x16NarrowI16x8S:
  case Opcode::I16x8NarrowI32x4S:
    narrow(true);
    return Status::ok();
  case Opcode::I8x16NarrowI16x8U:
  case Opcode::I16x8NarrowI32x4U:
    narrow(false);
    return Status::ok();
  case Opcode::I16x8ExtendLowI8x16S:
  case Opcode::I32x4ExtendLowI16x8S:
  case Opcode::I64x2ExtendLowI32x4S:
    extendHalf(false, true);
    return Status::ok();
  case Opcode::I16x8ExtendHighI8x16S:
  case Opcode::I32x4ExtendHighI16x8S:
  case Opcode::I64x2ExtendHighI32x4S:
    extendHalf(true, true);
    return Status::ok();
  case Opcode::I16x8ExtendLowI8x16U:
  case Opcode::I32x4ExtendLowI16x8U:
  case Opcode::I64x2ExtendLowI32x4U:
    extendHalf(false, false);
    return Status::ok();
  case Opcode::I16x8ExtendHighI8x16U:
  case Opcode::I32x4ExtendHighI16x8U:
  case Opcode::I64x2ExtendHighI32x4U:
    extendHalf(true, false);
    return Status::ok();
  case Opcode::I16x8ExtmulLowI8x16S:
  case Opcode::I32x4ExtmulLowI16x8S:
  case Opcode::I64x2ExtmulLowI32x4S:
    extMul(false, true);
    return Status::ok();
  case Opcode::I16x8ExtmulHighI8x16S:
  case Opcode::I32x4ExtmulHighI16x8S:
  case Opcode::I64x2ExtmulHighI32x4S:
    extMul(true, true);
    return Status::ok();
  case Opcode::I16x8ExtmulLowI8x16U:
  case Opcode::I32x4ExtmulLowI16x8U:
  case Opcode::I64x2ExtmulLowI32x4U:
    extMul(false, false);
    return Status::ok();
  case Opcode::I16x8ExtmulHighI8x16U:
  case Opcode::I32x4ExtmulHighI16x8U:
  case Opcode::I64x2ExtmulHighI32x4U:
    extMul(true, false);
    return Status::ok();
  case Opcode::I16x8ExtaddPairwiseI8x16S:
  case Opcode::I32x4ExtaddPairwiseI16x8S:
    extAddPairwise(true);
    return Status::ok();
  case Opcode::I16x8ExtaddPairwiseI8x16U:
  case Opcode::I32x4ExtaddPairwiseI16x8U:
    extAddPairwise(false);
    return Status::ok();
  case Opcode::I32x4DotI16x8S: {
    // Sum of adjacent signed products, wrapping: only when all four inputs
    // are -32768 does the sum overflow, and wasm wants it modulo 2^32.
    auto *y = popAs(narrowTy);
    auto *x = popAs(narrowTy);
    auto *wideTy = vecTy(i32Ty, 8);
    auto *product = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
    pushV(b.CreateAdd(b.CreateShuffleVector(product, laneStride(0, 4)),
                      b.CreateShuffleVector(product, laneStride(1, 4))));
    return Status::ok();
  }

  // Float arithmetic.
  case Opcode::F32x4Abs:
  case Opcode::F64x2Abs:
    unaryIntrinsic(llvm::Intrinsic::fabs);
    return Status::ok();
  case Opcode::F32x4Neg:
  case Opcode::F64x2Neg:
    unary([&](llvm::Value *x) { return b.CreateFNeg(x); });
    return Status::ok();
  case Opcode::F32x4Sqrt:
  case Opcode::F64x2Sqrt:
    unaryIntrinsic(llvm::Intrinsic::sqrt);
    return Status::ok();
  case Opcode::F32x4Ceil:
  case Opcode::F64x2Ceil:
    unaryIntrinsic(llvm::Intrinsic::ceil);
    return Status::ok();
  case Opcode::F32x4Floor:
  case Opcode::F64x2Floor:
    unaryIntrinsic(llvm::Intrinsic::floor);
    return Status::ok();
  case Opcode::F32x4Trunc:
  case Opcode::F64x2Trunc:
    unaryIntrinsic(llvm::Intrinsic::trunc);
    return Status::ok();
  case Opcode::F32x4Nearest:
  case Opcode::F64x2Nearest:
    unaryIntrinsic(llvm::Intrinsic::roundeven);
    return Status::ok();
  case Opcode::F32x4Add:
  case Opcode::F64x2Add:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateFAdd(x, y); });
    return Status::ok();
  case Opcode::F32x4Sub:
  case Opcode::F64x2Sub:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateFSub(x, y); });
    return Status::ok();
  case Opcode::F32x4Mul:
  case Opcode::F64x2Mul:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateFMul(x, y); });
    return Status::ok();
  case Opcode::F32x4Div:
  case Opcode::F64x2Div:
    binary([&](llvm::Value *x, llvm::Value *y) { return b.CreateFDiv(x, y); });
    return Status::ok();
  case Opcode::F32x4Min:
  case Opcode::F64x2Min:
    floatMinMax(llvm::Intrinsic::minimum);
    return Status::ok();
  case Opcode::F32x4Max:
  case Opcode::F64x2Max:
    floatMinMax(llvm::Intrinsic::maximum);
    return Status::ok();
  case Opcode::F32x4Pmin:
  case Opcode::F64x2Pmin:
    // pmin(x, y) = y < x ? y : x, returning an operand bit for bit.
    binary([&](llvm::Value *x, llvm::Value *y) {
      return b.CreateSelect(b.CreateFCmpOLT(y, x), y, x);
    });
    return Status::ok();
  case Opcode::F32x4Pmax:
  case Opcode::F64x2Pmax:
    // pmax(x, y) = x < y ? y : x.
    binary([&](llvm::Value *x, llvm::Value *y) {
      return b.CreateSelect(b.CreateFCmpOLT(x, y), y, x);
    });
    return Status::ok();

  // Conversions.
  // The relaxed truncations saturate, as the trunc_sat ones do.
  case Opcode::I32x4TruncSatF32x4S:
  case Opcode::I32x4TruncSatF32x4U:
  case Opcode::I32x4RelaxedTruncF32x4S:
  case Opcode::I32x4RelaxedTruncF32x4U:
    truncSat(vecTy(b.getFloatTy(), 4),
             ins.op == Opcode::I32x4TruncSatF32x4S || ins.op == Opcode::I32x4RelaxedTruncF32x4S,
             false);
    return Status::ok();
  case Opcode::I32x4TruncSatF64x2SZero:
  case Opcode::I32x4TruncSatF64x2UZero:
  case Opcode::I32x4RelaxedTruncF64x2SZero:
  case Opcode::I32x4RelaxedTruncF64x2UZero:
    truncSat(vecTy(b.getDoubleTy(), 2),
             ins.op == Opcode::I32x4TruncSatF64x2SZero ||
                 ins.op == Opcode::I32x4RelaxedTruncF64x2SZero,
             true);
    return Status::ok();

  // Relaxed SIMD's other choices. madd and nmadd round twice (multiply,
  // then add), as on every x86-64 without FMA, so that results do not depend
  // on the machine; min and max are x86's minps/maxps (the second operand
  // when either is NaN or both are zeros); the dot products multiply signed
  // by signed and add with wrap-around.
  case Opcode::F32x4RelaxedMadd:
  case Opcode::F64x2RelaxedMadd:
  case Opcode::F32x4RelaxedNmadd:
  case Opcode::F64x2RelaxedNmadd: {
    auto *c = popAs(type);
    auto *y = popAs(type);
    auto *x = popAs(type);
    llvm::Value *product = b.CreateFMul(x, y);
    if (ins.op == Opcode::F32x4RelaxedNmadd || ins.op == Opcode::F64x2RelaxedNmadd)
      product = b.CreateFNeg(product);
    pushV(b.CreateFAdd(product, c));
    return Status::ok();
  }
  case Opcode::F32x4RelaxedMin:
  case Opcode::F64x2RelaxedMin:
    binary([&](llvm::Value *x, llvm::Value *y) {
      return b.CreateSelect(b.CreateFCmpOLT(x, y), x, y);
    });
    return Status::ok();
  case Opcode::F32x4RelaxedMax:
  case Opcode::F64x2RelaxedMax:
    binary([&](llvm::Value *x, llvm::Value *y) {
      return b.CreateSelect(b.CreateFCmpOGT(x, y), x, y);
    });
    return Status::ok();
  case Opcode::I16x8RelaxedDotI8x16I7x16S: {
    auto *bytesTy = vecTy(b.getInt8Ty(), 16);
    auto *y = popAs(bytesTy);
    auto *x = popAs(bytesTy);
    auto *wideTy = vecTy(b.getInt16Ty(), 16);
    auto *product = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
    pushV(b.CreateAdd(b.CreateShuffleVector(product, laneStride(0, 8)),
                      b.CreateShuffleVector(product, laneStride(1, 8))));
    return Status::ok();
  }
  case Opcode::I32x4RelaxedDotI8x16I7x16AddS: {
    auto *bytesTy = vecTy(b.getInt8Ty(), 16);
    auto *c = popAs(vecTy(i32Ty, 4));
    auto *y = popAs(bytesTy);
    auto *x = popAs(bytesTy);
    auto *wideTy = vecTy(i32Ty, 16);
    auto *product = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
    llvm::Value *sum = c;
    for (int k = 0; k < 4; ++k)
      sum = b.CreateAdd(sum, b.CreateShuffleVector(product, laneStride(k, 4, 4)));
    pushV(sum);
    return Status::ok();
  }
  case Opcode::F32x4ConvertI32x4S:
  case Opcode::F32x4ConvertI32x4U: {
    auto *x = popAs(vecTy(i32Ty, 4));
    pushV(ins.op == Opcode::F32x4ConvertI32x4S ? b.CreateSIToFP(x, type) : b.CreateUIToFP(x, type));
    return Status::ok();
  }
  case Opcode::F64x2ConvertLowI32x4S:
  case Opcode::F64x2ConvertLowI32x4U: {
    auto *x = half(popAs(vecTy(i32Ty, 4)), false);
    pushV(ins.op == Opcode::F64x2ConvertLowI32x4S ? b.CreateSIToFP(x, type)
                                                  : b.CreateUIToFP(x, type));
    return Status::ok();
  }
  case Opcode::F32x4DemoteF64x2Zero: {
    auto *narrowed = b.CreateFPTrunc(popAs(vecTy(b.getDoubleTy(), 2)), vecTy(b.getFloatTy(), 2));
    pushV(b.CreateShuffleVector(narrowed, llvm::Constant::getNullValue(narrowed->getType()),
                                laneRange(0, 4)));
    return Status::ok();
  }
  case Opcode::F64x2PromoteLowF32x4:
    pushV(b.CreateFPExt(half(popAs(vecTy(b.getFloatTy(), 4)), false), type));
    return Status::ok();

#define LUCET_EMITS_Simd
#include "compiler/OtherEmitFamilies.def"
    return wrongFamily(ins);
  }
}

} // namespace lucet::compiler
