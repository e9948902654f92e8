#include "compiler/BoundsCheckVersioning.h"

#include "abi/TrapCode.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <optional>
#include <set>
#include <tuple>

namespace lucet::compiler {

namespace {

// A block that reports an out-of-bounds trap: FunctionEmitter::emitTrap's
// call of the runtime's trap function, which does not return.
bool isOutOfBoundsTrap(const llvm::BasicBlock *block) {
  if (!llvm::isa<llvm::UnreachableInst>(block->getTerminator())) return false;
  for (const auto &inst : *block)
    if (const auto *call = llvm::dyn_cast<llvm::CallInst>(&inst))
      if (call->doesNotReturn() && call->arg_size() == 4)
        if (const auto *code = llvm::dyn_cast<llvm::ConstantInt>(call->getArgOperand(1)))
          return code->getZExtValue() == uint64_t(abi::TrapCode::OutOfBounds);
  return false;
}

// The branch traps when end + extra > size: end is the zero-extended wasm
// address plus the access's offset and size, extra 0 or 1 (InstCombine turns
// end > size into end - 1 >= size), size the memory's size in bytes.
struct BoundsCheck {
  llvm::BranchInst *branch;
  bool trapsWhenTrue; // the trap is successor 0
  llvm::Value *end;
  uint64_t extra;
  llvm::Value *size;
};

// The check `branch` performs, if it is one.
std::optional<BoundsCheck> boundsCheck(llvm::BranchInst *branch) {
  if (!branch->isConditional()) return std::nullopt;
  bool trapsWhenTrue = isOutOfBoundsTrap(branch->getSuccessor(0));
  if (trapsWhenTrue == isOutOfBoundsTrap(branch->getSuccessor(1))) return std::nullopt;
  auto *compare = llvm::dyn_cast<llvm::ICmpInst>(branch->getCondition());
  if (!compare) return std::nullopt;
  // The predicate under which the branch traps.
  auto predicate = trapsWhenTrue ? compare->getPredicate() : compare->getInversePredicate();
  llvm::Value *end = compare->getOperand(0), *size = compare->getOperand(1);
  if (predicate == llvm::CmpInst::ICMP_ULT || predicate == llvm::CmpInst::ICMP_ULE) {
    std::swap(end, size);
    predicate = llvm::CmpInst::getSwappedPredicate(predicate);
  }
  uint64_t extra = 0;
  if (predicate == llvm::CmpInst::ICMP_UGE)
    extra = 1;
  else if (predicate != llvm::CmpInst::ICMP_UGT)
    return std::nullopt;
  if (!end->getType()->isIntegerTy(64)) return std::nullopt;
  return BoundsCheck{branch, trapsWhenTrue, end, extra, size};
}

// The end address of a check over the loop's iterations k = 0..btc:
// first + k * step, never below `low` when it does not wrap. `step` is
// loop-invariant, within +-2^31, and sign-extended to 64 bits.
struct AffineEnd {
  const llvm::SCEV *first;
  const llvm::SCEV *step;
  const llvm::SCEV *low;
};

// A recurrence's step, if small enough that btc * step fits in 64 bits.
const llvm::SCEV *smallStep(const llvm::SCEVAddRecExpr *rec, llvm::ScalarEvolution &se) {
  const llvm::SCEV *step = rec->getStepRecurrence(se);
  llvm::ConstantRange range = se.getSignedRange(step);
  unsigned bits = range.getBitWidth();
  if (bits > 64 || range.getSignedMin().getSExtValue() <= -(int64_t(1) << 31) ||
      range.getSignedMax().getSExtValue() >= (int64_t(1) << 31))
    return nullptr;
  return se.getSignExtendExpr(step, llvm::Type::getInt64Ty(step->getType()->getContext()));
}

// Our checks compute end = zext(i32 address) + (offset + access size).
// ScalarEvolution gives that either as an i64 recurrence (when it proved the
// i32 one does not wrap) or as constant + zext(i32 recurrence).
std::optional<AffineEnd> affineEnd(const llvm::SCEV *end, const llvm::Loop &loop,
                                   llvm::ScalarEvolution &se) {
  auto *i64 = end->getType();
  if (se.isLoopInvariant(end, &loop)) return AffineEnd{end, se.getZero(i64), se.getZero(i64)};
  if (auto *rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(end)) {
    if (rec->getLoop() != &loop || !rec->isAffine()) return std::nullopt;
    const llvm::SCEV *step = smallStep(rec, se);
    if (!step) return std::nullopt;
    return AffineEnd{rec->getStart(), step, se.getZero(i64)};
  }
  const llvm::SCEV *constant = se.getZero(i64);
  const llvm::SCEV *rest = end;
  if (auto *add = llvm::dyn_cast<llvm::SCEVAddExpr>(end)) {
    if (add->getNumOperands() != 2 || !llvm::isa<llvm::SCEVConstant>(add->getOperand(0)))
      return std::nullopt;
    constant = add->getOperand(0);
    if (llvm::cast<llvm::SCEVConstant>(constant)->getAPInt().isNegative()) return std::nullopt;
    rest = add->getOperand(1);
  }
  auto *zext = llvm::dyn_cast<llvm::SCEVZeroExtendExpr>(rest);
  if (!zext) return std::nullopt;
  auto *rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(zext->getOperand());
  if (!rec || rec->getLoop() != &loop || !rec->isAffine()) return std::nullopt;
  const llvm::SCEV *step = smallStep(rec, se);
  if (!step) return std::nullopt;
  return AffineEnd{se.getAddExpr(constant, se.getZeroExtendExpr(rec->getStart(), i64)), step,
                   constant};
}

struct Candidate {
  llvm::Loop *loop;
  llvm::SmallVector<BoundsCheck, 8> hoisted;
  llvm::Value *allInBounds;
};

size_t instructionCount(const llvm::Loop &loop) {
  size_t n = 0;
  for (const auto *block : loop.blocks()) n += block->size();
  return n;
}

// Emits, before `loop`, the condition under which none of its affine checks
// can fail; the checks it covers go to `candidate.hoisted`.
std::optional<Candidate> prepare(llvm::Loop &loop, llvm::ScalarEvolution &se,
                                 const llvm::TargetTransformInfo &tti) {
  llvm::BasicBlock *preheader = loop.getLoopPreheader();
  if (!preheader || !loop.isLoopSimplifyForm() ||
      instructionCount(loop) > MaxVersionedLoopInstructions)
    return std::nullopt;
  const llvm::SCEV *btc = se.getSymbolicMaxBackedgeTakenCount(&loop);
  if (llvm::isa<llvm::SCEVCouldNotCompute>(btc)) return std::nullopt;
  auto *i64 = llvm::Type::getInt64Ty(preheader->getContext());
  if (btc->getType()->getIntegerBitWidth() > 64) return std::nullopt;
  btc = se.getNoopOrZeroExtend(btc, i64);
  // Below 2^32 iterations, first + btc * step cannot overflow 64 bits.
  bool btcIsSmall = se.getUnsignedRangeMax(btc).ult(llvm::APInt(64, 1) << 32);

  struct Bound {
    const llvm::SCEV *value;
    llvm::CmpInst::Predicate predicate; // must hold against `against`
    llvm::Value *size;                  // or nullptr: against `low`
    const llvm::SCEV *low;
  };
  std::vector<Bound> bounds;
  std::set<std::tuple<const llvm::SCEV *, int, llvm::Value *, const llvm::SCEV *>> seen;
  auto require = [&](Bound b) {
    if (seen.insert({b.value, int(b.predicate), b.size, b.low}).second) bounds.push_back(b);
  };
  Candidate candidate{&loop, {}, nullptr};
  for (auto *block : loop.blocks()) {
    auto *branch = llvm::dyn_cast<llvm::BranchInst>(block->getTerminator());
    if (!branch) continue;
    auto check = boundsCheck(branch);
    if (!check || !loop.isLoopInvariant(check->size)) continue;
    const llvm::SCEV *end =
        se.getAddExpr(se.getSCEV(check->end), se.getConstant(i64, check->extra));
    auto affine = affineEnd(end, loop, se);
    if (!affine) continue;
    // The largest end is the first or the last; the last must not have
    // wrapped below the smallest possible end.
    const llvm::SCEV *last = se.getAddExpr(affine->first, se.getMulExpr(btc, affine->step));
    require({affine->first, llvm::CmpInst::ICMP_ULE, check->size, nullptr});
    if (!se.isKnownNonPositive(affine->step))
      require({last, llvm::CmpInst::ICMP_ULE, check->size, nullptr});
    if (!se.isKnownNonNegative(affine->step))
      require({last, llvm::CmpInst::ICMP_SGE, nullptr, affine->low});
    candidate.hoisted.push_back(*check);
  }
  if (candidate.hoisted.empty()) return std::nullopt;

  auto *insertAt = preheader->getTerminator();
  llvm::SCEVExpander expander(se, preheader->getModule()->getDataLayout(), "bounds");
  llvm::SmallVector<const llvm::SCEV *, 16> expressions;
  for (const auto &b : bounds) {
    expressions.push_back(b.value);
    if (b.low) expressions.push_back(b.low);
  }
  if (!btcIsSmall) expressions.push_back(btc);
  for (const auto *e : expressions)
    if (!expander.isSafeToExpandAt(e, insertAt)) return std::nullopt;
  // Evaluated once per entry into the loop, so it may cost a little.
  unsigned budget = 8 * llvm::TargetTransformInfo::TCC_Basic * unsigned(expressions.size());
  if (expander.isHighCostExpansion(expressions, &loop, budget, &tti, insertAt)) return std::nullopt;

  llvm::IRBuilder<> builder(insertAt);
  llvm::Value *ok = builder.getTrue();
  if (!btcIsSmall)
    ok = builder.CreateICmpULT(expander.expandCodeFor(btc, i64, insertAt),
                               builder.getInt64(uint64_t(1) << 32));
  for (const auto &b : bounds) {
    llvm::Value *value = expander.expandCodeFor(b.value, i64, insertAt);
    llvm::Value *against = b.size ? b.size : expander.expandCodeFor(b.low, i64, insertAt);
    ok = builder.CreateAnd(ok, builder.CreateICmp(b.predicate, value, against));
  }
  candidate.allInBounds = ok;
  return candidate;
}

// Runs the copy of the candidate's loop without its hoisted checks when
// `allInBounds` holds, the original otherwise.
void version(Candidate &candidate, llvm::DominatorTree &dt, llvm::LoopInfo &li) {
  llvm::Loop &loop = *candidate.loop;
  llvm::BasicBlock *checkBlock = loop.getLoopPreheader();
  llvm::BasicBlock *checkedPreheader =
      llvm::SplitBlock(checkBlock, checkBlock->getTerminator(), &dt, &li, nullptr, "checked.ph");
  llvm::ValueToValueMapTy map;
  llvm::SmallVector<llvm::BasicBlock *, 16> blocks;
  llvm::Loop *fast = llvm::cloneLoopWithPreheader(checkedPreheader, checkBlock, &loop, map,
                                                  ".inbounds", &li, &dt, blocks);
  llvm::remapInstructionsInBlocks(blocks, map);
  // Values leaving the loop go through LCSSA phis in its exit blocks; the
  // copy's exiting blocks feed them too.
  llvm::SmallVector<llvm::BasicBlock *, 8> exits;
  loop.getUniqueExitBlocks(exits);
  for (auto *exit : exits)
    for (auto &phi : exit->phis())
      for (unsigned i = 0, n = phi.getNumIncomingValues(); i < n; ++i) {
        llvm::BasicBlock *from = phi.getIncomingBlock(i);
        if (!loop.contains(from)) continue;
        llvm::Value *value = phi.getIncomingValue(i);
        if (auto mapped = map.find(value); mapped != map.end()) value = mapped->second;
        phi.addIncoming(value, llvm::cast<llvm::BasicBlock>(map[from]));
      }
  auto &context = checkBlock->getContext();
  for (const auto &check : candidate.hoisted)
    llvm::cast<llvm::BranchInst>(map[check.branch])
        ->setCondition(llvm::ConstantInt::getBool(context, !check.trapsWhenTrue));
  auto *oldTerminator = checkBlock->getTerminator();
  llvm::MDBuilder md(context);
  llvm::BranchInst::Create(fast->getLoopPreheader(), checkedPreheader, candidate.allInBounds,
                           checkBlock)
      ->setMetadata(llvm::LLVMContext::MD_prof, md.createBranchWeights(1 << 20, 1));
  oldTerminator->eraseFromParent();
}

} // namespace

llvm::PreservedAnalyses BoundsCheckVersioningPass::run(llvm::Function &function,
                                                       llvm::FunctionAnalysisManager &analyses) {
  auto &li = analyses.getResult<llvm::LoopAnalysis>(function);
  if (li.empty()) return llvm::PreservedAnalyses::all();
  auto &se = analyses.getResult<llvm::ScalarEvolutionAnalysis>(function);
  auto &dt = analyses.getResult<llvm::DominatorTreeAnalysis>(function);
  auto &tti = analyses.getResult<llvm::TargetIRAnalysis>(function);
  // First every condition, while ScalarEvolution still describes the
  // function; then the copies, which leave it stale.
  std::vector<Candidate> candidates;
  for (llvm::Loop *loop : li.getLoopsInPreorder()) {
    if (candidates.size() == MaxVersionedLoopsPerFunction) break;
    if (!loop->isInnermost()) continue;
    if (auto candidate = prepare(*loop, se, tti)) candidates.push_back(std::move(*candidate));
  }
  if (candidates.empty()) return llvm::PreservedAnalyses::all();
  for (auto &candidate : candidates) version(candidate, dt, li);
  return llvm::PreservedAnalyses::none();
}

} // namespace lucet::compiler
