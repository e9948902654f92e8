#include "wasm/Validator.h"

#include "wasm/Subtyping.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <set>

namespace lucet::wasm {

namespace {

// How the generic rows of Opcodes.def type their operands. Control and
// special rows are validated by hand.
enum class RowKind : uint8_t {
  Other,
  Load,
  Store,
  Unary,
  Binary,
  ExtractLane,
  ReplaceLane,
  LoadLane,
  StoreLane,
  Shift
};

struct RowInfo {
  RowKind kind;
  ValType result; // Load: loaded type; Store: stored type; ExtractLane: the lane's type
  ValType param;  // ReplaceLane: the lane's type
  uint8_t bytes;  // Load/Store/LoadLane/StoreLane access width
  uint8_t lanes;  // lane-indexed rows: the lane count the immediate must stay below
};

constexpr RowInfo Rows[] = {
#define WASM_OPCODE(Name, Prefix, Code, Imm, Text)                                                 \
  {RowKind::Other, ValType::I32, ValType::I32, 0, 0},
#define WASM_LOAD(Name, Prefix, Code, Result, Bytes, Text)                                         \
  {RowKind::Load, ValType::Result, ValType::I32, Bytes, 0},
#define WASM_STORE(Name, Prefix, Code, Type, Bytes, Text)                                          \
  {RowKind::Store, ValType::Type, ValType::I32, Bytes, 0},
#define WASM_UNARY(Name, Prefix, Code, Result, Param, Text)                                        \
  {RowKind::Unary, ValType::Result, ValType::Param, 0, 0},
#define WASM_BINARY(Name, Prefix, Code, Result, Param, Text)                                       \
  {RowKind::Binary, ValType::Result, ValType::Param, 0, 0},
#define WASM_SIMD_EXTRACT_LANE(Name, Code, Result, Lanes, Text)                                    \
  {RowKind::ExtractLane, ValType::Result, ValType::V128, 0, Lanes},
#define WASM_SIMD_REPLACE_LANE(Name, Code, Param, Lanes, Text)                                     \
  {RowKind::ReplaceLane, ValType::V128, ValType::Param, 0, Lanes},
#define WASM_SIMD_LOAD_LANE(Name, Code, Bytes, Text)                                               \
  {RowKind::LoadLane, ValType::V128, ValType::I32, Bytes, 16 / Bytes},
#define WASM_SIMD_STORE_LANE(Name, Code, Bytes, Text)                                              \
  {RowKind::StoreLane, ValType::V128, ValType::I32, Bytes, 16 / Bytes},
#define WASM_SIMD_SHIFT(Name, Code, Text) {RowKind::Shift, ValType::V128, ValType::V128, 0, 0},
#include "wasm/Opcodes.def"
};
static_assert(std::size(Rows) == size_t(Opcode::Count));

// Operand types as tracked on the validation stack; Unknown is the bottom
// type produced by popping from the polymorphic stack of unreachable code.
using StackType = std::optional<ValType>;
constexpr std::nullopt_t Unknown = std::nullopt;

std::string stackTypeName(StackType t) {
  return t ? valTypeName(*t) : "unknown";
}

bool isRef(StackType t) {
  return t && t->isRef();
}

std::string limitsDetail(const Limits &limits) {
  return limits.max ? fmt::format("min {} max {}", limits.min, *limits.max)
                    : fmt::format("min {}", limits.min);
}

class FunctionValidator {
public:
  FunctionValidator(const Module &module, const Subtyping &types, uint32_t funcIndex,
                    const Function &func, const std::vector<bool> &declared)
      : m_(module), types_(types), funcIndex_(funcIndex), func_(func), declared_(declared) {}

  Status run();

private:
  struct Frame {
    Opcode op;
    std::vector<ValType> params;
    std::vector<ValType> results;
    size_t height;
    bool unreachable;
    uint32_t offset;
    size_t initHeight; // entries of initialized_ when the block began
  };

  Error fail(size_t offset, const std::string &reason) const;
  Error inFunction(const Error &error) const;
  Status step(const Instruction &ins);

  void push(StackType t) { vals_.push_back(t); }
  void pushVals(const std::vector<ValType> &types) {
    for (ValType t : types) vals_.push_back(t);
  }
  Expected<StackType> popRef();
  Expected<StackType> popAny();
  Status pop(ValType expected);
  Status popVals(const std::vector<ValType> &types);
  void pushCtrl(Opcode op, std::vector<ValType> params, std::vector<ValType> results);
  Expected<Frame> popCtrl();
  const std::vector<ValType> &labelTypes(const Frame &f) const {
    return f.op == Opcode::Loop ? f.params : f.results;
  }
  void setUnreachable() {
    vals_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }

  Expected<const Frame *> label(uint32_t depth);
  Expected<ValType> localType(uint32_t index);
  Status checkType(ValType t);
  Status checkLocalSet(uint32_t index);
  void resetLocals(size_t height);
  Status checkMemory(uint32_t index);
  // The address type of a memory or table the instruction already checked.
  ValType memoryAddress(uint32_t index) const { return m_.memories[index].addressType(); }
  ValType tableAddress(uint32_t index) const { return m_.tables[index].addressType(); }
  // memory.copy and table.copy: the length is 64-bit only between two 64-bit spaces.
  static ValType copyLength(ValType a, ValType b) {
    return a == ValType::I64 && b == ValType::I64 ? ValType::I64 : ValType::I32;
  }
  Expected<const TableType *> table(uint32_t index);
  Expected<const FuncType *> type(uint32_t index);
  Expected<const FuncType *> tag(uint32_t index);
  Status checkCatchClause(const CatchClause &clause);
  // After a call's arguments: its results on the stack, or for a tail call
  // (return_call and its kin) the callee's results as the function's own.
  Status callReturns(const Instruction &ins, const FuncType &callee);
  Expected<FuncType> blockType(const BlockType &bt);
  Status checkDataCount();
  Status checkAlignment(unsigned bytes);
  Status checkLane(unsigned lane, unsigned lanes);

  const Module &m_;
  const Subtyping &types_;
  uint32_t funcIndex_;
  const Function &func_;
  const std::vector<bool> &declared_;
  const Instruction *ins_ = nullptr;

  std::vector<StackType> vals_;
  std::vector<Frame> ctrls_;
  // Locals as runs: the exclusive end index of each run and its type, so that
  // a declared count near 2^32 costs nothing.
  std::vector<std::pair<uint64_t, ValType>> localRuns_;
  // Non-defaultable locals (3.0's non-nullable references) must be set
  // before they are read, and a set only counts until the end of its block:
  // the ones set so far, in order, and whether each index is set.
  std::vector<uint32_t> initialized_;
  std::vector<bool> isInitialized_;
  uint64_t firstNonDefaultable_ = UINT64_MAX; // no local below it needs tracking
};

Error FunctionValidator::fail(size_t offset, const std::string &reason) const {
  std::string name = m_.functionDisplayName(funcIndex_);
  std::string plain = fmt::format("func[{}]", funcIndex_);
  if (name == plain)
    return Error::format("at offset {:#x}: in function {}: {}", offset, plain, reason);
  return Error::format("at offset {:#x}: in function {} ({}): {}", offset, name, plain, reason);
}

// Decoding errors already start with "at offset 0x...: "; the function
// context goes after the offset so every body error has the same shape.
Error FunctionValidator::inFunction(const Error &error) const {
  const std::string &msg = error.message();
  const std::string prefix = "at offset ";
  if (msg.rfind(prefix, 0) == 0) {
    size_t colon = msg.find(": ");
    size_t digits = prefix.size() + 2; // skip "0x"
    size_t offset = 0;
    if (colon != std::string::npos && colon > digits &&
        std::from_chars(msg.data() + digits, msg.data() + colon, offset, 16).ec == std::errc())
      return fail(offset, msg.substr(colon + 2));
  }
  return fail(func_.bodyOffset, msg);
}

Expected<StackType> FunctionValidator::popAny() {
  Frame &f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return StackType();
    return fail(ins_->offset, fmt::format("type mismatch: {} expects an operand but the stack is "
                                          "empty",
                                          opcodeName(ins_->op)));
  }
  StackType t = vals_.back();
  vals_.pop_back();
  return t;
}

Status FunctionValidator::pop(ValType expected) {
  Frame &f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return Status::ok();
    return fail(ins_->offset, fmt::format("type mismatch: {} expects {} but the stack is empty",
                                          opcodeName(ins_->op), valTypeName(expected)));
  }
  StackType actual = vals_.back();
  vals_.pop_back();
  if (actual && !types_.isSubtype(*actual, expected))
    return fail(ins_->offset,
                fmt::format("type mismatch: {} expects {} but found {}", opcodeName(ins_->op),
                            valTypeName(expected), stackTypeName(actual)));
  return Status::ok();
}

Status FunctionValidator::popVals(const std::vector<ValType> &types) {
  for (size_t i = types.size(); i-- > 0;) LUCET_TRY(pop(types[i]));
  return Status::ok();
}

void FunctionValidator::pushCtrl(Opcode op, std::vector<ValType> params,
                                 std::vector<ValType> results) {
  ctrls_.push_back(Frame{op, std::move(params), std::move(results), vals_.size(), false,
                         ins_ ? ins_->offset : func_.bodyOffset, initialized_.size()});
  pushVals(ctrls_.back().params);
}

Expected<FunctionValidator::Frame> FunctionValidator::popCtrl() {
  const Frame &f = ctrls_.back();
  LUCET_TRY(popVals(f.results));
  if (vals_.size() != f.height)
    return fail(ins_->offset,
                fmt::format("type mismatch: {} value(s) left on the stack at the end of the "
                            "block, which expects {}",
                            vals_.size() - f.height,
                            f.results.empty() ? std::string("none")
                                              : funcTypeString(FuncType{{}, f.results})));
  Frame frame = std::move(ctrls_.back());
  ctrls_.pop_back();
  resetLocals(frame.initHeight);
  return frame;
}

void FunctionValidator::resetLocals(size_t height) {
  while (initialized_.size() > height) {
    isInitialized_[initialized_.back() - firstNonDefaultable_] = false;
    initialized_.pop_back();
  }
}

Expected<StackType> FunctionValidator::popRef() {
  LUCET_ASSIGN_OR_RETURN(t, popAny());
  if (t && !t->isRef())
    return fail(ins_->offset, fmt::format("type mismatch: {} expects a reference but found {}",
                                          opcodeName(ins_->op), stackTypeName(t)));
  return t;
}

Status FunctionValidator::checkType(ValType t) {
  if (Status s = types_.checkValType(t); !s) return fail(ins_->offset, s.error().message());
  return Status::ok();
}

Status FunctionValidator::checkLocalSet(uint32_t index) {
  if (index < firstNonDefaultable_) return Status::ok();
  size_t slot = index - firstNonDefaultable_;
  if (slot < isInitialized_.size() && !isInitialized_[slot]) {
    LUCET_ASSIGN_OR_RETURN(t, localType(index));
    if (!t.defaultable()) {
      isInitialized_[slot] = true;
      initialized_.push_back(index);
    }
  }
  return Status::ok();
}

Expected<const FunctionValidator::Frame *> FunctionValidator::label(uint32_t depth) {
  if (depth >= ctrls_.size())
    return fail(ins_->offset,
                fmt::format("unknown label {}: only {} enclosing block(s)", depth, ctrls_.size()));
  return &ctrls_[ctrls_.size() - 1 - depth];
}

Expected<ValType> FunctionValidator::localType(uint32_t index) {
  auto it = std::upper_bound(localRuns_.begin(), localRuns_.end(), uint64_t(index),
                             [](uint64_t i, const auto &run) { return i < run.first; });
  if (it == localRuns_.end()) return fail(ins_->offset, fmt::format("unknown local {}", index));
  return it->second;
}

Status FunctionValidator::checkMemory(uint32_t index) {
  if (index >= m_.memories.size())
    return fail(ins_->offset,
                fmt::format("unknown memory {}: {} needs a memory", index, opcodeName(ins_->op)));
  return Status::ok();
}

Expected<const TableType *> FunctionValidator::table(uint32_t index) {
  if (index >= m_.tables.size()) return fail(ins_->offset, fmt::format("unknown table {}", index));
  return &m_.tables[index];
}

Expected<const FuncType *> FunctionValidator::type(uint32_t index) {
  if (index >= m_.types.size()) return fail(ins_->offset, fmt::format("unknown type {}", index));
  return &m_.types[index];
}

Expected<const FuncType *> FunctionValidator::tag(uint32_t index) {
  if (index >= m_.tagTypeIndices.size())
    return fail(ins_->offset, fmt::format("unknown tag {}", index));
  return &m_.types[m_.tagTypeIndices[index]];
}

// A try_table handler hands its label the tag's values, then (for the _ref
// kinds) the caught exception as a non-null exnref. Checked in the context
// outside the try_table.
static std::string typeListName(const std::vector<ValType> &types) {
  std::string text = "[";
  for (size_t i = 0; i < types.size(); ++i) text += (i ? " " : "") + valTypeName(types[i]);
  return text + "]";
}

Status FunctionValidator::callReturns(const Instruction &ins, const FuncType &callee) {
  if (!isTailCallOpcode(ins.op)) {
    pushVals(callee.results);
    return Status::ok();
  }
  const std::vector<ValType> &results = ctrls_.front().results;
  bool fits = callee.results.size() == results.size();
  for (size_t i = 0; fits && i < results.size(); ++i)
    fits = types_.isSubtype(callee.results[i], results[i]);
  if (!fits)
    return fail(ins.offset, fmt::format("type mismatch: a tail call returns {} but the function "
                                        "returns {}",
                                        typeListName(callee.results), typeListName(results)));
  setUnreachable();
  return Status::ok();
}

Status FunctionValidator::checkCatchClause(const CatchClause &clause) {
  std::vector<ValType> passed;
  if (clause.takesTag()) {
    LUCET_ASSIGN_OR_RETURN(t, tag(clause.tag));
    passed = t->params;
  }
  if (clause.passesExnRef()) passed.push_back(ValType::ref(AbsHeap::Exn, false));
  LUCET_ASSIGN_OR_RETURN(target, label(clause.label));
  const std::vector<ValType> &expected = labelTypes(*target);
  if (passed.size() != expected.size() || !types_.allSubtypes(passed, expected))
    return fail(ins_->offset,
                fmt::format("type mismatch: catch clause passes {} to label {} expecting {}",
                            funcTypeString(FuncType{{}, passed}), clause.label,
                            funcTypeString(FuncType{{}, expected})));
  return Status::ok();
}

Expected<FuncType> FunctionValidator::blockType(const BlockType &bt) {
  if (bt.kind == BlockType::Kind::TypeIndex && bt.typeIndex >= m_.types.size())
    return fail(ins_->offset, fmt::format("unknown type {}", bt.typeIndex));
  if (bt.kind == BlockType::Kind::Value) LUCET_TRY(checkType(bt.type));
  return blockSignature(m_, bt);
}

Status FunctionValidator::checkDataCount() {
  size_t numDatas = m_.dataCount ? *m_.dataCount : m_.datas.size();
  if (ins_->index >= numDatas)
    return fail(ins_->offset, fmt::format("unknown data segment {}", ins_->index));
  // Single-pass compilers need the segment count before the code section.
  if (!m_.dataCount)
    return fail(ins_->offset,
                fmt::format("data count section required for {}", opcodeName(ins_->op)));
  return Status::ok();
}

Status FunctionValidator::checkAlignment(unsigned bytes) {
  // A 32-bit memory's offsets stop at 2^32 - 1 (2.0's encoding cannot say
  // more; 3.0's can, and it is invalid).
  if (!m_.memories[ins_->memArg.memory].limits.is64 && ins_->memArg.offset > UINT32_MAX)
    return fail(ins_->offset, fmt::format("offset out of range: {} has offset {:#x}, more than a "
                                          "32-bit memory's 2^32-1",
                                          opcodeName(ins_->op), ins_->memArg.offset));
  unsigned natural = unsigned(std::countr_zero(bytes));
  if (ins_->memArg.alignLog2 > natural)
    return fail(ins_->offset, fmt::format("alignment must not be larger than natural: {} has "
                                          "alignment 2^{} but accesses {} byte(s)",
                                          opcodeName(ins_->op), ins_->memArg.alignLog2, bytes));
  return Status::ok();
}

Status FunctionValidator::checkLane(unsigned lane, unsigned lanes) {
  if (lane >= lanes)
    return fail(ins_->offset, fmt::format("invalid lane index: {} has lane {} but only {} lanes",
                                          opcodeName(ins_->op), lane, lanes));
  return Status::ok();
}

Status FunctionValidator::run() {
  const FuncType &sig = m_.types[func_.typeIndex];
  uint64_t end = 0;
  for (ValType t : sig.params) localRuns_.emplace_back(++end, t);
  for (const LocalRun &run : func_.locals) {
    if (Status s = types_.checkValType(run.type); !s)
      return fail(func_.bodyOffset, fmt::format("local type: {}", s.error().message()));
    if (!run.type.defaultable() && firstNonDefaultable_ == UINT64_MAX) firstNonDefaultable_ = end;
    end += run.count;
    localRuns_.emplace_back(end, run.type);
  }
  if (firstNonDefaultable_ != UINT64_MAX) isInitialized_.assign(end - firstNonDefaultable_, false);

  pushCtrl(Opcode::Block, {}, sig.results);
  InstructionReader reader(m_.functionBody(func_), func_.bodyOffset, m_.features);
  Instruction ins;
  ins_ = &ins;
  while (!ctrls_.empty()) {
    if (reader.atEnd())
      return fail(reader.offset(), "unexpected end of section or function: END opcode expected "
                                   "before the end of the body");
    if (Status s = reader.next(ins); !s) return inFunction(s.error());
    LUCET_TRY(step(ins));
  }
  if (!reader.atEnd())
    return fail(reader.offset(), fmt::format("section size mismatch: the body continues for {} "
                                             "byte(s) after the function's final end",
                                             func_.bodyEnd - reader.offset()));
  return Status::ok();
}

Status FunctionValidator::step(const Instruction &ins) {
  const RowInfo &row = Rows[size_t(ins.op)];
  switch (row.kind) {
  case RowKind::Unary:
    LUCET_TRY(pop(row.param));
    push(StackType(row.result));
    return Status::ok();
  case RowKind::Binary:
    LUCET_TRY(pop(row.param));
    LUCET_TRY(pop(row.param));
    push(StackType(row.result));
    return Status::ok();
  case RowKind::Load:
  case RowKind::Store: {
    LUCET_TRY(checkMemory(ins.memArg.memory));
    LUCET_TRY(checkAlignment(row.bytes));
    if (row.kind == RowKind::Load) {
      LUCET_TRY(pop(memoryAddress(ins.memArg.memory)));
      push(StackType(row.result));
    } else {
      LUCET_TRY(pop(row.result));
      LUCET_TRY(pop(memoryAddress(ins.memArg.memory)));
    }
    return Status::ok();
  }
  case RowKind::LoadLane:
  case RowKind::StoreLane:
    LUCET_TRY(checkMemory(ins.memArg.memory));
    LUCET_TRY(checkAlignment(row.bytes));
    LUCET_TRY(checkLane(ins.lane, row.lanes));
    LUCET_TRY(pop(ValType::V128));
    LUCET_TRY(pop(memoryAddress(ins.memArg.memory)));
    if (row.kind == RowKind::LoadLane) push(StackType(ValType::V128));
    return Status::ok();
  case RowKind::ExtractLane:
    LUCET_TRY(checkLane(ins.lane, row.lanes));
    LUCET_TRY(pop(ValType::V128));
    push(StackType(row.result));
    return Status::ok();
  case RowKind::ReplaceLane:
    LUCET_TRY(checkLane(ins.lane, row.lanes));
    LUCET_TRY(pop(row.param));
    LUCET_TRY(pop(ValType::V128));
    push(StackType(ValType::V128));
    return Status::ok();
  case RowKind::Shift:
    LUCET_TRY(pop(ValType::I32));
    LUCET_TRY(pop(ValType::V128));
    push(StackType(ValType::V128));
    return Status::ok();
  case RowKind::Other:
    break;
  }

  switch (ins.op) {
  case Opcode::Unreachable:
    setUnreachable();
    return Status::ok();
  case Opcode::Nop:
    return Status::ok();
  case Opcode::Block:
  case Opcode::Loop: {
    LUCET_ASSIGN_OR_RETURN(sig, blockType(ins.blockType));
    LUCET_TRY(popVals(sig.params));
    pushCtrl(ins.op, std::move(sig.params), std::move(sig.results));
    return Status::ok();
  }
  case Opcode::If: {
    LUCET_ASSIGN_OR_RETURN(sig, blockType(ins.blockType));
    LUCET_TRY(pop(ValType::I32));
    LUCET_TRY(popVals(sig.params));
    pushCtrl(ins.op, std::move(sig.params), std::move(sig.results));
    return Status::ok();
  }
  case Opcode::Try: {
    LUCET_ASSIGN_OR_RETURN(sig, blockType(ins.blockType));
    LUCET_TRY(popVals(sig.params));
    pushCtrl(ins.op, std::move(sig.params), std::move(sig.results));
    return Status::ok();
  }
  case Opcode::TryTable: {
    LUCET_ASSIGN_OR_RETURN(sig, blockType(ins.blockType));
    for (const CatchClause &clause : ins.catches) LUCET_TRY(checkCatchClause(clause));
    LUCET_TRY(popVals(sig.params));
    pushCtrl(ins.op, std::move(sig.params), std::move(sig.results));
    return Status::ok();
  }
  case Opcode::Catch:
  case Opcode::CatchAll: {
    Opcode open = ctrls_.back().op;
    if (open != Opcode::Try && open != Opcode::Catch)
      return fail(ins.offset, fmt::format("{} without a matching try", opcodeName(ins.op)));
    std::vector<ValType> params;
    if (ins.op == Opcode::Catch) {
      LUCET_ASSIGN_OR_RETURN(t, tag(ins.index));
      params = t->params;
    }
    LUCET_ASSIGN_OR_RETURN(frame, popCtrl());
    pushCtrl(ins.op, std::move(params), std::move(frame.results));
    return Status::ok();
  }
  case Opcode::Delegate: {
    if (ctrls_.back().op != Opcode::Try) return fail(ins.offset, "delegate without a matching try");
    LUCET_ASSIGN_OR_RETURN(frame, popCtrl());
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    (void)target;
    pushVals(frame.results);
    return Status::ok();
  }
  case Opcode::Throw: {
    LUCET_ASSIGN_OR_RETURN(t, tag(ins.index));
    LUCET_TRY(popVals(t->params));
    setUnreachable();
    return Status::ok();
  }
  case Opcode::ThrowRef:
    LUCET_TRY(pop(ValType::ref(AbsHeap::Exn, true)));
    setUnreachable();
    return Status::ok();
  case Opcode::Rethrow: {
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    if (target->op != Opcode::Catch && target->op != Opcode::CatchAll)
      return fail(ins.offset,
                  fmt::format("invalid rethrow label {}: not a catch block", ins.index));
    setUnreachable();
    return Status::ok();
  }
  case Opcode::Else: {
    if (ctrls_.back().op != Opcode::If) return fail(ins.offset, "else without a matching if");
    LUCET_ASSIGN_OR_RETURN(frame, popCtrl());
    pushCtrl(Opcode::Else, std::move(frame.params), std::move(frame.results));
    return Status::ok();
  }
  case Opcode::End: {
    LUCET_ASSIGN_OR_RETURN(frame, popCtrl());
    if (frame.op == Opcode::If) {
      // An if without else behaves as if its else arm were empty, which only
      // type checks when the block's parameters are its results.
      if (!types_.allSubtypes(frame.params, frame.results))
        return fail(ins.offset,
                    fmt::format("type mismatch: if without else must have matching parameters "
                                "and results, but has {}",
                                funcTypeString(FuncType{frame.params, frame.results})));
    }
    pushVals(frame.results);
    return Status::ok();
  }
  case Opcode::Br: {
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    LUCET_TRY(popVals(labelTypes(*target)));
    setUnreachable();
    return Status::ok();
  }
  case Opcode::BrIf: {
    LUCET_TRY(pop(ValType::I32));
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    std::vector<ValType> types = labelTypes(*target);
    LUCET_TRY(popVals(types));
    pushVals(types);
    return Status::ok();
  }
  case Opcode::BrTable: {
    LUCET_TRY(pop(ValType::I32));
    LUCET_ASSIGN_OR_RETURN(defaultTarget, label(ins.brTargets.back()));
    std::vector<ValType> defaultTypes = labelTypes(*defaultTarget);
    size_t arity = defaultTypes.size();
    // Each distinct target once: checking every entry against a label of
    // many values would cost entries times values.
    std::vector<uint32_t> depths(ins.brTargets.begin(), ins.brTargets.end() - 1);
    std::sort(depths.begin(), depths.end());
    depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
    for (uint32_t depth : depths) {
      LUCET_ASSIGN_OR_RETURN(target, label(depth));
      const std::vector<ValType> &types = labelTypes(*target);
      if (types.size() != arity)
        return fail(ins.offset, fmt::format("type mismatch: br_table target {} has {} value(s) "
                                            "but the default target has {}",
                                            depth, types.size(), arity));
      // Pop and restore, keeping whatever the polymorphic stack produced.
      std::vector<StackType> popped(types.size());
      for (size_t k = types.size(); k-- > 0;) {
        StackType top = vals_.size() > ctrls_.back().height ? vals_.back() : Unknown;
        LUCET_TRY(pop(types[k]));
        popped[k] = top;
      }
      for (StackType t : popped) push(t);
    }
    LUCET_TRY(popVals(defaultTypes));
    setUnreachable();
    return Status::ok();
  }
  case Opcode::Return:
    LUCET_TRY(popVals(ctrls_.front().results));
    setUnreachable();
    return Status::ok();
  case Opcode::Call:
  case Opcode::ReturnCall: {
    if (ins.index >= m_.funcTypeIndices.size())
      return fail(ins.offset, fmt::format("unknown function {}", ins.index));
    const FuncType &callee = m_.funcType(ins.index);
    LUCET_TRY(popVals(callee.params));
    return callReturns(ins, callee);
  }
  case Opcode::CallRef:
  case Opcode::ReturnCallRef: {
    LUCET_ASSIGN_OR_RETURN(callee, type(ins.index));
    LUCET_TRY(pop(ValType::ref(HeapType::concrete(ins.index), true)));
    LUCET_TRY(popVals(callee->params));
    return callReturns(ins, *callee);
  }
  case Opcode::BrOnNull: {
    LUCET_ASSIGN_OR_RETURN(operand, popRef());
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    std::vector<ValType> types = labelTypes(*target);
    LUCET_TRY(popVals(types));
    pushVals(types);
    push(operand ? StackType(ValType::ref(operand->heap(), false)) : Unknown);
    return Status::ok();
  }
  case Opcode::BrOnNonNull: {
    LUCET_ASSIGN_OR_RETURN(operand, popRef());
    LUCET_ASSIGN_OR_RETURN(target, label(ins.index));
    std::vector<ValType> types = labelTypes(*target);
    if (types.empty() || !types.back().isRef())
      return fail(ins.offset, fmt::format("type mismatch: br_on_non_null needs a label whose last "
                                          "value is a reference, label {} has {}",
                                          ins.index, funcTypeString(FuncType{{}, types})));
    if (operand && !types_.isSubtype(ValType::ref(operand->heap(), false), types.back()))
      return fail(ins.offset, fmt::format("type mismatch: br_on_non_null passes {} to a label "
                                          "expecting {}",
                                          valTypeName(ValType::ref(operand->heap(), false)),
                                          valTypeName(types.back())));
    types.pop_back();
    LUCET_TRY(popVals(types));
    pushVals(types);
    return Status::ok();
  }
  case Opcode::CallIndirect:
  case Opcode::ReturnCallIndirect: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index2));
    if (!types_.isSubtype(tab->elemType, ValType::FuncRef))
      return fail(ins.offset,
                  fmt::format("type mismatch: {} needs a funcref table but table {} "
                              "holds {}",
                              opcodeName(ins.op), ins.index2, valTypeName(tab->elemType)));
    LUCET_ASSIGN_OR_RETURN(callee, type(ins.index));
    LUCET_TRY(pop(tab->addressType()));
    LUCET_TRY(popVals(callee->params));
    return callReturns(ins, *callee);
  }
  case Opcode::Drop: {
    LUCET_ASSIGN_OR_RETURN(t, popAny());
    (void)t;
    return Status::ok();
  }
  case Opcode::Select: {
    LUCET_TRY(pop(ValType::I32));
    LUCET_ASSIGN_OR_RETURN(t1, popAny());
    LUCET_ASSIGN_OR_RETURN(t2, popAny());
    if (isRef(t1) || isRef(t2))
      return fail(ins.offset, fmt::format("type mismatch: select without a type needs numeric "
                                          "operands, found {} and {}",
                                          stackTypeName(t2), stackTypeName(t1)));
    if (t1 && t2 && *t1 != *t2)
      return fail(ins.offset, fmt::format("type mismatch: select operands differ: {} and {}",
                                          stackTypeName(t2), stackTypeName(t1)));
    push(t1 ? t1 : t2);
    return Status::ok();
  }
  case Opcode::SelectT:
    LUCET_TRY(checkType(ins.valType));
    LUCET_TRY(pop(ValType::I32));
    LUCET_TRY(pop(ins.valType));
    LUCET_TRY(pop(ins.valType));
    push(StackType(ins.valType));
    return Status::ok();
  case Opcode::LocalGet: {
    LUCET_ASSIGN_OR_RETURN(t, localType(ins.index));
    if (ins.index >= firstNonDefaultable_ && !t.defaultable() &&
        !isInitialized_[ins.index - firstNonDefaultable_])
      return fail(ins.offset, fmt::format("uninitialized local: local {} of type {} is read before "
                                          "it is set",
                                          ins.index, valTypeName(t)));
    push(StackType(t));
    return Status::ok();
  }
  case Opcode::LocalSet: {
    LUCET_ASSIGN_OR_RETURN(t, localType(ins.index));
    LUCET_TRY(pop(t));
    return checkLocalSet(ins.index);
  }
  case Opcode::LocalTee: {
    LUCET_ASSIGN_OR_RETURN(t, localType(ins.index));
    LUCET_TRY(pop(t));
    LUCET_TRY(checkLocalSet(ins.index));
    push(StackType(t));
    return Status::ok();
  }
  case Opcode::GlobalGet:
  case Opcode::GlobalSet: {
    if (ins.index >= m_.globalTypes.size())
      return fail(ins.offset, fmt::format("unknown global {}", ins.index));
    const GlobalType &g = m_.globalTypes[ins.index];
    if (ins.op == Opcode::GlobalGet) {
      push(StackType(g.type));
      return Status::ok();
    }
    if (!g.isMutable)
      return fail(ins.offset, fmt::format("global is immutable: global.set {}", ins.index));
    return pop(g.type);
  }
  case Opcode::TableGet: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index));
    LUCET_TRY(pop(tab->addressType()));
    push(StackType(tab->elemType));
    return Status::ok();
  }
  case Opcode::TableSet: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index));
    LUCET_TRY(pop(tab->elemType));
    return pop(tab->addressType());
  }
  case Opcode::MemorySize:
    LUCET_TRY(checkMemory(ins.index));
    push(StackType(memoryAddress(ins.index)));
    return Status::ok();
  case Opcode::MemoryGrow:
    LUCET_TRY(checkMemory(ins.index));
    LUCET_TRY(pop(memoryAddress(ins.index)));
    push(StackType(memoryAddress(ins.index)));
    return Status::ok();
  case Opcode::I32Const:
    push(StackType(ValType::I32));
    return Status::ok();
  case Opcode::I64Const:
    push(StackType(ValType::I64));
    return Status::ok();
  case Opcode::F32Const:
    push(StackType(ValType::F32));
    return Status::ok();
  case Opcode::F64Const:
    push(StackType(ValType::F64));
    return Status::ok();
  case Opcode::V128Const:
    push(StackType(ValType::V128));
    return Status::ok();
  case Opcode::I8x16Shuffle:
    for (uint8_t lane : ins.v128) LUCET_TRY(checkLane(lane, 32));
    LUCET_TRY(pop(ValType::V128));
    LUCET_TRY(pop(ValType::V128));
    push(StackType(ValType::V128));
    return Status::ok();
  case Opcode::V128Bitselect:
  case Opcode::F32x4RelaxedMadd:
  case Opcode::F32x4RelaxedNmadd:
  case Opcode::F64x2RelaxedMadd:
  case Opcode::F64x2RelaxedNmadd:
  case Opcode::I8x16RelaxedLaneselect:
  case Opcode::I16x8RelaxedLaneselect:
  case Opcode::I32x4RelaxedLaneselect:
  case Opcode::I64x2RelaxedLaneselect:
  case Opcode::I32x4RelaxedDotI8x16I7x16AddS:
    LUCET_TRY(pop(ValType::V128));
    LUCET_TRY(pop(ValType::V128));
    LUCET_TRY(pop(ValType::V128));
    push(StackType(ValType::V128));
    return Status::ok();
  case Opcode::RefNull:
    LUCET_TRY(checkType(ins.valType));
    push(StackType(ins.valType));
    return Status::ok();
  case Opcode::RefIsNull: {
    LUCET_ASSIGN_OR_RETURN(t, popRef());
    (void)t;
    push(StackType(ValType::I32));
    return Status::ok();
  }
  case Opcode::RefAsNonNull: {
    LUCET_ASSIGN_OR_RETURN(t, popRef());
    push(t ? StackType(ValType::ref(t->heap(), false)) : Unknown);
    return Status::ok();
  }
  case Opcode::RefFunc:
    if (ins.index >= m_.funcTypeIndices.size())
      return fail(ins.offset, fmt::format("unknown function {}", ins.index));
    if (!declared_[ins.index])
      return fail(ins.offset, fmt::format("undeclared function reference: function {} is not "
                                          "named by an element segment, export or global",
                                          ins.index));
    push(StackType(ValType::ref(HeapType::concrete(m_.funcTypeIndices[ins.index]), false)));
    return Status::ok();
  case Opcode::MemoryInit:
    LUCET_TRY(checkMemory(ins.index2));
    LUCET_TRY(checkDataCount());
    LUCET_TRY(pop(ValType::I32));
    LUCET_TRY(pop(ValType::I32));
    return pop(memoryAddress(ins.index2));
  case Opcode::DataDrop:
    return checkDataCount();
  case Opcode::MemoryCopy:
    LUCET_TRY(checkMemory(ins.index));
    LUCET_TRY(checkMemory(ins.index2));
    LUCET_TRY(pop(copyLength(memoryAddress(ins.index), memoryAddress(ins.index2))));
    LUCET_TRY(pop(memoryAddress(ins.index2)));
    return pop(memoryAddress(ins.index));
  case Opcode::MemoryFill:
    LUCET_TRY(checkMemory(ins.index));
    LUCET_TRY(pop(memoryAddress(ins.index)));
    LUCET_TRY(pop(ValType::I32));
    return pop(memoryAddress(ins.index));
  case Opcode::TableInit: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index2));
    if (ins.index >= m_.elems.size())
      return fail(ins.offset, fmt::format("unknown elem segment {}", ins.index));
    if (!types_.isSubtype(m_.elems[ins.index].type, tab->elemType))
      return fail(ins.offset,
                  fmt::format("type mismatch: table.init of {} segment into {} table",
                              valTypeName(m_.elems[ins.index].type), valTypeName(tab->elemType)));
    LUCET_TRY(pop(ValType::I32));
    LUCET_TRY(pop(ValType::I32));
    return pop(tab->addressType());
  }
  case Opcode::ElemDrop:
    if (ins.index >= m_.elems.size())
      return fail(ins.offset, fmt::format("unknown elem segment {}", ins.index));
    return Status::ok();
  case Opcode::TableCopy: {
    LUCET_ASSIGN_OR_RETURN(dst, table(ins.index));
    LUCET_ASSIGN_OR_RETURN(src, table(ins.index2));
    if (!types_.isSubtype(src->elemType, dst->elemType))
      return fail(ins.offset, fmt::format("type mismatch: table.copy from {} table to {} table",
                                          valTypeName(src->elemType), valTypeName(dst->elemType)));
    LUCET_TRY(pop(copyLength(dst->addressType(), src->addressType())));
    LUCET_TRY(pop(src->addressType()));
    return pop(dst->addressType());
  }
  case Opcode::TableGrow: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index));
    LUCET_TRY(pop(tab->addressType()));
    LUCET_TRY(pop(tab->elemType));
    push(StackType(tab->addressType()));
    return Status::ok();
  }
  case Opcode::TableSize: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index));
    push(StackType(tab->addressType()));
    return Status::ok();
  }
  case Opcode::TableFill: {
    LUCET_ASSIGN_OR_RETURN(tab, table(ins.index));
    LUCET_TRY(pop(tab->addressType()));
    LUCET_TRY(pop(tab->elemType));
    return pop(tab->addressType());
  }
  default:
    return fail(ins.offset,
                fmt::format("{} is not supported by this validator", opcodeName(ins.op)));
  }
}

// Module-level rules. Messages lead with the spec's reason and name the
// entity at fault; constant expressions also carry their byte offset.
class ModuleValidator {
public:
  explicit ModuleValidator(const Module &m) : m_(m) {}
  Status run();

private:
  Status checkLimits(const Limits &limits, uint64_t bound, const std::string &what,
                     const char *boundReason);
  Status checkTable(const TableType &t, const std::string &what);
  Status checkMemory(const MemoryType &t, const std::string &what);
  Status checkConstExpr(const ConstExpr &e, ValType expected, size_t visibleGlobals,
                        const std::string &what);
  Expected<ValType> constType(const ConstExpr &e, size_t visibleGlobals, const std::string &what);
  // How many globals a constant expression may read: in the initializer of
  // defined global `i`, and in segments.
  size_t constantGlobalsBefore(size_t i) const {
    return m_.numImportedGlobals + (m_.features.constantGlobalsFromDefinitions ? i : 0);
  }
  size_t constantGlobalsInSegments() const {
    return m_.features.constantGlobalsFromDefinitions ? m_.globalTypes.size()
                                                      : m_.numImportedGlobals;
  }

  Status checkTypes();

  const Module &m_;
  std::optional<Subtyping> types_;
};

// Every value type the module states outside function bodies names a type
// that exists and a heap type this implementation supports.
Status ModuleValidator::checkTypes() {
  auto check = [&](ValType t, const std::string &what) -> Status {
    if (Status s = types_->checkValType(t); !s)
      return Error::format("{}: {}", what, s.error().message());
    return Status::ok();
  };
  for (const Import &imp : m_.imports) {
    std::string what = fmt::format("import \"{}\" \"{}\"", imp.module, imp.name);
    if (imp.kind == ExternKind::Table) LUCET_TRY(check(imp.table.elemType, what));
    if (imp.kind == ExternKind::Global) LUCET_TRY(check(imp.global.type, what));
  }
  for (size_t i = 0; i < m_.tables.size(); ++i)
    LUCET_TRY(check(m_.tables[i].elemType, fmt::format("table {}", i)));
  for (size_t i = 0; i < m_.globalTypes.size(); ++i)
    LUCET_TRY(check(m_.globalTypes[i].type, fmt::format("global {}", i)));
  for (size_t i = 0; i < m_.elems.size(); ++i)
    LUCET_TRY(check(m_.elems[i].type, fmt::format("elem segment {}", i)));
  return Status::ok();
}

Status ModuleValidator::checkLimits(const Limits &limits, uint64_t bound, const std::string &what,
                                    const char *boundReason) {
  if (limits.min > bound || (limits.max && *limits.max > bound))
    return Error::format("{}: {} ({})", what, boundReason, limitsDetail(limits));
  if (limits.max && limits.min > *limits.max)
    return Error::format("{}: size minimum must not be greater than maximum ({})", what,
                         limitsDetail(limits));
  return Status::ok();
}

Status ModuleValidator::checkTable(const TableType &t, const std::string &what) {
  if (t.limits.is64) return checkLimits(t.limits, UINT64_MAX, what, "table size");
  return checkLimits(t.limits, UINT32_MAX, what, "table size must be at most 2^32-1");
}

Status ModuleValidator::checkMemory(const MemoryType &t, const std::string &what) {
  if (t.limits.is64)
    return checkLimits(t.limits, MaxPages64, what, "memory size must be at most 2^48 pages");
  return checkLimits(t.limits, MaxPages, what, "memory size must be at most 65536 pages (4GiB)");
}

// The type one instruction of a constant expression pushes.
Expected<ValType> ModuleValidator::constType(const ConstExpr &e, size_t visibleGlobals,
                                             const std::string &what) {
  switch (e.kind) {
  case ConstExpr::Kind::I32Const:
    return ValType::I32;
  case ConstExpr::Kind::I64Const:
    return ValType::I64;
  case ConstExpr::Kind::F32Const:
    return ValType::F32;
  case ConstExpr::Kind::F64Const:
    return ValType::F64;
  case ConstExpr::Kind::V128Const:
    return ValType::V128;
  case ConstExpr::Kind::GlobalGet:
    if (e.index >= visibleGlobals)
      return Error::format("at offset {:#x}: {}: unknown global {}{}", e.offset, what, e.index,
                           e.index < m_.globalTypes.size()
                               ? (m_.features.constantGlobalsFromDefinitions
                                      ? " (constant expressions may only read globals defined "
                                        "before them)"
                                      : " (constant expressions may only read imported globals)")
                               : "");
    if (m_.globalTypes[e.index].isMutable)
      return Error::format("at offset {:#x}: {}: constant expression required: global {} is "
                           "mutable",
                           e.offset, what, e.index);
    return m_.globalTypes[e.index].type;
  case ConstExpr::Kind::RefNull:
    if (Status s = types_->checkValType(e.refType); !s)
      return Error::format("at offset {:#x}: {}: {}", e.offset, what, s.error().message());
    return e.refType;
  case ConstExpr::Kind::RefFunc:
    if (e.index >= m_.funcTypeIndices.size())
      return Error::format("at offset {:#x}: {}: unknown function {}", e.offset, what, e.index);
    return ValType::ref(HeapType::concrete(m_.funcTypeIndices[e.index]), false);
  case ConstExpr::Kind::Extended:
  case ConstExpr::Kind::I32Add:
  case ConstExpr::Kind::I32Sub:
  case ConstExpr::Kind::I32Mul:
  case ConstExpr::Kind::I64Add:
  case ConstExpr::Kind::I64Sub:
  case ConstExpr::Kind::I64Mul:
    break;
  }
  return Error::format("at offset {:#x}: {}: constant expression required", e.offset, what);
}

Status ModuleValidator::checkConstExpr(const ConstExpr &e, ValType expected, size_t visibleGlobals,
                                       const std::string &what) {
  auto mismatch = [&](uint32_t at, const std::string &detail) {
    return Error::format("at offset {:#x}: {}: type mismatch: {}", at, what, detail);
  };
  ValType actual;
  if (e.kind != ConstExpr::Kind::Extended) {
    LUCET_ASSIGN_OR_RETURN(t, constType(e, visibleGlobals, what));
    actual = t;
  } else {
    // A postfix program: its stack of types, checked as a body's would be.
    std::vector<ValType> stack;
    for (const ConstExpr &op : e.program) {
      bool i32 = op.kind == ConstExpr::Kind::I32Add || op.kind == ConstExpr::Kind::I32Sub ||
                 op.kind == ConstExpr::Kind::I32Mul;
      bool i64 = op.kind == ConstExpr::Kind::I64Add || op.kind == ConstExpr::Kind::I64Sub ||
                 op.kind == ConstExpr::Kind::I64Mul;
      if (!i32 && !i64) {
        LUCET_ASSIGN_OR_RETURN(t, constType(op, visibleGlobals, what));
        stack.push_back(t);
        continue;
      }
      ValType operand = i32 ? ValType::I32 : ValType::I64;
      for (int k = 0; k < 2; ++k) {
        if (stack.empty() || stack.back() != operand)
          return mismatch(op.offset, fmt::format("{} arithmetic needs two {} operands",
                                                 valTypeName(operand), valTypeName(operand)));
        stack.pop_back();
      }
      stack.push_back(operand);
    }
    if (stack.size() != 1)
      return mismatch(e.offset, fmt::format("constant expression must produce exactly one value, "
                                            "it leaves {}",
                                            stack.size()));
    actual = stack[0];
  }
  if (!types_->isSubtype(actual, expected))
    return Error::format("at offset {:#x}: {}: type mismatch: expected {} but the constant "
                         "expression has type {}",
                         e.offset, what, valTypeName(expected), valTypeName(actual));
  return Status::ok();
}

Status ModuleValidator::run() {
  const Module &m = m_;
  LUCET_ASSIGN_OR_RETURN(types, Subtyping::build(m.types));
  types_.emplace(std::move(types));
  for (size_t i = 0; i < m.funcTypeIndices.size(); ++i)
    if (m.funcTypeIndices[i] >= m.types.size())
      return Error::format("function {}: unknown type {}", i, m.funcTypeIndices[i]);
  for (size_t i = 0; i < m.tagTypeIndices.size(); ++i) {
    uint32_t t = m.tagTypeIndices[i];
    if (t >= m.types.size()) return Error::format("tag {}: unknown type {}", i, t);
    if (!m.types[t].results.empty())
      return Error::format("tag {}: non-empty tag result type: type {} is {}", i, t,
                           funcTypeString(m.types[t]));
  }
  LUCET_TRY(checkTypes());
  for (size_t i = 0; i < m.tables.size(); ++i)
    LUCET_TRY(checkTable(m.tables[i], fmt::format("table {}", i)));
  for (size_t i = 0; i < m.memories.size(); ++i)
    LUCET_TRY(checkMemory(m.memories[i], fmt::format("memory {}", i)));
  if (m.memories.size() > 1 && !m.features.multipleMemories)
    return Error::format("multiple memories: the module has {}, at most one is allowed",
                         m.memories.size());

  for (size_t i = 0; i < m.globals.size(); ++i)
    LUCET_TRY(checkConstExpr(m.globals[i].init, m.globals[i].type.type, constantGlobalsBefore(i),
                             fmt::format("global {}", m.numImportedGlobals + i)));
  // The table section comes before the global section: its initialisers
  // see imported globals only.
  for (size_t i = 0; i < m.tableInits.size(); ++i) {
    size_t index = m.numImportedTables + i;
    LUCET_TRY(checkConstExpr(m.tableInits[i], m.tables[index].elemType, constantGlobalsBefore(0),
                             fmt::format("table {}", index)));
  }

  std::set<std::string_view> names;
  for (const Export &e : m.exports) {
    if (!names.insert(e.name).second)
      return Error::format("export \"{}\": duplicate export name", e.name);
    size_t limit = 0;
    switch (e.kind) {
    case ExternKind::Func:
      limit = m.funcTypeIndices.size();
      break;
    case ExternKind::Table:
      limit = m.tables.size();
      break;
    case ExternKind::Memory:
      limit = m.memories.size();
      break;
    case ExternKind::Global:
      limit = m.globalTypes.size();
      break;
    case ExternKind::Tag:
      limit = m.tagTypeIndices.size();
      break;
    }
    if (e.index >= limit)
      return Error::format("export \"{}\": unknown {} {}", e.name, externKindName(e.kind), e.index);
  }

  if (m.start) {
    if (*m.start >= m.funcTypeIndices.size())
      return Error::format("start: unknown function {}", *m.start);
    const FuncType &t = m.funcType(*m.start);
    if (!t.params.empty() || !t.results.empty())
      return Error::format("start function must have type () -> (), function {} has {}", *m.start,
                           funcTypeString(t));
  }

  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment &seg = m.elems[i];
    std::string what = fmt::format("elem segment {}", i);
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m.tables.size())
        return Error::format("{}: unknown table {}", what, seg.table);
      if (!types_->isSubtype(seg.type, m.tables[seg.table].elemType))
        return Error::format("{}: type mismatch: {} segment for table {} of {}", what,
                             valTypeName(seg.type), seg.table,
                             valTypeName(m.tables[seg.table].elemType));
      LUCET_TRY(checkConstExpr(seg.offset, m.tables[seg.table].addressType(),
                               constantGlobalsInSegments(), what + " offset"));
    }
    for (const ConstExpr &e : seg.init)
      LUCET_TRY(checkConstExpr(e, seg.type, constantGlobalsInSegments(), what));
  }

  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment &seg = m.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    std::string what = fmt::format("data segment {}", i);
    if (seg.memory >= m.memories.size())
      return Error::format("{}: unknown memory {}", what, seg.memory);
    LUCET_TRY(checkConstExpr(seg.offset, m.memories[seg.memory].addressType(),
                             constantGlobalsInSegments(), what + " offset"));
  }
  if (m.dataCount && *m.dataCount != m.datas.size())
    return Error::format("data count and data section have inconsistent lengths ({} and {})",
                         *m.dataCount, m.datas.size());

  std::vector<bool> declared = declaredFunctions(m);
  for (size_t i = 0; i < m.functions.size(); ++i) {
    FunctionValidator v(m, *types_, uint32_t(m.numImportedFuncs + i), m.functions[i], declared);
    LUCET_TRY(v.run());
  }
  return Status::ok();
}

} // namespace

FuncType blockSignature(const Module &module, const BlockType &blockType) {
  switch (blockType.kind) {
  case BlockType::Kind::Empty:
    return {};
  case BlockType::Kind::Value:
    return FuncType{{}, {blockType.type}};
  case BlockType::Kind::TypeIndex:
    if (blockType.typeIndex < module.types.size()) return module.types[blockType.typeIndex];
    return {};
  }
  return {};
}

Status validateModule(const Module &module) {
  return ModuleValidator(module).run();
}

std::vector<bool> declaredFunctions(const Module &m) {
  std::vector<bool> declared(m.funcTypeIndices.size(), false);
  auto mark = [&](const ConstExpr &e) {
    if (e.kind == ConstExpr::Kind::RefFunc && e.index < declared.size()) declared[e.index] = true;
  };
  for (const auto &g : m.globals) mark(g.init);
  for (const auto &t : m.tableInits) mark(t);
  for (const auto &seg : m.elems) {
    if (seg.mode == SegmentMode::Active) mark(seg.offset);
    for (const auto &e : seg.init) mark(e);
  }
  for (const auto &e : m.exports)
    if (e.kind == ExternKind::Func && e.index < declared.size()) declared[e.index] = true;
  return declared;
}

} // namespace lucet::wasm
