#pragma once

#include "wasm/Features.h"
#include "wasm/Types.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet::wasm {

// A constant expression as used by global initialisers and segment offsets:
// one instruction followed by `end`, or (3.0's extended constant
// expressions) several, kept as a postfix program of single instructions
// and i32/i64 add, sub and mul.
struct ConstExpr {
  enum class Kind : uint8_t {
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    V128Const,
    GlobalGet,
    RefNull,
    RefFunc,
    Extended, // `program` holds the instructions
    I32Add,   // the arithmetic only appears inside a program
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
  };
  Kind kind = Kind::I32Const;
  uint64_t bits = 0;                  // integer value or float bit pattern
  std::array<uint8_t, 16> v128 = {};  // for V128Const
  uint32_t index = 0;                 // global or function index
  ValType refType = ValType::FuncRef; // RefNull: the null's type
  uint32_t offset = 0;                // byte offset of the expression in the module, for messages
  std::vector<ConstExpr> program;     // Extended: never nested
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t typeIndex = 0; // Func, Tag
  TableType table;        // Table
  MemoryType memory;      // Memory
  GlobalType global;      // Global
};

struct LocalRun {
  uint32_t count;
  ValType type;
};

// A function defined by the module. The body is kept as a byte range of the
// module (after the local declarations) so that decoding is done once by
// whoever needs it.
struct Function {
  uint32_t typeIndex = 0;
  std::vector<LocalRun> locals; // declared locals, not parameters
  uint32_t bodyOffset = 0;      // first instruction, as an offset into Module::bytes
  uint32_t bodyEnd = 0;         // one past the final `end`
  uint32_t entryOffset = 0;     // offset of the body's size field, as tools print it
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  ValType type = ValType::FuncRef;
  uint32_t table = 0;
  ConstExpr offset;            // Active only
  std::vector<ConstExpr> init; // RefFunc, RefNull or GlobalGet each
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t memory = 0;
  ConstExpr offset;         // Active only
  uint32_t bytesOffset = 0; // into Module::bytes
  uint32_t bytesSize = 0;
};

struct CustomSection {
  std::string name;
  uint32_t payloadOffset = 0; // into Module::bytes
  uint32_t payloadSize = 0;
};

struct Module {
  std::vector<uint8_t> bytes; // the original binary; bodies and data point into it
  Features features;          // the rules it is read and validated under

  std::vector<FuncType> types;
  std::vector<Import> imports;

  // Index spaces: imports first, then definitions.
  std::vector<uint32_t> funcTypeIndices; // type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globalTypes;
  uint32_t numImportedFuncs = 0;
  uint32_t numImportedTables = 0;
  uint32_t numImportedMemories = 0;
  uint32_t numImportedGlobals = 0;
  // Exception tags (3.0): each one's function type, whose results are empty.
  std::vector<uint32_t> tagTypeIndices;
  uint32_t numImportedTags = 0;

  // Each defined table's initial element: the table section's initialiser,
  // or ref.null of its element type.
  std::vector<ConstExpr> tableInits;
  std::vector<Function> functions; // defined functions only
  std::vector<Global> globals;     // defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> dataCount;
  std::vector<CustomSection> customSections;

  // From the `name` custom section, when present and well formed.
  std::string moduleName;
  std::map<uint32_t, std::string> functionNames;

  const FuncType &funcType(uint32_t funcIndex) const { return types[funcTypeIndices[funcIndex]]; }
  bool isImportedFunc(uint32_t funcIndex) const { return funcIndex < numImportedFuncs; }
  // The name section's name, an export name, or "func[N]".
  std::string functionDisplayName(uint32_t funcIndex) const;

  std::span<const uint8_t> functionBody(const Function &f) const {
    return std::span<const uint8_t>(bytes).subspan(f.bodyOffset, f.bodyEnd - f.bodyOffset);
  }
  std::span<const uint8_t> dataBytes(const DataSegment &d) const {
    return std::span<const uint8_t>(bytes).subspan(d.bytesOffset, d.bytesSize);
  }
};

} // namespace lucet::wasm
