#pragma once

// Everything about a module the runtime needs besides its code: types,
// imports, exports, globals, memories, tables, segments, names, and the heap
// assumptions the code was compiled under. The compiler serialises it into
// the artifact; the runtime decodes it with full bounds checks.

#include "support/ByteReader.h"
#include "support/Expected.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet::abi {

constexpr uint32_t MetadataFormatVersion = 2;

// Value types use the wasm binary encoding (0x7f = i32, ...).
using ValTypeCode = uint8_t;
enum class ExternKindCode : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };

struct HeapSpec {
  uint64_t reservedSize = 0; // address space the code assumes is mapped or guard past the base
  uint64_t guardSize = 0;    // guard assumed after reservedSize
  bool boundsChecked = true; // true: code checks every access against MemoryInstance::size
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
    RefFunc
  };
  Kind kind = Kind::I32Const;
  uint64_t bits = 0;
  std::array<uint8_t, 16> v128 = {};
  uint32_t index = 0;
};

struct LimitsDesc {
  uint64_t min = 0;
  bool hasMax = false;
  uint64_t max = 0;
};

struct FuncTypeDesc {
  std::vector<ValTypeCode> params;
  std::vector<ValTypeCode> results;
  bool operator==(const FuncTypeDesc &) const = default;
};

struct TableDesc {
  ValTypeCode elemType = 0x70;
  LimitsDesc limits;
};

struct GlobalTypeDesc {
  ValTypeCode type = 0x7f;
  bool isMutable = false;
};

struct ImportDesc {
  std::string module;
  std::string name;
  ExternKindCode kind = ExternKindCode::Func;
  uint32_t typeIndex = 0; // Func
  TableDesc table;        // Table
  LimitsDesc memory;      // Memory (pages)
  GlobalTypeDesc global;  // Global
};

struct GlobalDesc {
  GlobalTypeDesc type;
  InitExpr init;
};

struct ExportDesc {
  std::string name;
  ExternKindCode kind = ExternKindCode::Func;
  uint32_t index = 0;
};

enum class SegmentModeCode : uint8_t { Active, Passive, Declarative };

struct ElemDesc {
  SegmentModeCode mode = SegmentModeCode::Active;
  ValTypeCode type = 0x70;
  uint32_t table = 0;
  InitExpr offset;
  std::vector<InitExpr> init;
};

struct DataDesc {
  SegmentModeCode mode = SegmentModeCode::Active;
  uint32_t memory = 0;
  InitExpr offset;
  std::vector<uint8_t> bytes;
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
  std::vector<TableDesc> tables;    // defined tables only
  std::vector<LimitsDesc> memories; // defined memories only
  std::vector<GlobalDesc> globals;  // defined globals only
  std::vector<ExportDesc> exports;
  std::optional<uint32_t> start;
  std::vector<ElemDesc> elems;
  std::vector<DataDesc> datas;
  std::vector<std::string> functionNames; // every function; empty string when unnamed
};

namespace detail {

class MetadataWriter {
public:
  std::vector<uint8_t> out;
  void u8(uint8_t v) { out.push_back(v); }
  void u32(uint32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void raw(const void *p, size_t n) {
    auto *b = static_cast<const uint8_t *>(p);
    out.insert(out.end(), b, b + n);
  }
  void bytes(const std::vector<uint8_t> &v) {
    u32(uint32_t(v.size()));
    raw(v.data(), v.size());
  }
  void str(const std::string &s) {
    u32(uint32_t(s.size()));
    raw(s.data(), s.size());
  }
  void limits(const LimitsDesc &l) {
    u64(l.min);
    u8(l.hasMax);
    u64(l.max);
  }
  void init(const InitExpr &e) {
    u8(uint8_t(e.kind));
    u64(e.bits);
    raw(e.v128.data(), 16);
    u32(e.index);
  }
  void table(const TableDesc &t) {
    u8(t.elemType);
    limits(t.limits);
  }
  void globalType(const GlobalTypeDesc &g) {
    u8(g.type);
    u8(g.isMutable);
  }
};

class MetadataReader {
public:
  explicit MetadataReader(std::span<const uint8_t> bytes) : r(bytes) {}
  ByteReader r;

  Expected<uint8_t> u8() { return r.readByte(); }
  Expected<uint32_t> u32() { return r.readFixedU32(); }
  Expected<uint64_t> u64() { return r.readFixedU64(); }
  Expected<uint32_t> count(size_t minElementSize) {
    LUCET_ASSIGN_OR_RETURN(n, u32());
    if (minElementSize != 0 && uint64_t(n) * minElementSize > r.remaining())
      return r.error("count exceeds the metadata size");
    return n;
  }
  Expected<std::vector<uint8_t>> bytes() {
    LUCET_ASSIGN_OR_RETURN(n, count(1));
    LUCET_ASSIGN_OR_RETURN(b, r.readBytes(n));
    return std::vector<uint8_t>(b.begin(), b.end());
  }
  Expected<std::string> str() {
    LUCET_ASSIGN_OR_RETURN(n, count(1));
    LUCET_ASSIGN_OR_RETURN(b, r.readBytes(n));
    return std::string(b.begin(), b.end());
  }
  Expected<LimitsDesc> limits() {
    LimitsDesc l;
    LUCET_ASSIGN_OR_RETURN(min, u64());
    LUCET_ASSIGN_OR_RETURN(hasMax, u8());
    LUCET_ASSIGN_OR_RETURN(max, u64());
    l.min = min;
    l.hasMax = hasMax != 0;
    l.max = max;
    return l;
  }
  Expected<InitExpr> init() {
    InitExpr e;
    LUCET_ASSIGN_OR_RETURN(kind, u8());
    if (kind > uint8_t(InitExpr::Kind::RefFunc)) return r.error("bad constant expression kind");
    e.kind = InitExpr::Kind(kind);
    LUCET_ASSIGN_OR_RETURN(bits, u64());
    e.bits = bits;
    LUCET_ASSIGN_OR_RETURN(v, r.readBytes(16));
    std::copy(v.begin(), v.end(), e.v128.begin());
    LUCET_ASSIGN_OR_RETURN(index, u32());
    e.index = index;
    return e;
  }
  Expected<TableDesc> table() {
    TableDesc t;
    LUCET_ASSIGN_OR_RETURN(type, u8());
    LUCET_ASSIGN_OR_RETURN(l, limits());
    t.elemType = type;
    t.limits = l;
    return t;
  }
  Expected<GlobalTypeDesc> globalType() {
    GlobalTypeDesc g;
    LUCET_ASSIGN_OR_RETURN(type, u8());
    LUCET_ASSIGN_OR_RETURN(isMutable, u8());
    g.type = type;
    g.isMutable = isMutable != 0;
    return g;
  }
};

} // namespace detail

inline std::vector<uint8_t> serializeMetadata(const Metadata &m) {
  detail::MetadataWriter w;
  w.u32(MetadataFormatVersion);
  w.str(m.compilerFingerprint);
  w.u32(uint32_t(m.requiredCpuFeatures.size()));
  for (const auto &f : m.requiredCpuFeatures) w.str(f);
  w.str(m.moduleName);
  w.u64(m.heap.reservedSize);
  w.u64(m.heap.guardSize);
  w.u8(m.heap.boundsChecked);
  w.u32(uint32_t(m.types.size()));
  for (const auto &t : m.types) {
    w.bytes(t.params);
    w.bytes(t.results);
  }
  w.u32(uint32_t(m.imports.size()));
  for (const auto &i : m.imports) {
    w.str(i.module);
    w.str(i.name);
    w.u8(uint8_t(i.kind));
    w.u32(i.typeIndex);
    w.table(i.table);
    w.limits(i.memory);
    w.globalType(i.global);
  }
  w.u32(uint32_t(m.funcTypeIndices.size()));
  for (uint32_t t : m.funcTypeIndices) w.u32(t);
  w.u32(m.numImportedFuncs);
  w.u32(uint32_t(m.tables.size()));
  for (const auto &t : m.tables) w.table(t);
  w.u32(uint32_t(m.memories.size()));
  for (const auto &l : m.memories) w.limits(l);
  w.u32(uint32_t(m.globals.size()));
  for (const auto &g : m.globals) {
    w.globalType(g.type);
    w.init(g.init);
  }
  w.u32(uint32_t(m.exports.size()));
  for (const auto &e : m.exports) {
    w.str(e.name);
    w.u8(uint8_t(e.kind));
    w.u32(e.index);
  }
  w.u8(m.start.has_value());
  w.u32(m.start.value_or(0));
  w.u32(uint32_t(m.elems.size()));
  for (const auto &e : m.elems) {
    w.u8(uint8_t(e.mode));
    w.u8(e.type);
    w.u32(e.table);
    w.init(e.offset);
    w.u32(uint32_t(e.init.size()));
    for (const auto &i : e.init) w.init(i);
  }
  w.u32(uint32_t(m.datas.size()));
  for (const auto &d : m.datas) {
    w.u8(uint8_t(d.mode));
    w.u32(d.memory);
    w.init(d.offset);
    w.bytes(d.bytes);
  }
  w.u32(uint32_t(m.functionNames.size()));
  for (const auto &n : m.functionNames) w.str(n);
  return std::move(w.out);
}

inline Expected<Metadata> deserializeMetadata(std::span<const uint8_t> bytes) {
  detail::MetadataReader r(bytes);
  Metadata m;
  LUCET_ASSIGN_OR_RETURN(version, r.u32());
  if (version != MetadataFormatVersion)
    return Error::format("metadata format version {} is not supported (expected {})", version,
                         MetadataFormatVersion);
  LUCET_ASSIGN_OR_RETURN(fingerprint, r.str());
  m.compilerFingerprint = fingerprint;
  LUCET_ASSIGN_OR_RETURN(numFeatures, r.count(4));
  for (uint32_t i = 0; i < numFeatures; ++i) {
    LUCET_ASSIGN_OR_RETURN(feature, r.str());
    m.requiredCpuFeatures.push_back(std::move(feature));
  }
  LUCET_ASSIGN_OR_RETURN(moduleName, r.str());
  m.moduleName = moduleName;
  LUCET_ASSIGN_OR_RETURN(reserved, r.u64());
  LUCET_ASSIGN_OR_RETURN(guard, r.u64());
  LUCET_ASSIGN_OR_RETURN(checked, r.u8());
  m.heap = {reserved, guard, checked != 0};
  LUCET_ASSIGN_OR_RETURN(numTypes, r.count(8));
  for (uint32_t i = 0; i < numTypes; ++i) {
    FuncTypeDesc t;
    LUCET_ASSIGN_OR_RETURN(params, r.bytes());
    LUCET_ASSIGN_OR_RETURN(results, r.bytes());
    t.params = params;
    t.results = results;
    m.types.push_back(std::move(t));
  }
  LUCET_ASSIGN_OR_RETURN(numImports, r.count(16));
  for (uint32_t i = 0; i < numImports; ++i) {
    ImportDesc d;
    LUCET_ASSIGN_OR_RETURN(module, r.str());
    LUCET_ASSIGN_OR_RETURN(name, r.str());
    LUCET_ASSIGN_OR_RETURN(kind, r.u8());
    if (kind > 3) return Error("malformed metadata: bad import kind");
    LUCET_ASSIGN_OR_RETURN(typeIndex, r.u32());
    LUCET_ASSIGN_OR_RETURN(table, r.table());
    LUCET_ASSIGN_OR_RETURN(memory, r.limits());
    LUCET_ASSIGN_OR_RETURN(global, r.globalType());
    d.module = module;
    d.name = name;
    d.kind = ExternKindCode(kind);
    d.typeIndex = typeIndex;
    d.table = table;
    d.memory = memory;
    d.global = global;
    m.imports.push_back(std::move(d));
  }
  LUCET_ASSIGN_OR_RETURN(numFuncs, r.count(4));
  for (uint32_t i = 0; i < numFuncs; ++i) {
    LUCET_ASSIGN_OR_RETURN(t, r.u32());
    if (t >= m.types.size()) return Error("malformed metadata: function type index out of range");
    m.funcTypeIndices.push_back(t);
  }
  LUCET_ASSIGN_OR_RETURN(numImportedFuncs, r.u32());
  if (numImportedFuncs > numFuncs)
    return Error("malformed metadata: more imported functions than functions");
  m.numImportedFuncs = numImportedFuncs;
  LUCET_ASSIGN_OR_RETURN(numTables, r.count(18));
  for (uint32_t i = 0; i < numTables; ++i) {
    LUCET_ASSIGN_OR_RETURN(t, r.table());
    m.tables.push_back(t);
  }
  LUCET_ASSIGN_OR_RETURN(numMemories, r.count(17));
  for (uint32_t i = 0; i < numMemories; ++i) {
    LUCET_ASSIGN_OR_RETURN(l, r.limits());
    m.memories.push_back(l);
  }
  LUCET_ASSIGN_OR_RETURN(numGlobals, r.count(31));
  for (uint32_t i = 0; i < numGlobals; ++i) {
    GlobalDesc g;
    LUCET_ASSIGN_OR_RETURN(type, r.globalType());
    LUCET_ASSIGN_OR_RETURN(init, r.init());
    g.type = type;
    g.init = init;
    m.globals.push_back(g);
  }
  LUCET_ASSIGN_OR_RETURN(numExports, r.count(9));
  for (uint32_t i = 0; i < numExports; ++i) {
    ExportDesc e;
    LUCET_ASSIGN_OR_RETURN(name, r.str());
    LUCET_ASSIGN_OR_RETURN(kind, r.u8());
    if (kind > 3) return Error("malformed metadata: bad export kind");
    LUCET_ASSIGN_OR_RETURN(index, r.u32());
    e.name = name;
    e.kind = ExternKindCode(kind);
    e.index = index;
    m.exports.push_back(std::move(e));
  }
  LUCET_ASSIGN_OR_RETURN(hasStart, r.u8());
  LUCET_ASSIGN_OR_RETURN(start, r.u32());
  if (hasStart) {
    if (start >= numFuncs) return Error("malformed metadata: start function out of range");
    m.start = start;
  }
  LUCET_ASSIGN_OR_RETURN(numElems, r.count(35));
  for (uint32_t i = 0; i < numElems; ++i) {
    ElemDesc e;
    LUCET_ASSIGN_OR_RETURN(mode, r.u8());
    if (mode > 2) return Error("malformed metadata: bad segment mode");
    LUCET_ASSIGN_OR_RETURN(type, r.u8());
    LUCET_ASSIGN_OR_RETURN(table, r.u32());
    LUCET_ASSIGN_OR_RETURN(offset, r.init());
    LUCET_ASSIGN_OR_RETURN(n, r.count(29));
    e.mode = SegmentModeCode(mode);
    e.type = type;
    e.table = table;
    e.offset = offset;
    for (uint32_t k = 0; k < n; ++k) {
      LUCET_ASSIGN_OR_RETURN(item, r.init());
      e.init.push_back(item);
    }
    m.elems.push_back(std::move(e));
  }
  LUCET_ASSIGN_OR_RETURN(numDatas, r.count(38));
  for (uint32_t i = 0; i < numDatas; ++i) {
    DataDesc d;
    LUCET_ASSIGN_OR_RETURN(mode, r.u8());
    if (mode > 2) return Error("malformed metadata: bad segment mode");
    LUCET_ASSIGN_OR_RETURN(memory, r.u32());
    LUCET_ASSIGN_OR_RETURN(offset, r.init());
    LUCET_ASSIGN_OR_RETURN(b, r.bytes());
    d.mode = SegmentModeCode(mode);
    d.memory = memory;
    d.offset = offset;
    d.bytes = std::move(b);
    m.datas.push_back(std::move(d));
  }
  LUCET_ASSIGN_OR_RETURN(numNames, r.count(4));
  for (uint32_t i = 0; i < numNames; ++i) {
    LUCET_ASSIGN_OR_RETURN(name, r.str());
    m.functionNames.push_back(std::move(name));
  }
  if (!r.r.atEnd()) return Error("malformed metadata: trailing bytes");
  return m;
}

} // namespace lucet::abi
