#include "compiler/HeapLoopVersioning.h"

#include "abi/TrapCode.h"
#include "compiler/MemoryInstanceLoads.h"
#include "compiler/ModuleContext.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <array>
#include <map>
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
// loop-invariant, within +-2^31, and sign-extended to 64 bits. When the
// i32 address starts at s + c for a constant c, `first` is zext(s) + c,
// which holds if `startNoWrap` does: then accesses at s + 0, s + 8, ... are
// seen as neighbours, as the vectorizer needs.
struct AffineEnd {
  const llvm::SCEV *first;
  const llvm::SCEV *step;
  const llvm::SCEV *low;
  struct Bound {
    const llvm::SCEV *value;
    llvm::CmpInst::Predicate predicate;
    const llvm::SCEV *against;
  };
  std::optional<Bound> startNoWrap = std::nullopt;
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

// The constant term of an i32 expression, also when it is the start of a
// recurrence (of an outer loop): 8 in 8 + x and in {8 + x,+,n}.
int64_t constantTerm(const llvm::SCEV *x) {
  while (auto *rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(x)) x = rec->getStart();
  if (auto *sum = llvm::dyn_cast<llvm::SCEVAddExpr>(x))
    if (auto *c = llvm::dyn_cast<llvm::SCEVConstant>(sum->getOperand(0)))
      return c->getAPInt().getSExtValue();
  return 0;
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
  const llvm::SCEV *start = rec->getStart();
  int64_t c = constantTerm(start);
  if (c == 0 || start->getType()->getIntegerBitWidth() != 32)
    return AffineEnd{se.getAddExpr(constant, se.getZeroExtendExpr(start, i64)), step, constant,
                     std::nullopt};
  // start = s + c: zext(s + c) = zext(s) + c if s + c does not wrap.
  const llvm::SCEV *s = se.getZeroExtendExpr(
      se.getMinusSCEV(start, se.getConstant(start->getType(), uint64_t(c))), i64);
  AffineEnd::Bound noWrap =
      c >= 0 ? AffineEnd::Bound{s, llvm::CmpInst::ICMP_ULE,
                                se.getConstant(i64, (uint64_t(1) << 32) - 1 - uint64_t(c))}
             : AffineEnd::Bound{s, llvm::CmpInst::ICMP_UGE, se.getConstant(i64, uint64_t(-c))};
  return AffineEnd{se.getAddExpr(se.getAddExpr(constant, s), se.getConstant(i64, uint64_t(c))),
                   step, constant, noWrap};
}

struct Candidate {
  llvm::Loop *loop = nullptr;
  // Checked code: the checks the copy goes without.
  llvm::SmallVector<BoundsCheck, 8> hoisted;
  // Guard-page code: the accesses that are not volatile in the copy, and the
  // heap accesses whose pointer there is a new one (expanded in the original
  // loop, which then drops it).
  llvm::SmallVector<llvm::Instruction *, 8> devolatilized;
  llvm::SmallVector<std::pair<llvm::Instruction *, const llvm::SCEV *>, 8> rewrites;
  llvm::SmallVector<std::pair<llvm::Instruction *, llvm::Value *>, 8> newPointers;
  // Guard-page code: the heap accesses in groups whose address ranges do
  // not overlap in the copy (AccessGroups), or nothing.
  std::vector<std::vector<llvm::Instruction *>> aliasGroups;
  // The block before the test, which skips it when the loop runs fewer than
  // MinVersionedIterations times.
  llvm::BasicBlock *guard = nullptr;
  llvm::Value *longEnough = nullptr;
  llvm::Value *allInBounds = nullptr;
};

size_t instructionCount(const llvm::Loop &loop) {
  size_t n = 0;
  for (const auto *block : loop.blocks()) n += block->size();
  return n;
}

// Memory `memory`'s size in bytes, read at `at`.
llvm::Value *readMemorySize(llvm::Instruction *at, uint32_t memory) {
  llvm::IRBuilder<> b(at);
  auto *instance = loadMemoryInstance(b, at->getFunction()->getArg(0), memory, [](auto *) {});
  auto *size = loadMemorySize(b, instance);
  size->setName("memory.size");
  return size;
}

// What must hold before the loop for every iteration's accesses to be in
// bounds: bounds on end addresses, each against a memory's size.
class Requirements {
public:
  Requirements(llvm::Loop &loop, llvm::ScalarEvolution &se, const llvm::SCEV *btc)
      : loop_(loop), se_(se), btc_(btc) {}

  // Requires end <= size in every iteration, where end is an access's end
  // address; its size is `size`, or memory `memory`'s size when null. The
  // end's recurrence, if it is affine.
  std::optional<AffineEnd> inBounds(const llvm::SCEV *end, llvm::Value *size, uint32_t memory) {
    auto affine = affineEnd(end, loop_, se_);
    if (!affine) return std::nullopt;
    // The largest end is the first or the last; the last must not have
    // wrapped below the smallest possible end.
    const llvm::SCEV *last = se_.getAddExpr(affine->first, se_.getMulExpr(btc_, affine->step));
    require({affine->first, llvm::CmpInst::ICMP_ULE, size, memory, nullptr});
    if (!se_.isKnownNonPositive(affine->step))
      require({last, llvm::CmpInst::ICMP_ULE, size, memory, nullptr});
    if (!se_.isKnownNonNegative(affine->step))
      require({last, llvm::CmpInst::ICMP_SGE, nullptr, 0, affine->low});
    if (const auto &b = affine->startNoWrap)
      require({b->value, b->predicate, nullptr, 0, b->against});
    return affine;
  }

  const llvm::SCEV *btc() const { return btc_; }

  // Requires [lowA, highA) and [lowB, highB) not to overlap.
  void disjoint(const llvm::SCEV *lowA, const llvm::SCEV *highA, const llvm::SCEV *lowB,
                const llvm::SCEV *highB) {
    disjoint_.push_back({lowA, highA, lowB, highB});
  }

  // The condition, computed at `insertAt`, or null if too dear.
  llvm::Value *expand(bool btcIsSmall, const llvm::TargetTransformInfo &tti,
                      llvm::SCEVExpander &expander, llvm::Instruction *insertAt) {
    auto *i64 = llvm::Type::getInt64Ty(insertAt->getContext());
    llvm::SmallVector<const llvm::SCEV *, 16> expressions;
    for (const auto &b : bounds_) {
      expressions.push_back(b.value);
      if (b.against) expressions.push_back(b.against);
    }
    if (!btcIsSmall) expressions.push_back(btc_);
    for (const auto &ranges : disjoint_) expressions.append(ranges.begin(), ranges.end());
    for (const auto *e : expressions)
      if (!expander.isSafeToExpandAt(e, insertAt)) return nullptr;
    // Evaluated once per entry into the loop, so it may cost a little.
    unsigned budget = 8 * llvm::TargetTransformInfo::TCC_Basic * unsigned(expressions.size());
    if (expander.isHighCostExpansion(expressions, &loop_, budget, &tti, insertAt)) return nullptr;

    llvm::IRBuilder<> builder(insertAt);
    llvm::Value *ok = builder.getTrue();
    if (!btcIsSmall)
      ok = builder.CreateICmpULT(expander.expandCodeFor(btc_, i64, insertAt),
                                 builder.getInt64(uint64_t(1) << 32));
    std::map<uint32_t, llvm::Value *> sizes;
    for (const auto &b : bounds_) {
      llvm::Value *value = expander.expandCodeFor(b.value, i64, insertAt);
      llvm::Value *against = b.size;
      if (b.against) {
        against = expander.expandCodeFor(b.against, i64, insertAt);
      } else if (!against) {
        auto &size = sizes[b.memory];
        if (!size) size = readMemorySize(insertAt, b.memory);
        against = size;
      }
      ok = builder.CreateAnd(ok, builder.CreateICmp(b.predicate, value, against));
    }
    for (const auto &[lowA, highA, lowB, highB] : disjoint_) {
      auto at = [&](const llvm::SCEV *e) { return expander.expandCodeFor(e, i64, insertAt); };
      ok = builder.CreateAnd(ok, builder.CreateOr(builder.CreateICmpULE(at(highA), at(lowB)),
                                                  builder.CreateICmpULE(at(highB), at(lowA))));
    }
    return ok;
  }

private:
  struct Bound {
    const llvm::SCEV *value;
    llvm::CmpInst::Predicate predicate; // must hold against:
    llvm::Value *size;                  // this size, or
    uint32_t memory;                    // this memory's size, or
    const llvm::SCEV *against;          // if not null, this
  };
  void require(Bound b) {
    if (seen_.insert({b.value, int(b.predicate), b.size, b.memory, b.against}).second)
      bounds_.push_back(b);
  }

  llvm::Loop &loop_;
  llvm::ScalarEvolution &se_;
  const llvm::SCEV *btc_;
  std::vector<Bound> bounds_;
  std::vector<std::array<const llvm::SCEV *, 4>> disjoint_;
  std::set<std::tuple<const llvm::SCEV *, int, llvm::Value *, uint32_t, const llvm::SCEV *>> seen_;
};

// Guard-page code: the heap accesses of a loop in groups, such that the
// addresses of one group differ by constants (a[i], a[i + 1], ...: LLVM's
// dependence analysis sees how they relate). Between groups it cannot, and
// the vectorizer would test at run time whether each pair of accesses
// overlaps; neighbours like a[i] and a[i + 1] always do, so its test fails.
// Instead, whether the groups' address ranges over the whole loop overlap
// is part of the loop's versioning condition, and the copy says they do not
// with scoped no-alias metadata.
class AccessGroups {
public:
  explicit AccessGroups(llvm::ScalarEvolution &se) : se_(se) {}

  // An access of `bytes` bytes at start + k * step in iteration k.
  void add(llvm::Instruction *access, bool writes, uint32_t memory, const llvm::SCEV *start,
           const llvm::SCEV *bytes, const llvm::SCEV *step) {
    int64_t size = llvm::cast<llvm::SCEVConstant>(bytes)->getAPInt().getSExtValue();
    for (auto &group : groups_) {
      if (group.memory != memory || group.step != step) continue;
      auto *distance = llvm::dyn_cast<llvm::SCEVConstant>(se_.getMinusSCEV(start, group.start));
      if (!distance || distance->getAPInt().getSignificantBits() > 40) continue;
      int64_t d = distance->getAPInt().getSExtValue();
      group.low = std::min(group.low, d);
      group.high = std::max(group.high, d + size);
      group.writes |= writes;
      group.members.push_back(access);
      return;
    }
    groups_.push_back({memory, start, step, 0, size, writes, {access}});
  }

  // Adds to `requirements` that no two groups of which one writes overlap,
  // and returns the groups' accesses; nothing if there is no need or the
  // ranges are not known.
  std::vector<std::vector<llvm::Instruction *>> requireDisjoint(Requirements &requirements) {
    if (groups_.size() < 2) return {};
    std::vector<std::pair<const llvm::SCEV *, const llvm::SCEV *>> ranges;
    for (const auto &group : groups_) {
      auto *i64 = group.start->getType();
      const llvm::SCEV *low = se_.getAddExpr(group.start, se_.getConstant(i64, group.low, true));
      const llvm::SCEV *high = se_.getAddExpr(group.start, se_.getConstant(i64, group.high, true));
      const llvm::SCEV *travel = se_.getMulExpr(requirements.btc(), group.step);
      if (se_.isKnownNonNegative(group.step))
        high = se_.getAddExpr(high, travel);
      else if (se_.isKnownNonPositive(group.step))
        low = se_.getAddExpr(low, travel);
      else
        return {};
      ranges.push_back({low, high});
    }
    size_t checks = 0;
    for (size_t a = 0; a < groups_.size(); ++a)
      for (size_t b = a + 1; b < groups_.size(); ++b) checks += needsCheck(a, b);
    if (checks > MaxAliasChecksPerLoop) return {};
    for (size_t a = 0; a < groups_.size(); ++a)
      for (size_t b = a + 1; b < groups_.size(); ++b)
        if (needsCheck(a, b))
          requirements.disjoint(ranges[a].first, ranges[a].second, ranges[b].first,
                                ranges[b].second);
    std::vector<std::vector<llvm::Instruction *>> members;
    for (auto &group : groups_) members.push_back(std::move(group.members));
    return members;
  }

private:
  // Different memories never overlap; two readers need no test.
  bool needsCheck(size_t a, size_t b) const {
    return groups_[a].memory == groups_[b].memory && (groups_[a].writes || groups_[b].writes);
  }

  struct Group {
    uint32_t memory;
    const llvm::SCEV *start; // of the first member
    const llvm::SCEV *step;
    int64_t low, high; // the members' bytes: [start + low, start + high) in iteration 0
    bool writes;
    std::vector<llvm::Instruction *> members;
  };
  llvm::ScalarEvolution &se_;
  std::vector<Group> groups_;
};

// Checked code: the checks of `loop` that Requirements can cover.
bool collectChecks(llvm::Loop &loop, llvm::ScalarEvolution &se, Requirements &requirements,
                   Candidate &candidate) {
  auto *i64 = llvm::Type::getInt64Ty(loop.getHeader()->getContext());
  for (auto *block : loop.blocks()) {
    auto *branch = llvm::dyn_cast<llvm::BranchInst>(block->getTerminator());
    if (!branch) continue;
    auto check = boundsCheck(branch);
    if (!check || !loop.isLoopInvariant(check->size)) continue;
    const llvm::SCEV *end =
        se.getAddExpr(se.getSCEV(check->end), se.getConstant(i64, check->extra));
    if (requirements.inBounds(end, check->size, 0)) candidate.hoisted.push_back(*check);
  }
  return !candidate.hoisted.empty();
}

// Guard-page code: whether nothing in `loop` but its heap accesses can trap
// and all of those are covered by Requirements.
bool collectAccesses(llvm::Loop &loop, llvm::ScalarEvolution &se, Requirements &requirements,
                     const llvm::SCEVExpander &expander, Candidate &candidate) {
  // A loop that may leave early (a search) mostly runs a few times, fewer
  // than its bound, for which the test costs more than the copy saves; and
  // it could leave to a trap.
  if (!loop.getExitingBlock()) return false;
  llvm::SmallVector<llvm::BasicBlock *, 8> exits;
  loop.getExitBlocks(exits);
  for (const auto *exit : exits)
    if (llvm::isa<llvm::UnreachableInst>(exit->getTerminator())) return false;
  const auto &layout = loop.getHeader()->getModule()->getDataLayout();
  auto *i64 = llvm::Type::getInt64Ty(loop.getHeader()->getContext());
  bool touchesHeap = false;
  AccessGroups groups(se);
  for (auto *block : loop.blocks())
    for (auto &inst : *block) {
      if (auto *call = llvm::dyn_cast<llvm::CallBase>(&inst)) {
        if (!llvm::isa<llvm::IntrinsicInst>(call) || call->mayWriteToMemory() || call->mayThrow())
          return false;
        continue;
      }
      if (inst.isAtomic()) return false;
      auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst);
      auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst);
      if (!load && !store) {
        if (inst.mayWriteToMemory()) return false;
        continue;
      }
      auto *memoryTag = inst.getMetadata(HeapMemoryMetadata);
      if (!memoryTag) {
        if (inst.isVolatile()) candidate.devolatilized.push_back(&inst);
        continue;
      }
      touchesHeap = true;
      uint32_t memory = uint32_t(
          llvm::mdconst::extract<llvm::ConstantInt>(memoryTag->getOperand(0))->getZExtValue());
      llvm::Value *pointer = llvm::getLoadStorePointerOperand(&inst);
      llvm::Type *type = load ? load->getType() : store->getValueOperand()->getType();
      const llvm::SCEV *bytes = se.getConstant(i64, layout.getTypeStoreSize(type).getFixedValue());
      const llvm::SCEV *address = se.getSCEV(pointer);
      const llvm::SCEV *base = se.getPointerBase(address);
      if (!llvm::isa<llvm::SCEVUnknown>(base) || !se.isLoopInvariant(base, &loop)) return false;
      const llvm::SCEV *offset = se.getMinusSCEV(address, base);
      if (llvm::isa<llvm::SCEVCouldNotCompute>(offset) || offset->getType() != i64) return false;
      auto affine = requirements.inBounds(se.getAddExpr(offset, bytes), nullptr, memory);
      if (!affine) return false;
      candidate.devolatilized.push_back(&inst);
      const llvm::SCEV *start = se.getMinusSCEV(affine->first, bytes);
      groups.add(&inst, store != nullptr, memory, start, bytes, affine->step);
      if (se.isLoopInvariant(offset, &loop)) continue;
      // In the copy no offset wraps, so each is a recurrence of 64 bits
      // whose values stay within [0, 2^33): it wraps neither way.
      const llvm::SCEV *recurrence = se.getAddRecExpr(
          start, affine->step, &loop,
          llvm::ScalarEvolution::setFlags(llvm::SCEV::FlagNW, llvm::SCEV::FlagNSW));
      const llvm::SCEV *newPointer = se.getAddExpr(base, recurrence);
      if (!expander.isSafeToExpandAt(newPointer, &inst)) return false;
      candidate.rewrites.push_back({&inst, newPointer});
    }
  if (!touchesHeap) return false;
  candidate.aliasGroups = groups.requireDisjoint(requirements);
  return true;
}

// Emits, before `loop`, the condition under which none of its accesses can
// be out of bounds, and collects what the copy changes.
std::optional<Candidate> prepare(llvm::Loop &loop, bool checked, llvm::ScalarEvolution &se,
                                 const llvm::TargetTransformInfo &tti, llvm::DominatorTree &dt,
                                 llvm::LoopInfo &li) {
  llvm::BasicBlock *preheader = loop.getLoopPreheader();
  if (!preheader || !loop.isLoopSimplifyForm() ||
      instructionCount(loop) > MaxVersionedLoopInstructions)
    return std::nullopt;
  const llvm::SCEV *btc = se.getSymbolicMaxBackedgeTakenCount(&loop);
  if (llvm::isa<llvm::SCEVCouldNotCompute>(btc)) return std::nullopt;
  auto *i64 = llvm::Type::getInt64Ty(preheader->getContext());
  if (btc->getType()->getIntegerBitWidth() > 64) return std::nullopt;
  btc = se.getNoopOrZeroExtend(btc, i64);
  if (se.getUnsignedRangeMax(btc).ult(MinVersionedIterations - 1)) return std::nullopt;
  // Below 2^32 iterations, first + btc * step cannot overflow 64 bits.
  bool btcIsSmall = se.getUnsignedRangeMax(btc).ult(llvm::APInt(64, 1) << 32);

  Requirements requirements(loop, se, btc);
  Candidate candidate;
  candidate.loop = &loop;
  llvm::SCEVExpander expander(se, preheader->getModule()->getDataLayout(), "bounds");
  bool found = checked ? collectChecks(loop, se, requirements, candidate)
                       : collectAccesses(loop, se, requirements, expander, candidate);
  if (!found || !expander.isSafeToExpandAt(btc, preheader->getTerminator())) return std::nullopt;
  // The preheader becomes a guard that sends short runs to the original
  // loop, for which the test would cost more than the copy saves; the test
  // goes in a block of its own.
  llvm::BasicBlock *checks =
      llvm::SplitBlock(preheader, preheader->getTerminator(), &dt, &li, nullptr, "heap.checks");
  auto *guardEnd = preheader->getTerminator();
  candidate.guard = preheader;
  candidate.longEnough = llvm::IRBuilder<>(guardEnd).CreateICmpUGE(
      expander.expandCodeFor(btc, i64, guardEnd),
      llvm::ConstantInt::get(i64, MinVersionedIterations - 1));
  candidate.allInBounds = requirements.expand(btcIsSmall, tti, expander, checks->getTerminator());
  if (!candidate.allInBounds) return std::nullopt;
  for (const auto &[access, pointer] : candidate.rewrites)
    candidate.newPointers.push_back(
        {access, expander.expandCodeFor(
                     pointer, llvm::getLoadStorePointerOperand(access)->getType(), access)});
  return candidate;
}

// Runs the copy of the candidate's loop in which no access can trap when
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
  auto copyOf = [&](llvm::Value *value) {
    auto mapped = map.find(value);
    return mapped == map.end() ? value : static_cast<llvm::Value *>(mapped->second);
  };
  for (auto *access : candidate.devolatilized) {
    auto *copy = llvm::cast<llvm::Instruction>(copyOf(access));
    if (auto *load = llvm::dyn_cast<llvm::LoadInst>(copy)) load->setVolatile(false);
    if (auto *store = llvm::dyn_cast<llvm::StoreInst>(copy)) store->setVolatile(false);
  }
  llvm::SmallVector<llvm::WeakTrackingVH, 8> unused;
  for (auto [access, pointer] : candidate.newPointers) {
    auto *copy = llvm::cast<llvm::Instruction>(copyOf(access));
    unsigned operand = llvm::isa<llvm::LoadInst>(copy) ? llvm::LoadInst::getPointerOperandIndex()
                                                       : llvm::StoreInst::getPointerOperandIndex();
    copy->setOperand(operand, copyOf(pointer));
    unused.push_back(pointer);
  }
  // The original keeps its own pointers.
  llvm::RecursivelyDeleteTriviallyDeadInstructionsPermissive(unused);
  llvm::MDBuilder md(context);
  if (!candidate.aliasGroups.empty()) {
    llvm::MDNode *domain = md.createAnonymousAliasScopeDomain("lucet.heap.loop");
    std::vector<llvm::Metadata *> scopes;
    for (size_t g = 0; g < candidate.aliasGroups.size(); ++g)
      scopes.push_back(md.createAnonymousAliasScope(domain));
    for (size_t g = 0; g < candidate.aliasGroups.size(); ++g) {
      std::vector<llvm::Metadata *> others = scopes;
      others.erase(others.begin() + ptrdiff_t(g));
      auto *scope = llvm::MDNode::get(context, scopes[g]);
      auto *noalias = llvm::MDNode::get(context, others);
      for (auto *access : candidate.aliasGroups[g]) {
        auto *copy = llvm::cast<llvm::Instruction>(copyOf(access));
        copy->setMetadata(
            llvm::LLVMContext::MD_alias_scope,
            llvm::MDNode::concatenate(copy->getMetadata(llvm::LLVMContext::MD_alias_scope), scope));
        copy->setMetadata(
            llvm::LLVMContext::MD_noalias,
            llvm::MDNode::concatenate(copy->getMetadata(llvm::LLVMContext::MD_noalias), noalias));
      }
    }
  }
  auto *oldTerminator = checkBlock->getTerminator();
  llvm::BranchInst::Create(fast->getLoopPreheader(), checkedPreheader, candidate.allInBounds,
                           checkBlock)
      ->setMetadata(llvm::LLVMContext::MD_prof, md.createBranchWeights(1 << 20, 1));
  oldTerminator->eraseFromParent();
  auto *guardEnd = candidate.guard->getTerminator();
  llvm::BranchInst::Create(checkBlock, checkedPreheader, candidate.longEnough, candidate.guard);
  guardEnd->eraseFromParent();
  dt.recalculate(*checkBlock->getParent());
}

} // namespace

llvm::PreservedAnalyses HeapLoopVersioningPass::run(llvm::Function &function,
                                                    llvm::FunctionAnalysisManager &analyses) {
  auto &li = analyses.getResult<llvm::LoopAnalysis>(function);
  if (li.empty()) return llvm::PreservedAnalyses::all();
  auto &se = analyses.getResult<llvm::ScalarEvolutionAnalysis>(function);
  auto &dt = analyses.getResult<llvm::DominatorTreeAnalysis>(function);
  auto &tti = analyses.getResult<llvm::TargetIRAnalysis>(function);
  bool checked = function.getParent()->getModuleFlag(BoundsCheckedFlag) != nullptr;
  // First every condition, while ScalarEvolution still describes the
  // function; then the copies, which leave it stale.
  std::vector<Candidate> candidates;
  for (llvm::Loop *loop : li.getLoopsInPreorder()) {
    if (candidates.size() == MaxVersionedLoopsPerFunction) break;
    if (!loop->isInnermost()) continue;
    if (auto candidate = prepare(*loop, checked, se, tti, dt, li))
      candidates.push_back(std::move(*candidate));
  }
  if (candidates.empty()) return llvm::PreservedAnalyses::all();
  for (auto &candidate : candidates) version(candidate, dt, li);
  return llvm::PreservedAnalyses::none();
}

} // namespace lucet::compiler
