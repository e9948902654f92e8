#include "ModuleGenerator.h"

#include "ByteSource.h"
#include "WasmWriter.h"

#include "wasm/Types.h"

#include <optional>
#include <string>

namespace lucet::fuzz {
namespace {

using wasm::ValType;

constexpr ValType NumTypes[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64};
constexpr unsigned MaxDepth = 5;
constexpr uint32_t CanonicalNaN32 = 0x7fc00000;
constexpr uint64_t CanonicalNaN64 = 0x7ff8000000000000;
constexpr uint32_t PassiveData = 1; // data segment index for memory.init

// Biased towards the edges where instructions trap or saturate: division by
// 0 and INT_MIN / -1, shift counts, the last bytes of a page, and float
// values at the limits of each integer conversion.
constexpr uint32_t I32Values[] = {0,       1,          0xffffffff, 0x80000000, 0x7fffffff, 2,
                                  7,       31,         32,         0xffff,     0x10000,    0xfffc,
                                  0x1fffc, 0xfffffff0, 0x100,      0xff};
constexpr uint64_t I64Values[] = {
    0,          1,           ~0ull,  0x8000000000000000, 0x7fffffffffffffff, 63, 64, 0x80000000,
    0xffffffff, 0x100000000, 0xfff8, 0xfffffffffffffff0};
constexpr uint32_t F32Values[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf7fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7fa00000, 0xffc00001, 0x4f000000, 0xcf000000, 0x4effffff, 0x4f800000, 0x4f7fffff,
    0x5f000000, 0xdf000000, 0x5f800000, 0x00000001, 0x7f7fffff, 0x3fc00000, 0x40200000, 0xcf000001};
constexpr uint64_t F64Values[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3fe0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0x7ff4000000000000, 0xfff8000000000001, 0x41e0000000000000, 0xc1e0000000000000,
    0x41dfffffffc00000, 0xc1e0000000200000, 0x41efffffffe00000, 0x41f0000000000000,
    0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000, 0x0000000000000001,
    0x7fefffffffffffff, 0x4004000000000000, 0xbfefffffffffffff, 0xc1dfffffffc00000};

bool isFloat(ValType t) {
  return t == ValType::F32 || t == ValType::F64;
}

struct Signature {
  std::vector<ValType> params;
  std::vector<ValType> results;
};

struct LoadOp {
  uint8_t opcode;
  ValType type;
  unsigned log2Width;
};
constexpr LoadOp Loads[] = {
    {0x28, ValType::I32, 2}, {0x29, ValType::I64, 3}, {0x2a, ValType::F32, 2},
    {0x2b, ValType::F64, 3}, {0x2c, ValType::I32, 0}, {0x2d, ValType::I32, 0},
    {0x2e, ValType::I32, 1}, {0x2f, ValType::I32, 1}, {0x30, ValType::I64, 0},
    {0x31, ValType::I64, 0}, {0x32, ValType::I64, 1}, {0x33, ValType::I64, 1},
    {0x34, ValType::I64, 2}, {0x35, ValType::I64, 2}};
constexpr LoadOp Stores[] = {
    {0x36, ValType::I32, 2}, {0x37, ValType::I64, 3}, {0x38, ValType::F32, 2},
    {0x39, ValType::F64, 3}, {0x3a, ValType::I32, 0}, {0x3b, ValType::I32, 1},
    {0x3c, ValType::I64, 0}, {0x3d, ValType::I64, 1}, {0x3e, ValType::I64, 2}};

// An instruction from one type to another (prefix 0 means none).
struct Conversion {
  uint8_t prefix;
  uint8_t opcode;
  ValType from;
  ValType to;
  enum { Plain, Reinterpret, Inexact } kind;
};
constexpr Conversion Conversions[] = {
    {0, 0xa7, ValType::I64, ValType::I32, Conversion::Plain},
    {0, 0xa8, ValType::F32, ValType::I32, Conversion::Plain},
    {0, 0xa9, ValType::F32, ValType::I32, Conversion::Plain},
    {0, 0xaa, ValType::F64, ValType::I32, Conversion::Plain},
    {0, 0xab, ValType::F64, ValType::I32, Conversion::Plain},
    {0, 0xac, ValType::I32, ValType::I64, Conversion::Plain},
    {0, 0xad, ValType::I32, ValType::I64, Conversion::Plain},
    {0, 0xae, ValType::F32, ValType::I64, Conversion::Plain},
    {0, 0xaf, ValType::F32, ValType::I64, Conversion::Plain},
    {0, 0xb0, ValType::F64, ValType::I64, Conversion::Plain},
    {0, 0xb1, ValType::F64, ValType::I64, Conversion::Plain},
    {0, 0xb2, ValType::I32, ValType::F32, Conversion::Plain},
    {0, 0xb3, ValType::I32, ValType::F32, Conversion::Plain},
    {0, 0xb4, ValType::I64, ValType::F32, Conversion::Plain},
    {0, 0xb5, ValType::I64, ValType::F32, Conversion::Plain},
    {0, 0xb6, ValType::F64, ValType::F32, Conversion::Inexact},
    {0, 0xb7, ValType::I32, ValType::F64, Conversion::Plain},
    {0, 0xb8, ValType::I32, ValType::F64, Conversion::Plain},
    {0, 0xb9, ValType::I64, ValType::F64, Conversion::Plain},
    {0, 0xba, ValType::I64, ValType::F64, Conversion::Plain},
    {0, 0xbb, ValType::F32, ValType::F64, Conversion::Inexact},
    {0, 0xbc, ValType::F32, ValType::I32, Conversion::Reinterpret},
    {0, 0xbd, ValType::F64, ValType::I64, Conversion::Reinterpret},
    {0, 0xbe, ValType::I32, ValType::F32, Conversion::Reinterpret},
    {0, 0xbf, ValType::I64, ValType::F64, Conversion::Reinterpret},
    {0xfc, 0, ValType::F32, ValType::I32, Conversion::Plain},
    {0xfc, 1, ValType::F32, ValType::I32, Conversion::Plain},
    {0xfc, 2, ValType::F64, ValType::I32, Conversion::Plain},
    {0xfc, 3, ValType::F64, ValType::I32, Conversion::Plain},
    {0xfc, 4, ValType::F32, ValType::I64, Conversion::Plain},
    {0xfc, 5, ValType::F32, ValType::I64, Conversion::Plain},
    {0xfc, 6, ValType::F64, ValType::I64, Conversion::Plain},
    {0xfc, 7, ValType::F64, ValType::I64, Conversion::Plain},
};

class Generator {
public:
  Generator(std::span<const uint8_t> input, const GeneratorOptions &options)
      : in_(input), options_(options) {}
  std::vector<uint8_t> run();

private:
  // Module level.
  Signature randomSignature(unsigned maxParams, unsigned maxResults);
  void emitConstExpr(WasmWriter &w, ValType t);
  std::vector<uint8_t> generateBody(uint32_t funcIndex);

  // Instructions. genExpr leaves one value of type `t` on the stack and says
  // whether its bits are deterministic (always for integers; for floats, not
  // after arithmetic, which may produce any NaN).
  bool genExpr(ValType t, unsigned depth);
  bool genLeaf(ValType t);
  void genConst(ValType t);
  bool genUnary(ValType t, unsigned depth);
  bool genBinary(ValType t, unsigned depth);
  void genCompare(unsigned depth);
  bool genConversion(ValType t, unsigned depth);
  void genLoad(ValType t, unsigned depth);
  void genBlockExpr(ValType t, unsigned depth);
  void genIfExpr(ValType t, unsigned depth);
  void genLoopExpr(ValType t, unsigned depth);
  void genCall(bool indirect, uint32_t index, unsigned depth);
  bool genCallExpr(ValType t, unsigned depth);
  bool genBranchExpr(ValType t, unsigned depth);
  // A value whose bits may be observed: canonicalised when not exact.
  void genObservable(ValType t, unsigned depth);
  void canonicalize(ValType t);

  void genStmts(unsigned depth, unsigned max);
  void genStmt(unsigned depth);
  void genStore(unsigned depth);
  void genStorePair();
  void genBlockStmt(unsigned depth);
  void genCallStmt(unsigned depth);
  void genBranchStmt(unsigned depth);
  void genBrIfStmt(unsigned depth);

  void genAddress(unsigned depth);
  void genMemArg(unsigned log2Width);
  void genLength(unsigned depth);
  void genTableIndex(unsigned depth);
  void genArgs(const std::vector<ValType> &params, unsigned depth);
  void genBranchValues(size_t label, unsigned depth, bool observable = false);
  void emitBranchDepth(size_t label) { code_.u32(uint32_t(labels_.size() - 1 - label)); }
  void emitFuelCheck();
  void emitValType(ValType t) { code_.byte(t.code()); }
  std::optional<uint32_t> pickLocal(ValType t);
  std::optional<uint32_t> pickGlobal(ValType t);
  ValType randomType() { return in_.pick(NumTypes); }
  void op(uint8_t opcode) { code_.byte(opcode); }
  void opFC(uint32_t sub) {
    code_.byte(0xfc);
    code_.u32(sub);
  }

  ByteSource in_;
  GeneratorOptions options_;
  std::vector<Signature> types_; // the first numFuncs_ are the functions' own
  uint32_t numFuncs_ = 0;
  std::vector<ValType> globals_; // global 0 is the fuel
  uint32_t tableSize_ = 0;
  uint32_t memPages_ = 1;

  // The function being generated.
  WasmWriter code_;
  std::vector<ValType> locals_; // parameters, then declared locals
  uint32_t canonScratch32_ = 0, canonScratch64_ = 0;
  std::vector<std::vector<ValType>> labels_; // branch types, outermost (the function) first
  int budget_ = 0;
};

Signature Generator::randomSignature(unsigned maxParams, unsigned maxResults) {
  Signature sig;
  for (unsigned n = in_.below(maxParams + 1); n; --n) sig.params.push_back(randomType());
  for (unsigned n = in_.below(maxResults + 1); n; --n) sig.results.push_back(randomType());
  return sig;
}

void Generator::emitConstExpr(WasmWriter &w, ValType t) {
  WasmWriter saved = std::move(code_);
  code_ = WasmWriter();
  genConst(t);
  w.bytes(code_.data());
  w.byte(0x0b);
  code_ = std::move(saved);
}

std::vector<uint8_t> Generator::run() {
  numFuncs_ = 1 + in_.below(8);
  for (uint32_t i = 0; i < numFuncs_; ++i) types_.push_back(randomSignature(4, 2));
  // Types no function has, so that some call_indirect signatures never match.
  for (unsigned n = 1 + in_.below(2); n; --n) types_.push_back(randomSignature(2, 2));
  globals_.push_back(ValType::I32);
  for (unsigned n = in_.below(5); n; --n) globals_.push_back(randomType());
  tableSize_ = numFuncs_ + in_.below(4);
  memPages_ = 1 + in_.below(2);
  std::optional<uint32_t> memMax;
  if (in_.flag()) memMax = memPages_ + in_.below(3);

  WasmWriter module;
  const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  module.bytes(header);

  WasmWriter types;
  types.u32(uint32_t(types_.size()));
  for (const Signature &sig : types_) {
    types.byte(0x60);
    types.u32(uint32_t(sig.params.size()));
    for (ValType t : sig.params) types.byte(t.code());
    types.u32(uint32_t(sig.results.size()));
    for (ValType t : sig.results) types.byte(t.code());
  }
  module.section(1, types);

  WasmWriter funcs;
  funcs.u32(numFuncs_);
  for (uint32_t i = 0; i < numFuncs_; ++i) funcs.u32(i);
  module.section(3, funcs);

  WasmWriter table;
  table.u32(1);
  table.byte(0x70);
  bool tableMax = in_.flag();
  table.byte(tableMax ? 1 : 0);
  table.u32(tableSize_);
  if (tableMax) table.u32(tableSize_ + in_.below(2));
  module.section(4, table);

  WasmWriter memory;
  memory.u32(1);
  memory.byte(memMax ? 1 : 0);
  memory.u32(memPages_);
  if (memMax) memory.u32(*memMax);
  module.section(5, memory);

  WasmWriter globals;
  globals.u32(uint32_t(globals_.size()));
  for (size_t i = 0; i < globals_.size(); ++i) {
    globals.byte(globals_[i].code());
    globals.byte(1); // mutable
    if (i == 0) {
      globals.byte(0x41);
      globals.s32(DefaultFuel);
      globals.byte(0x0b);
    } else {
      emitConstExpr(globals, globals_[i]);
    }
  }
  module.section(6, globals);

  WasmWriter exports;
  exports.u32(numFuncs_ + 1 + uint32_t(globals_.size()));
  for (uint32_t i = 0; i < numFuncs_; ++i) {
    exports.name("f" + std::to_string(i));
    exports.byte(0x00);
    exports.u32(i);
  }
  exports.name(MemoryExportName);
  exports.byte(0x02);
  exports.u32(0);
  exports.name(FuelExportName);
  exports.byte(0x03);
  exports.u32(0);
  for (uint32_t i = 1; i < globals_.size(); ++i) {
    exports.name("g" + std::to_string(i - 1));
    exports.byte(0x03);
    exports.u32(i);
  }
  module.section(7, exports);

  // Functions at the start of the table; the slots after them stay null.
  WasmWriter elems;
  elems.u32(1);
  elems.byte(0x00);
  elems.byte(0x41);
  elems.s32(0);
  elems.byte(0x0b);
  uint32_t filled = in_.below(tableSize_ + 1);
  elems.u32(filled);
  for (uint32_t i = 0; i < filled; ++i) elems.u32(in_.below(numFuncs_));
  module.section(9, elems);

  WasmWriter dataCount;
  dataCount.u32(2);
  module.section(12, dataCount);

  WasmWriter code;
  code.u32(numFuncs_);
  for (uint32_t i = 0; i < numFuncs_; ++i) {
    std::vector<uint8_t> body = generateBody(i);
    code.u32(uint32_t(body.size()));
    code.bytes(body);
  }
  module.section(10, code);

  WasmWriter data;
  data.u32(2);
  std::vector<uint8_t> initial(in_.below(48));
  for (uint8_t &b : initial) b = in_.byte();
  uint32_t memBytes = memPages_ * 65536;
  uint32_t offset = in_.flag() ? memBytes - uint32_t(initial.size()) : in_.below(1024);
  data.byte(0x00);
  data.byte(0x41);
  data.s32(int32_t(offset));
  data.byte(0x0b);
  data.u32(uint32_t(initial.size()));
  data.bytes(initial);
  std::vector<uint8_t> passive(in_.below(32));
  for (uint8_t &b : passive) b = in_.byte();
  data.byte(0x01);
  data.u32(uint32_t(passive.size()));
  data.bytes(passive);
  module.section(11, data);

  return module.take();
}

std::vector<uint8_t> Generator::generateBody(uint32_t funcIndex) {
  const Signature sig = types_[funcIndex];
  locals_ = sig.params;
  std::vector<ValType> declared;
  for (unsigned n = in_.below(5); n; --n) declared.push_back(randomType());
  declared.push_back(ValType::F32);
  declared.push_back(ValType::F64);
  locals_.insert(locals_.end(), declared.begin(), declared.end());
  canonScratch32_ = uint32_t(locals_.size() - 2);
  canonScratch64_ = uint32_t(locals_.size() - 1);
  labels_ = {sig.results};
  budget_ = 20 + int(in_.below(160));
  code_ = WasmWriter();

  emitFuelCheck();
  genStmts(0, 6);
  for (ValType t : sig.results) genObservable(t, 0);
  op(0x0b);

  WasmWriter body;
  body.u32(uint32_t(declared.size()));
  for (ValType t : declared) {
    body.u32(1);
    body.byte(t.code());
  }
  body.bytes(code_.data());
  return body.take();
}

void Generator::emitFuelCheck() {
  op(0x23); // global.get fuel
  code_.u32(0);
  op(0x45); // i32.eqz
  op(0x04); // if
  code_.byte(0x40);
  op(0x00); // unreachable
  op(0x0b);
  op(0x23);
  code_.u32(0);
  op(0x41);
  code_.s32(1);
  op(0x6b); // i32.sub
  op(0x24);
  code_.u32(0);
}

std::optional<uint32_t> Generator::pickLocal(ValType t) {
  std::vector<uint32_t> candidates;
  for (uint32_t i = 0; i < locals_.size(); ++i)
    if (locals_[i] == t && i != canonScratch32_ && i != canonScratch64_) candidates.push_back(i);
  if (candidates.empty()) return std::nullopt;
  return candidates[in_.below(uint32_t(candidates.size()))];
}

std::optional<uint32_t> Generator::pickGlobal(ValType t) {
  std::vector<uint32_t> candidates;
  for (uint32_t i = 1; i < globals_.size(); ++i)
    if (globals_[i] == t) candidates.push_back(i);
  if (candidates.empty()) return std::nullopt;
  return candidates[in_.below(uint32_t(candidates.size()))];
}

void Generator::genConst(ValType t) {
  switch (t.kind()) {
  case ValType::Kind::I32:
    op(0x41);
    code_.s32(int32_t(in_.oneIn(3) ? in_.u32() : in_.pick(I32Values)));
    break;
  case ValType::Kind::I64:
    op(0x42);
    code_.s64(int64_t(in_.oneIn(3) ? in_.u64() : in_.pick(I64Values)));
    break;
  case ValType::Kind::F32:
    op(0x43);
    code_.f32Bits(in_.oneIn(3) ? in_.u32() : in_.pick(F32Values));
    break;
  default:
    op(0x44);
    code_.f64Bits(in_.oneIn(3) ? in_.u64() : in_.pick(F64Values));
    break;
  }
}

bool Generator::genLeaf(ValType t) {
  if (in_.flag()) {
    if (auto local = pickLocal(t)) {
      op(0x20);
      code_.u32(*local);
      return true;
    }
  }
  genConst(t);
  return true;
}

void Generator::canonicalize(ValType t) {
  uint32_t scratch = t == ValType::F32 ? canonScratch32_ : canonScratch64_;
  op(0x21);
  code_.u32(scratch);
  if (t == ValType::F32) {
    op(0x43);
    code_.f32Bits(CanonicalNaN32);
  } else {
    op(0x44);
    code_.f64Bits(CanonicalNaN64);
  }
  for (int i = 0; i < 3; ++i) {
    op(0x20);
    code_.u32(scratch);
  }
  op(t == ValType::F32 ? 0x5c : 0x62); // ne: true only for NaN
  op(0x1b);                            // select
}

void Generator::genObservable(ValType t, unsigned depth) {
  bool exact = genExpr(t, depth);
  if (isFloat(t) && !exact) canonicalize(t);
}

bool Generator::genExpr(ValType t, unsigned depth) {
  --budget_;
  if (depth >= MaxDepth || budget_ <= 0) return genLeaf(t);
  switch (in_.below(22)) {
  case 0:
  case 1:
  case 2:
    return genLeaf(t);
  case 3:
    if (auto global = pickGlobal(t)) {
      op(0x23);
      code_.u32(*global);
      return true;
    }
    return genLeaf(t);
  case 4:
  case 5:
    return genUnary(t, depth);
  case 6:
  case 7:
  case 8:
    return genBinary(t, depth);
  case 9:
    if (t != ValType::I32) return genConversion(t, depth);
    genCompare(depth);
    return true;
  case 10:
  case 11:
    return genConversion(t, depth);
  case 12:
  case 13:
    genLoad(t, depth);
    return true;
  case 14:
    switch (in_.below(3)) {
    case 0:
      genBlockExpr(t, depth);
      break;
    case 1:
      genIfExpr(t, depth);
      break;
    default:
      genLoopExpr(t, depth);
      break;
    }
    return !isFloat(t);
  case 15: {
    bool a = genExpr(t, depth + 1);
    bool b = genExpr(t, depth + 1);
    genExpr(ValType::I32, depth + 1);
    if (in_.flag()) {
      op(0x1b);
    } else {
      op(0x1c);
      code_.u32(1);
      emitValType(t);
    }
    return a && b;
  }
  case 16:
    return genCallExpr(t, depth);
  case 17:
    if (auto local = pickLocal(t)) {
      genObservable(t, depth + 1);
      op(0x22); // local.tee
      code_.u32(*local);
      return true;
    }
    return genLeaf(t);
  case 18:
    if (t == ValType::I32) {
      if (in_.flag()) {
        op(0x3f);
        code_.byte(0);
      } else {
        // Mostly small, so that memory stays small; 65537 pages and more
        // must fail everywhere.
        if (in_.flag()) {
          genExpr(ValType::I32, depth + 1);
          op(0x41);
          code_.s32(1);
          op(0x71); // i32.and
        } else {
          const uint32_t deltas[] = {0, 1, 2, 65537, 0xffffffff, 0x10000};
          op(0x41);
          code_.s32(int32_t(in_.pick(deltas)));
        }
        op(0x40);
        code_.byte(0);
      }
      return true;
    }
    return genLeaf(t);
  case 19: {
    genStmt(depth + 1);
    return genExpr(t, depth + 1);
  }
  case 20:
    return genBranchExpr(t, depth);
  default:
    return genLeaf(t);
  }
}

bool Generator::genUnary(ValType t, unsigned depth) {
  switch (t.kind()) {
  case ValType::Kind::I32: {
    const uint8_t ops[] = {0x67, 0x68, 0x69, 0xc0, 0xc1, 0x45};
    uint8_t opcode = in_.pick(ops);
    genExpr(ValType::I32, depth + 1);
    op(opcode);
    return true;
  }
  case ValType::Kind::I64: {
    const uint8_t ops[] = {0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4};
    uint8_t opcode = in_.pick(ops);
    genExpr(ValType::I64, depth + 1);
    op(opcode);
    return true;
  }
  default: {
    // abs, neg, ceil, floor, trunc, nearest, sqrt
    uint8_t base = t == ValType::F32 ? 0x8b : 0x99;
    uint8_t which = uint8_t(in_.below(7));
    bool exact = genExpr(t, depth + 1);
    op(uint8_t(base + which));
    return which < 2 && exact; // abs and neg only touch the sign bit
  }
  }
}

bool Generator::genBinary(ValType t, unsigned depth) {
  switch (t.kind()) {
  case ValType::Kind::I32:
  case ValType::Kind::I64: {
    uint8_t base = t == ValType::I32 ? 0x6a : 0x7c;
    uint8_t opcode = uint8_t(base + in_.below(15));
    genExpr(t, depth + 1);
    genExpr(t, depth + 1);
    op(opcode);
    return true;
  }
  default: {
    // add, sub, mul, div, min, max, copysign
    uint8_t base = t == ValType::F32 ? 0x92 : 0xa0;
    uint8_t which = uint8_t(in_.below(7));
    if (which == 6) {
      // copysign takes the sign of its second operand, so that one must
      // not be a NaN of unspecified sign.
      bool exact = genExpr(t, depth + 1);
      genObservable(t, depth + 1);
      op(uint8_t(base + which));
      return exact;
    }
    genExpr(t, depth + 1);
    genExpr(t, depth + 1);
    op(uint8_t(base + which));
    return false;
  }
  }
}

void Generator::genCompare(unsigned depth) {
  ValType operand = randomType();
  uint8_t opcode = 0;
  switch (operand.kind()) {
  case ValType::Kind::I32:
    opcode = uint8_t(0x46 + in_.below(10));
    break;
  case ValType::Kind::I64:
    opcode = in_.oneIn(6) ? 0x50 : uint8_t(0x51 + in_.below(10));
    break;
  case ValType::Kind::F32:
    opcode = uint8_t(0x5b + in_.below(6));
    break;
  default:
    opcode = uint8_t(0x61 + in_.below(6));
    break;
  }
  genExpr(operand, depth + 1);
  if (opcode != 0x50) genExpr(operand, depth + 1);
  op(opcode);
}

bool Generator::genConversion(ValType t, unsigned depth) {
  std::vector<const Conversion *> candidates;
  for (const Conversion &c : Conversions)
    if (c.to == t) candidates.push_back(&c);
  const Conversion &c = *candidates[in_.below(uint32_t(candidates.size()))];
  if (c.kind == Conversion::Reinterpret)
    genObservable(c.from, depth + 1);
  else
    genExpr(c.from, depth + 1);
  if (c.prefix)
    opFC(c.opcode);
  else
    op(c.opcode);
  return c.kind != Conversion::Inexact;
}

void Generator::genAddress(unsigned depth) {
  if (options_.inBoundsOnly) {
    genExpr(ValType::I32, depth + 1);
    op(0x41);
    code_.s32(0x7ff0);
    op(0x71);
    return;
  }
  // Mostly in bounds, so that functions run past their first access; often
  // a few bytes from the end, where accesses straddle it.
  switch (in_.below(8)) {
  case 0:
  case 1:
  case 2:
    op(0x41);
    code_.s32(int32_t(in_.below(256)));
    break;
  case 3:
    // A few bytes before the current end of memory.
    op(0x3f);
    code_.byte(0);
    op(0x41);
    code_.s32(16);
    op(0x74); // i32.shl
    op(0x41);
    code_.s32(int32_t(in_.below(17)));
    op(0x6b);
    break;
  case 4:
    op(0x41);
    code_.s32(int32_t(memPages_ * 65536 - in_.below(17)));
    break;
  case 5:
    genExpr(ValType::I32, depth + 1);
    op(0x41);
    code_.s32(0xffff);
    op(0x71);
    break;
  case 6:
    genExpr(ValType::I32, depth + 1);
    break;
  default:
    op(0x41);
    code_.s32(int32_t(in_.u32()));
    break;
  }
}

void Generator::genMemArg(unsigned log2Width) {
  code_.u32(in_.below(log2Width + 1));
  const uint32_t offsets[] = {0, 1, 2, 4, 8, 3, 0x10000, 0xffffffff, 0xfffffff8, 0x7fffffff};
  if (options_.inBoundsOnly)
    code_.u32(in_.below(16));
  else
    code_.u32(in_.oneIn(4) ? in_.pick(offsets) : 0);
}

void Generator::genLoad(ValType t, unsigned depth) {
  std::vector<const LoadOp *> candidates;
  for (const LoadOp &l : Loads)
    if (l.type == t) candidates.push_back(&l);
  const LoadOp &load = *candidates[in_.below(uint32_t(candidates.size()))];
  genAddress(depth);
  op(load.opcode);
  genMemArg(load.log2Width);
}

void Generator::genStore(unsigned depth) {
  const LoadOp &store = in_.pick(Stores);
  genAddress(depth);
  genObservable(store.type, depth + 1);
  op(store.opcode);
  genMemArg(store.log2Width);
}

// Two stores to adjacent constant addresses, which an optimiser may merge
// into one wider store; when the second is out of bounds the first must
// still happen.
void Generator::genStorePair() {
  if (options_.inBoundsOnly) return;
  const LoadOp &store = in_.pick(Stores);
  uint32_t width = 1u << store.log2Width;
  uint32_t base = memPages_ * 65536 - width * (1 + in_.below(3));
  for (int i = 0; i < 2; ++i) {
    op(0x41);
    code_.s32(int32_t(base + i * width));
    genConst(store.type);
    op(store.opcode);
    code_.u32(store.log2Width);
    code_.u32(0);
  }
}

void Generator::genLength(unsigned depth) {
  if (options_.inBoundsOnly) {
    genExpr(ValType::I32, depth + 1);
    op(0x41);
    code_.s32(0xff);
    op(0x71);
    return;
  }
  if (in_.flag()) {
    const uint32_t lengths[] = {0, 1, 4, 8, 16, 255, 256, 65536, 0xffffffff};
    op(0x41);
    code_.s32(int32_t(in_.pick(lengths)));
  } else {
    genExpr(ValType::I32, depth + 1);
    op(0x41);
    code_.s32(0x3ff);
    op(0x71);
  }
}

void Generator::genTableIndex(unsigned depth) {
  if (in_.oneIn(4)) {
    genExpr(ValType::I32, depth + 1);
  } else {
    op(0x41);
    code_.s32(int32_t(in_.below(tableSize_ + 2)));
  }
}

void Generator::genArgs(const std::vector<ValType> &params, unsigned depth) {
  // Parameters are locals, which always hold exact values.
  for (ValType t : params) genObservable(t, depth + 1);
}

void Generator::genBranchValues(size_t label, unsigned depth, bool observable) {
  // A copy: generating the values pushes and pops labels.
  const std::vector<ValType> types = labels_[label];
  for (ValType t : types) {
    if (observable || label == 0)
      genObservable(t, depth + 1); // they may become the function's results
    else
      genExpr(t, depth + 1);
  }
}

void Generator::genBlockExpr(ValType t, unsigned depth) {
  op(0x02);
  emitValType(t);
  labels_.push_back({t});
  genStmts(depth + 1, 3);
  genExpr(t, depth + 1);
  labels_.pop_back();
  op(0x0b);
}

void Generator::genIfExpr(ValType t, unsigned depth) {
  genExpr(ValType::I32, depth + 1);
  op(0x04);
  emitValType(t);
  labels_.push_back({t});
  genStmts(depth + 1, 2);
  genExpr(t, depth + 1);
  op(0x05);
  genStmts(depth + 1, 2);
  genExpr(t, depth + 1);
  labels_.pop_back();
  op(0x0b);
}

void Generator::genLoopExpr(ValType t, unsigned depth) {
  op(0x03);
  emitValType(t);
  labels_.push_back({}); // a branch to a loop carries its (no) parameters
  emitFuelCheck();
  genStmts(depth + 1, 3);
  if (in_.flag()) {
    genExpr(ValType::I32, depth + 1);
    op(0x0d);
    emitBranchDepth(labels_.size() - 1);
  }
  genExpr(t, depth + 1);
  labels_.pop_back();
  op(0x0b);
}

// Arguments, then `call index` or `call_indirect (type index)` through
// table 0 with a generated slot.
void Generator::genCall(bool indirect, uint32_t index, unsigned depth) {
  genArgs(types_[index].params, depth);
  if (indirect) {
    genTableIndex(depth);
    op(0x11);
    code_.u32(index);
    code_.byte(0);
  } else {
    op(0x10);
    code_.u32(index);
  }
}

bool Generator::genCallExpr(ValType t, unsigned depth) {
  bool indirect = in_.flag();
  std::vector<uint32_t> candidates;
  uint32_t limit = indirect ? uint32_t(types_.size()) : numFuncs_;
  for (uint32_t i = 0; i < limit; ++i)
    if (types_[i].results.size() == 1 && types_[i].results[0] == t) candidates.push_back(i);
  if (candidates.empty()) return genLeaf(t);
  genCall(indirect, candidates[in_.below(uint32_t(candidates.size()))], depth);
  return true; // every function canonicalises its results
}

bool Generator::genBranchExpr(ValType t, unsigned depth) {
  size_t label = in_.below(uint32_t(labels_.size()));
  switch (in_.below(5)) {
  case 0:
    genBranchValues(label, depth);
    op(0x0c);
    emitBranchDepth(label);
    return true;
  case 1: {
    // br_if that leaves its value: only to a label that takes exactly `t`.
    std::vector<size_t> candidates;
    for (size_t l = 1; l < labels_.size(); ++l)
      if (labels_[l] == std::vector<ValType>{t}) candidates.push_back(l);
    if (candidates.empty()) return genLeaf(t);
    label = candidates[in_.below(uint32_t(candidates.size()))];
    genExpr(t, depth + 1);
    genExpr(ValType::I32, depth + 1);
    op(0x0d);
    emitBranchDepth(label);
    return !isFloat(t);
  }
  case 2: {
    std::vector<size_t> targets;
    for (size_t l = 0; l < labels_.size(); ++l)
      if (labels_[l] == labels_[label]) targets.push_back(l);
    // A target may be the function's own label.
    genBranchValues(label, depth, /*observable=*/true);
    genExpr(ValType::I32, depth + 1);
    op(0x0e);
    uint32_t count = in_.below(4);
    code_.u32(count);
    for (uint32_t i = 0; i < count; ++i)
      emitBranchDepth(targets[in_.below(uint32_t(targets.size()))]);
    emitBranchDepth(label);
    return true;
  }
  case 3:
    genBranchValues(0, depth);
    op(0x0f);
    return true;
  default:
    op(0x00);
    return true;
  }
}

void Generator::genStmts(unsigned depth, unsigned max) {
  for (unsigned n = in_.below(max + 1); n; --n) genStmt(depth);
}

void Generator::genStmt(unsigned depth) {
  --budget_;
  if (depth >= MaxDepth || budget_ <= 0) {
    if (in_.flag()) genStore(MaxDepth);
    return;
  }
  switch (in_.below(16)) {
  case 0:
  case 1: {
    ValType t = randomType();
    if (auto local = pickLocal(t)) {
      genObservable(t, depth + 1);
      op(0x21);
      code_.u32(*local);
    }
    break;
  }
  case 2: {
    ValType t = randomType();
    if (auto global = pickGlobal(t)) {
      genObservable(t, depth + 1);
      op(0x24);
      code_.u32(*global);
    }
    break;
  }
  case 3:
  case 4:
    genStore(depth);
    break;
  case 5:
    genExpr(randomType(), depth + 1);
    op(0x1a); // drop
    break;
  case 6:
    genAddress(depth);
    genExpr(ValType::I32, depth + 1);
    genLength(depth);
    opFC(11); // memory.fill
    code_.byte(0);
    break;
  case 7:
    genAddress(depth);
    genAddress(depth);
    genLength(depth);
    opFC(10); // memory.copy
    code_.byte(0);
    code_.byte(0);
    break;
  case 8:
    if (options_.inBoundsOnly) break; // segment bounds and dropped segments trap
    if (in_.oneIn(4)) {
      opFC(9); // data.drop
      code_.u32(PassiveData);
    } else {
      genAddress(depth);
      op(0x41);
      code_.s32(int32_t(in_.below(40)));
      op(0x41);
      code_.s32(int32_t(in_.below(40)));
      opFC(8); // memory.init
      code_.u32(PassiveData);
      code_.byte(0);
    }
    break;
  case 9:
  case 10:
    genBlockStmt(depth);
    break;
  case 11:
    genCallStmt(depth);
    break;
  case 12:
    genBrIfStmt(depth);
    break;
  case 13:
    genStorePair();
    break;
  case 14:
    if (in_.oneIn(3)) genBranchStmt(depth);
    break;
  default:
    break;
  }
}

void Generator::genBlockStmt(unsigned depth) {
  switch (in_.below(4)) {
  case 0: {
    // A block typed by a function type, taking parameters from the stack.
    uint32_t typeIndex = in_.below(uint32_t(types_.size()));
    const Signature sig = types_[typeIndex];
    genArgs(sig.params, depth);
    op(0x02);
    code_.s64(typeIndex);
    labels_.push_back(sig.results);
    for (auto it = sig.params.rbegin(); it != sig.params.rend(); ++it) {
      if (auto local = pickLocal(*it)) {
        op(0x21);
        code_.u32(*local);
      } else {
        op(0x1a);
      }
    }
    genStmts(depth + 1, 3);
    for (ValType t : sig.results) genExpr(t, depth + 1);
    labels_.pop_back();
    op(0x0b);
    for (size_t i = 0; i < sig.results.size(); ++i) op(0x1a);
    break;
  }
  case 1:
    op(0x02);
    code_.byte(0x40);
    labels_.push_back({});
    genStmts(depth + 1, 4);
    labels_.pop_back();
    op(0x0b);
    break;
  case 2:
    op(0x03);
    code_.byte(0x40);
    labels_.push_back({});
    emitFuelCheck();
    genStmts(depth + 1, 4);
    if (in_.flag()) {
      genExpr(ValType::I32, depth + 1);
      op(0x0d);
      emitBranchDepth(labels_.size() - 1);
    }
    labels_.pop_back();
    op(0x0b);
    break;
  default:
    genExpr(ValType::I32, depth + 1);
    op(0x04);
    code_.byte(0x40);
    labels_.push_back({});
    genStmts(depth + 1, 3);
    if (in_.flag()) {
      op(0x05);
      genStmts(depth + 1, 3);
    }
    labels_.pop_back();
    op(0x0b);
    break;
  }
}

void Generator::genCallStmt(unsigned depth) {
  bool indirect = in_.flag();
  uint32_t index = in_.below(indirect ? uint32_t(types_.size()) : numFuncs_);
  genCall(indirect, index, depth);
  for (size_t i = 0; i < types_[index].results.size(); ++i) op(0x1a);
}

void Generator::genBrIfStmt(unsigned depth) {
  size_t label = in_.below(uint32_t(labels_.size()));
  genBranchValues(label, depth);
  genExpr(ValType::I32, depth + 1);
  op(0x0d);
  emitBranchDepth(label);
  for (size_t i = 0; i < labels_[label].size(); ++i) op(0x1a);
}

void Generator::genBranchStmt(unsigned depth) {
  // Any type will do: what follows is unreachable, then dropped.
  genBranchExpr(randomType(), depth);
  op(0x1a);
}

} // namespace

std::vector<uint8_t> generateModule(std::span<const uint8_t> input,
                                    const GeneratorOptions &options) {
  return Generator(input, options).run();
}

} // namespace lucet::fuzz
