#pragma once

// Everything about a module the runtime needs besides its code: types,
// imports, exports, globals, memories, tables, segments, names, and the heap
// assumptions the code was compiled under. The compiler serialises it into
// the artifact; the runtime decodes it with full bounds checks.

#include "abi/MetadataCodec.h"
#include "support/Expected.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet::abi {

constexpr uint32_t MetadataFormatVersion = 4;

// How a value is represented: the wasm binary code of a number or vector
// type (0x7f = i32, ...), 0x70 for every function reference, 0x69 for every
// exception reference and 0x6f for
// every external reference.
using ValTypeCode = uint8_t;

// A value type exactly: its representation and, for a reference, whether
// null is allowed and which heap type it points to (an abstract one, or a
// type index of the module).
struct ValTypeDesc {
  static constexpr uint32_t AbstractHeap = 0x80000000u;
  ValTypeCode code = 0x7f;
  bool nullable = true;
  uint32_t heap = AbstractHeap | 0x7f; // AbstractHeap | abstract heap code, or a type index
  ValTypeDesc() = default;
  // The type a representation code names on its own: a number, a vector,
  // funcref or externref.
  ValTypeDesc(ValTypeCode c) : code(c), heap(AbstractHeap | c) {}
  ValTypeDesc(ValTypeCode c, bool nullable, uint32_t heap)
      : code(c), nullable(nullable), heap(heap) {}
  bool isRef() const { return code == 0x70 || code == 0x6f || code == 0x69; }
  bool isConcrete() const { return isRef() && !(heap & AbstractHeap); }
  bool operator==(const ValTypeDesc &) const = default;
};
enum class ExternKindCode : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

struct HeapSpec {
  uint64_t reservedSize = 0; // address space the code assumes is mapped or guard past the base
  uint64_t guardSize = 0;    // guard assumed after reservedSize
  bool boundsChecked = true; // true: code checks every access against MemoryInstance::size
  bool operator==(const HeapSpec &) const = default;
};

// One step of an extended constant expression's postfix program: a constant
// (bits), a global's value (index), or i32/i64 arithmetic on the two values
// below.
enum class InitOpKind : uint8_t {
  I32Const,
  I64Const,
  GlobalGet,
  I32Add,
  I32Sub,
  I32Mul,
  I64Add,
  I64Sub,
  I64Mul
};
struct InitOp {
  InitOpKind kind = InitOpKind::I32Const;
  uint64_t bits = 0;
  uint32_t index = 0;
  bool operator==(const InitOp &) const = default;
};

struct InitExpr {
  enum class Kind : uint8_t {
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    V128Const,
    GlobalGet,
    RefNull,
    RefFunc,
    Extended // `program`, evaluated with a stack of integers
  };
  Kind kind = Kind::I32Const;
  uint64_t bits = 0;
  std::array<uint8_t, 16> v128 = {};
  uint32_t index = 0;
  std::vector<InitOp> program;
  bool operator==(const InitExpr &) const = default;
};

struct LimitsDesc {
  uint64_t min = 0;
  bool hasMax = false;
  uint64_t max = 0;
  bool is64 = false; // 64-bit addresses (memory64, table64)
  bool operator==(const LimitsDesc &) const = default;
};

struct FuncTypeDesc {
  std::vector<ValTypeDesc> params;
  std::vector<ValTypeDesc> results;
  bool operator==(const FuncTypeDesc &) const = default;
};

// A signature of numbers, vectors, funcref and externref only, as host
// functions have.
inline FuncTypeDesc funcTypeOfCodes(const std::vector<ValTypeCode> &params,
                                    const std::vector<ValTypeCode> &results) {
  return {std::vector<ValTypeDesc>(params.begin(), params.end()),
          std::vector<ValTypeDesc>(results.begin(), results.end())};
}

struct TableDesc {
  ValTypeDesc elemType = 0x70;
  LimitsDesc limits;
  bool operator==(const TableDesc &) const = default;
};

struct GlobalTypeDesc {
  ValTypeDesc type = 0x7f;
  bool isMutable = false;
  bool operator==(const GlobalTypeDesc &) const = default;
};

struct ImportDesc {
  std::string module;
  std::string name;
  ExternKindCode kind = ExternKindCode::Func;
  uint32_t typeIndex = 0; // Func, Tag
  TableDesc table;        // Table
  LimitsDesc memory;      // Memory (pages)
  GlobalTypeDesc global;  // Global
  bool operator==(const ImportDesc &) const = default;
};

struct GlobalDesc {
  GlobalTypeDesc type;
  InitExpr init;
  bool operator==(const GlobalDesc &) const = default;
};

struct ExportDesc {
  std::string name;
  ExternKindCode kind = ExternKindCode::Func;
  uint32_t index = 0;
  bool operator==(const ExportDesc &) const = default;
};

enum class SegmentModeCode : uint8_t { Active, Passive, Declarative };

struct ElemDesc {
  SegmentModeCode mode = SegmentModeCode::Active;
  ValTypeDesc type = 0x70;
  uint32_t table = 0;
  InitExpr offset;
  std::vector<InitExpr> init;
  bool operator==(const ElemDesc &) const = default;
};

struct DataDesc {
  SegmentModeCode mode = SegmentModeCode::Active;
  uint32_t memory = 0;
  InitExpr offset;
  std::vector<uint8_t> bytes;
  bool operator==(const DataDesc &) const = default;
};

struct Metadata {
  std::string compilerFingerprint;              // "lucetc <version> (LLVM <version>, abi <n>)"
  std::vector<std::string> requiredCpuFeatures; // from abi/CpuFeatures.h
  std::string moduleName;
  HeapSpec heap;
  std::vector<FuncTypeDesc> types;
  std::vector<ImportDesc> imports;
  std::vector<uint32_t> funcTypeIndices; // every function, imports first
  uint32_t numImportedFuncs = 0;
  std::vector<TableDesc> tables;        // defined tables only
  std::vector<InitExpr> tableInits;     // each defined table's initial element
  std::vector<LimitsDesc> memories;     // defined memories only
  std::vector<uint32_t> tagTypeIndices; // every exception tag, imports first
  uint32_t numImportedTags = 0;
  std::vector<GlobalDesc> globals; // defined globals only
  std::vector<ExportDesc> exports;
  std::optional<uint32_t> start;
  std::vector<ElemDesc> elems;
  std::vector<DataDesc> datas;
  std::vector<std::string> functionNames; // every function; empty string when unnamed
  bool operator==(const Metadata &) const = default;
};

// The description of each record, in encoding order, for both archives of
// MetadataCodec.h. Changing one changes the byte format: bump
// MetadataFormatVersion.

constexpr ExternKindCode lastEnumerator(ExternKindCode) {
  return ExternKindCode::Tag;
}
constexpr InitExpr::Kind lastEnumerator(InitExpr::Kind) {
  return InitExpr::Kind::Extended;
}
constexpr InitOpKind lastEnumerator(InitOpKind) {
  return InitOpKind::I64Mul;
}
constexpr SegmentModeCode lastEnumerator(SegmentModeCode) {
  return SegmentModeCode::Declarative;
}

template <typename A> Status field(A &a, uint8_t &v) {
  return a.u8(v);
}
template <typename A> Status field(A &a, uint32_t &v) {
  return a.u32(v);
}
template <typename A> Status field(A &a, uint64_t &v) {
  return a.u64(v);
}
template <typename A> Status field(A &a, bool &v) {
  return a.boolean(v);
}
template <typename A, MetadataEnum E> Status field(A &a, E &v) {
  return a.enumeration(v);
}
template <typename A> Status field(A &a, std::array<uint8_t, 16> &v) {
  return a.fixed(v);
}
template <typename A> Status field(A &a, std::string &v) {
  return a.text(v);
}
template <typename A> Status field(A &a, std::vector<uint8_t> &v) {
  return a.bytes(v);
}
template <typename A> Status field(A &a, std::optional<uint32_t> &v) {
  bool present = v.has_value();
  uint32_t value = v.value_or(0);
  LUCET_TRY(a.boolean(present));
  LUCET_TRY(a.u32(value));
  if constexpr (A::Reading) {
    // One encoding per record: an absent value is written as 0.
    if (!present && value != 0) return Error::format("absent value {} is not 0", value);
    v = present ? std::optional<uint32_t>(value) : std::nullopt;
  }
  return Status::ok();
}

template <typename A, typename... T> Status fields(A &a, T &...items) {
  Status status;
  (void)(bool(status = field(a, items)) && ...);
  return status;
}

// The fewest bytes an encoded T takes: that of a default one, whose
// sequences are all empty.
template <typename T> size_t minEncodedSize() {
  static const size_t size = [] {
    MetadataWriter w;
    T item{};
    (void)field(w, item);
    return w.size();
  }();
  return size;
}

template <typename A, typename T> Status field(A &a, std::vector<T> &items) {
  return a.sequence(
      items, [](A &archive, T &item) { return field(archive, item); }, minEncodedSize<T>());
}

template <typename A> Status field(A &a, HeapSpec &h) {
  return fields(a, h.reservedSize, h.guardSize, h.boundsChecked);
}
template <typename A> Status field(A &a, InitOp &op) {
  return fields(a, op.kind, op.bits, op.index);
}
template <typename A> Status field(A &a, InitExpr &e) {
  return fields(a, e.kind, e.bits, e.v128, e.index, e.program);
}
template <typename A> Status field(A &a, LimitsDesc &l) {
  return fields(a, l.min, l.hasMax, l.max, l.is64);
}
template <typename A> Status field(A &a, ValTypeDesc &t) {
  return fields(a, t.code, t.nullable, t.heap);
}
template <typename A> Status field(A &a, FuncTypeDesc &t) {
  return fields(a, t.params, t.results);
}
template <typename A> Status field(A &a, TableDesc &t) {
  return fields(a, t.elemType, t.limits);
}
template <typename A> Status field(A &a, GlobalTypeDesc &g) {
  return fields(a, g.type, g.isMutable);
}
template <typename A> Status field(A &a, ImportDesc &i) {
  return fields(a, i.module, i.name, i.kind, i.typeIndex, i.table, i.memory, i.global);
}
template <typename A> Status field(A &a, GlobalDesc &g) {
  return fields(a, g.type, g.init);
}
template <typename A> Status field(A &a, ExportDesc &e) {
  return fields(a, e.name, e.kind, e.index);
}
template <typename A> Status field(A &a, ElemDesc &e) {
  return fields(a, e.mode, e.type, e.table, e.offset, e.init);
}
template <typename A> Status field(A &a, DataDesc &d) {
  return fields(a, d.mode, d.memory, d.offset, d.bytes);
}
template <typename A> Status field(A &a, Metadata &m) {
  uint32_t version = MetadataFormatVersion;
  LUCET_TRY(a.u32(version));
  if (version != MetadataFormatVersion)
    return Error::format("metadata format version {} is not supported (expected {})", version,
                         MetadataFormatVersion);
  return fields(a, m.compilerFingerprint, m.requiredCpuFeatures, m.moduleName, m.heap, m.types,
                m.imports, m.funcTypeIndices, m.numImportedFuncs, m.tables, m.tableInits,
                m.memories, m.tagTypeIndices, m.numImportedTags, m.globals, m.exports, m.start,
                m.elems, m.datas, m.functionNames);
}

inline std::vector<uint8_t> serializeMetadata(const Metadata &m) {
  MetadataWriter w;
  // The writer only reads the fields; one codec serves both directions.
  (void)field(w, const_cast<Metadata &>(m));
  return w.take();
}

// Decodes the structure with bounds checks. What the fields mean (indices
// in range, types that exist, ...) is checked by the loader
// (rt::LoadedModule::validateMetadata) before anything uses them.
inline Expected<Metadata> deserializeMetadata(std::span<const uint8_t> bytes) {
  MetadataReader r(bytes);
  Metadata m;
  if (Status s = field(r, m); !s) return s.takeError();
  if (Status s = r.finish(); !s) return s.takeError();
  return m;
}

} // namespace lucet::abi
