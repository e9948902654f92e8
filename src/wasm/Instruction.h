#pragma once

#include "support/ByteReader.h"
#include "wasm/Features.h"
#include "wasm/Types.h"

#include <array>
#include <cstdint>
#include <vector>

namespace lucet::wasm {

enum class Opcode : uint16_t {
#define WASM_OPCODE(Name, Prefix, Code, Imm, Text) Name,
#include "wasm/Opcodes.def"
  Count
};

enum class ImmKind : uint8_t {
  None,
  BlockType,
  Label,
  BrTable,
  Func,
  CallIndirect,
  Local,
  Global,
  Table,
  Memory,
  MemArg,
  I32,
  I64,
  F32,
  F64,
  SelectT,
  HeapType, // ref.null: a heap type
  Type,     // call_ref: a type index
  Data,
  Elem,
  MemoryInit,
  MemoryCopy,
  TableInit,
  TableCopy,
  V128,       // v128.const: 16 little-endian bytes
  Shuffle,    // i8x16.shuffle: 16 lane index bytes
  Lane,       // extract/replace lane: one lane index byte
  MemArgLane, // load/store lane: memarg then a lane index byte
  Tag,        // throw, legacy catch: a tag index
  TryTable,   // try_table: a block type, then its catch clauses
};

const char *opcodeName(Opcode op);

// Reads a value type or a heap type (shared by instruction immediates and
// sections); `features` decides which encodings exist.
Expected<ValType> readValType(ByteReader &r, const Features &features);
Expected<HeapType> readHeapType(ByteReader &r, const Features &features);
ImmKind opcodeImmKind(Opcode op);
// try_table, throw, throw_ref and the legacy try/catch/catch_all/rethrow/
// delegate: decoded only when Features::exceptions is on.
bool isExceptionOpcode(Opcode op);
// return_call, return_call_indirect, return_call_ref: decoded only when
// Features::tailCalls is on.
bool isTailCallOpcode(Opcode op);
// Structure: block, loop, if, try and try_table open a block; end, and the
// legacy delegate (which ends a try), close one.
bool opensBlock(Opcode op);
bool closesBlock(Opcode op);

struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Kind::Empty;
  ValType type = ValType::I32; // Kind::Value
  uint32_t typeIndex = 0;      // Kind::TypeIndex
};

struct MemArg {
  uint32_t alignLog2 = 0;
  uint64_t offset = 0;
  uint32_t memory = 0;
};

// One handler of a try_table: which exceptions it takes and the label it
// branches to (counted from outside the try_table).
struct CatchClause {
  enum class Kind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
  Kind kind = Kind::Catch;
  uint32_t tag = 0; // Catch and CatchRef only
  uint32_t label = 0;
  bool takesTag() const { return kind == Kind::Catch || kind == Kind::CatchRef; }
  bool passesExnRef() const { return kind == Kind::CatchRef || kind == Kind::CatchAllRef; }
};

// One decoded instruction. Only the fields its ImmKind names are meaningful.
struct Instruction {
  Opcode op = Opcode::Nop;
  uint32_t offset = 0; // of the opcode byte, in the module

  uint32_t index = 0; // label, func, local, global, table, data, elem, type index
  uint32_t index2 =
      0; // second index: table of call_indirect, memory/table of *.init, source of *.copy
  uint64_t bits = 0; // i32/i64 constants (sign-extended) and float bit patterns
  BlockType blockType;
  MemArg memArg;
  ValType valType = ValType::I32;    // select t, ref.null (a nullable reference)
  std::vector<uint32_t> brTargets;   // br_table targets, default last
  std::array<uint8_t, 16> v128 = {}; // v128.const bytes, i8x16.shuffle lane indices
  uint8_t lane = 0;                  // extract/replace lane, load/store lane
  std::vector<CatchClause> catches;  // try_table
};

// Decodes instructions one at a time from a function body or constant
// expression. Errors carry the module byte offset.
class InstructionReader {
public:
  // `features` decides how memory arguments are encoded (wasm/Features.h).
  InstructionReader(std::span<const uint8_t> bytes, size_t baseOffset,
                    const Features &features = Features::wasm3())
      : reader_(bytes, baseOffset), features_(features) {}

  bool atEnd() const { return reader_.atEnd(); }
  size_t offset() const { return reader_.offset(); }

  // Reuses `out` to avoid reallocating br_table vectors.
  Status next(Instruction &out);

private:
  Status readMemArg(MemArg &out);
  Status readCatchClauses(std::vector<CatchClause> &out);
  Expected<uint32_t> readMemoryIndex();

  ByteReader reader_;
  Features features_;
};

} // namespace lucet::wasm
