#include "wasm/BinaryReader.h"

#include "wasm/ImplementationLimits.h"
#include "wasm/Instruction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace lucet::wasm {

namespace {

enum SectionId : uint8_t {
  CustomId = 0,
  TypeId = 1,
  ImportId = 2,
  FunctionId = 3,
  TableId = 4,
  MemoryId = 5,
  GlobalId = 6,
  ExportId = 7,
  StartId = 8,
  ElementId = 9,
  CodeId = 10,
  DataId = 11,
  DataCountId = 12,
  TagId = 13, // 3.0, exception handling
};

// Position of a known section in the required order. The data count section
// sits between the element and code sections although its id is the
// largest; the tag section between the memory and global sections.
int sectionRank(uint8_t id) {
  switch (id) {
  case TagId:
    return 2 * MemoryId + 1;
  case DataCountId:
    return 2 * ElementId + 1;
  case CodeId:
    return 2 * ElementId + 2;
  case DataId:
    return 2 * ElementId + 3;
  default:
    return 2 * id;
  }
}

Expected<ValType> readRefType(ByteReader &r, const Features &features) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(type, readValType(r, features));
  if (!type.isRef())
    return r.errorAt(at, fmt::format("malformed reference type {}", valTypeName(type)));
  return type;
}

// A vector length, refused early when the remaining bytes could not possibly
// hold that many entries so a hostile count cannot trigger a huge allocation.
Expected<uint32_t> readCount(ByteReader &r, size_t minEntrySize = 1) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
  if (uint64_t(count) * minEntrySize > r.remaining())
    return r.errorAt(at, fmt::format("unexpected end of section or function: length out of "
                                     "bounds ({} entries in {} bytes)",
                                     count, r.remaining()));
  return count;
}

// Refuses a module beyond one of the implementation limits
// (ImplementationLimits.h), naming the limit, the value and where.
Status checkLimit(ByteReader &r, size_t at, uint64_t value, uint64_t limit,
                  const std::string &what) {
  if (value <= limit) return Status::ok();
  return r.errorAt(at, fmt::format("implementation limit exceeded: {} {}; at most {} are supported",
                                   value, what, limit));
}

// A section's entry count, checked against its implementation limit before
// anything is allocated for the entries.
Expected<uint32_t> readLimitedCount(ByteReader &r, uint32_t limit, const char *what,
                                    size_t minEntrySize = 1) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, readCount(r, minEntrySize));
  LUCET_TRY(checkLimit(r, at, count, limit, what));
  return count;
}

// Bit 0: a maximum follows; bit 2 (3.0, memory64): 64-bit addresses. 3.0
// reads the sizes as u64 and leaves their range to the validator.
Expected<Limits> readLimits(ByteReader &r, const Features &features) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(flags, r.readByte());
  Limits limits;
  // The flags are a one-byte LEB128 field: a continuation bit is an
  // over-long encoding, any other bit an unknown (e.g. shared) flag.
  if (flags & 0x80)
    return r.errorAt(at,
                     fmt::format("integer representation too long: limits flags {:#04x}", flags));
  uint8_t known = features.addressType64 ? 0x05 : 0x01;
  if (flags & ~known)
    return r.errorAt(at, fmt::format("integer too large: malformed limits flags {:#04x}", flags));
  limits.is64 = flags & 0x04;
  auto size = [&]() -> Expected<uint64_t> {
    if (features.addressType64) return r.readVarU64();
    LUCET_ASSIGN_OR_RETURN(v, r.readVarU32());
    return uint64_t(v);
  };
  LUCET_ASSIGN_OR_RETURN(min, size());
  limits.min = min;
  if (flags & 0x01) {
    LUCET_ASSIGN_OR_RETURN(max, size());
    limits.max = max;
  }
  return limits;
}

Expected<TableType> readTableType(ByteReader &r, const Features &features) {
  TableType type;
  LUCET_ASSIGN_OR_RETURN(elemType, readRefType(r, features));
  LUCET_ASSIGN_OR_RETURN(limits, readLimits(r, features));
  type.elemType = elemType;
  type.limits = limits;
  return type;
}

Expected<GlobalType> readGlobalType(ByteReader &r, const Features &features) {
  GlobalType type;
  LUCET_ASSIGN_OR_RETURN(valType, readValType(r, features));
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(mut, r.readByte());
  if (mut > 1) return r.errorAt(at, fmt::format("malformed mutability {:#04x}", mut));
  type.type = valType;
  type.isMutable = mut == 1;
  return type;
}

class ModuleReader {
public:
  explicit ModuleReader(Module &module) : m_(module) {}

  Status read();

private:
  Status readSection(uint8_t id, ByteReader &r);
  Status readTypeSection(ByteReader &r);
  Status readImportSection(ByteReader &r);
  Status readFunctionSection(ByteReader &r);
  Status readTableSection(ByteReader &r);
  Status readMemorySection(ByteReader &r);
  Status readGlobalSection(ByteReader &r);
  Status readExportSection(ByteReader &r);
  Status readStartSection(ByteReader &r);
  Status readTagSection(ByteReader &r);
  Expected<uint32_t> readTagType(ByteReader &r);
  Status readElementSection(ByteReader &r);
  Status readDataCountSection(ByteReader &r);
  Status readCodeSection(ByteReader &r);
  Status readDataSection(ByteReader &r);
  Status readCustomSection(ByteReader &r, size_t sectionStart);
  Status readFuncIndexInits(ByteReader &r, ElemSegment &seg);
  Status readExprInits(ByteReader &r, ElemSegment &seg);

  Module &m_;
  std::vector<uint32_t> definedFuncTypes_;
  bool sawCode_ = false;
  bool sawData_ = false;
};

Status ModuleReader::read() {
  ByteReader r(m_.bytes);
  static const uint8_t Magic[4] = {0x00, 0x61, 0x73, 0x6d};
  if (m_.bytes.size() < 4)
    return r.errorAt(m_.bytes.size(), "unexpected end: truncated magic header");
  if (std::memcmp(m_.bytes.data(), Magic, 4) != 0) return r.errorAt(0, "magic header not detected");
  LUCET_TRY(r.skip(4));
  if (r.remaining() < 4) return r.errorAt(4, "unexpected end: unknown binary version");
  LUCET_ASSIGN_OR_RETURN(version, r.readFixedU32());
  if (version != 1) return r.errorAt(4, fmt::format("unknown binary version {:#x}", version));
  LUCET_TRY(checkLimit(r, 0, m_.bytes.size(), MaxModuleBytes, "bytes in the module"));

  int lastRank = 0;
  while (!r.atEnd()) {
    size_t idAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(id, r.readByte());
    if (id > (m_.features.exceptions ? TagId : DataCountId))
      return r.errorAt(idAt, fmt::format("malformed section id {}", id));
    size_t sizeAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(size, r.readVarU32());
    if (size > r.remaining())
      return r.errorAt(sizeAt, fmt::format("unexpected end: section size {} exceeds the {} "
                                           "remaining bytes (length out of bounds)",
                                           size, r.remaining()));
    if (id != CustomId) {
      int rank = sectionRank(id);
      if (rank <= lastRank)
        return r.errorAt(idAt, fmt::format("unexpected content after last section: section id "
                                           "{} is duplicated or out of order",
                                           id));
      lastRank = rank;
    }
    size_t start = r.position();
    ByteReader section(std::span<const uint8_t>(m_.bytes).subspan(start, size), start);
    if (id == CustomId)
      LUCET_TRY(readCustomSection(section, idAt));
    else
      LUCET_TRY(readSection(id, section));
    if (!section.atEnd())
      return section.error(fmt::format("section size mismatch: section id {} ends at {:#x} but "
                                       "its content ends here",
                                       id, start + size));
    LUCET_TRY(r.skip(size));
  }

  if (!sawCode_ && !definedFuncTypes_.empty())
    return r.error(
        "function and code section have inconsistent lengths: " +
        fmt::format("{} functions declared but no code section", definedFuncTypes_.size()));
  if (m_.dataCount && !sawData_ && *m_.dataCount != 0)
    return r.error(fmt::format("data count and data section have inconsistent lengths: data "
                               "count {} but no data section",
                               *m_.dataCount));
  return Status::ok();
}

Status ModuleReader::readSection(uint8_t id, ByteReader &r) {
  switch (id) {
  case TypeId:
    return readTypeSection(r);
  case ImportId:
    return readImportSection(r);
  case FunctionId:
    return readFunctionSection(r);
  case TableId:
    return readTableSection(r);
  case MemoryId:
    return readMemorySection(r);
  case GlobalId:
    return readGlobalSection(r);
  case ExportId:
    return readExportSection(r);
  case StartId:
    return readStartSection(r);
  case ElementId:
    return readElementSection(r);
  case DataCountId:
    return readDataCountSection(r);
  case CodeId:
    return readCodeSection(r);
  case DataId:
    return readDataSection(r);
  case TagId:
    return readTagSection(r);
  default:
    return r.error("malformed section id");
  }
}

Status ModuleReader::readTypeSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count, readLimitedCount(r, MaxTypes, "types in the type section"));
  m_.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    LUCET_ASSIGN_OR_RETURN(form, r.readByte());
    if (form != 0x60)
      return r.errorAt(at, fmt::format("integer representation too long: malformed function "
                                       "type form {:#04x}",
                                       form));
    FuncType type;
    size_t paramsAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(numParams, readCount(r));
    LUCET_TRY(checkLimit(r, paramsAt, numParams, MaxFunctionParams,
                         fmt::format("parameters in type {}", i)));
    for (uint32_t k = 0; k < numParams; ++k) {
      LUCET_ASSIGN_OR_RETURN(t, readValType(r, m_.features));
      type.params.push_back(t);
    }
    size_t resultsAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(numResults, readCount(r));
    LUCET_TRY(checkLimit(r, resultsAt, numResults, MaxFunctionResults,
                         fmt::format("results in type {}", i)));
    for (uint32_t k = 0; k < numResults; ++k) {
      LUCET_ASSIGN_OR_RETURN(t, readValType(r, m_.features));
      type.results.push_back(t);
    }
    m_.types.push_back(std::move(type));
  }
  return Status::ok();
}

Status ModuleReader::readImportSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count, readLimitedCount(r, MaxImports, "imports in the import section"));
  for (uint32_t i = 0; i < count; ++i) {
    Import imp;
    LUCET_ASSIGN_OR_RETURN(moduleName, r.readName());
    LUCET_ASSIGN_OR_RETURN(fieldName, r.readName());
    imp.module = std::move(moduleName);
    imp.name = std::move(fieldName);
    size_t kindAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(kind, r.readByte());
    switch (kind) {
    case 0: {
      LUCET_ASSIGN_OR_RETURN(typeIndex, r.readVarU32());
      imp.kind = ExternKind::Func;
      imp.typeIndex = typeIndex;
      m_.funcTypeIndices.push_back(typeIndex);
      ++m_.numImportedFuncs;
      break;
    }
    case 1: {
      LUCET_ASSIGN_OR_RETURN(table, readTableType(r, m_.features));
      imp.kind = ExternKind::Table;
      imp.table = table;
      m_.tables.push_back(table);
      ++m_.numImportedTables;
      break;
    }
    case 2: {
      LUCET_ASSIGN_OR_RETURN(limits, readLimits(r, m_.features));
      imp.kind = ExternKind::Memory;
      imp.memory.limits = limits;
      m_.memories.push_back(imp.memory);
      ++m_.numImportedMemories;
      break;
    }
    case 3: {
      LUCET_ASSIGN_OR_RETURN(global, readGlobalType(r, m_.features));
      imp.kind = ExternKind::Global;
      imp.global = global;
      m_.globalTypes.push_back(global);
      ++m_.numImportedGlobals;
      break;
    }
    case 4: {
      if (!m_.features.exceptions)
        return r.errorAt(kindAt, fmt::format("malformed import kind {:#04x}", kind));
      LUCET_ASSIGN_OR_RETURN(typeIndex, readTagType(r));
      imp.kind = ExternKind::Tag;
      imp.typeIndex = typeIndex;
      m_.tagTypeIndices.push_back(typeIndex);
      ++m_.numImportedTags;
      break;
    }
    default:
      return r.errorAt(kindAt, fmt::format("malformed import kind {:#04x}", kind));
    }
    m_.imports.push_back(std::move(imp));
  }
  return Status::ok();
}

Status ModuleReader::readFunctionSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count,
                         readLimitedCount(r, MaxFunctions, "functions in the function section"));
  definedFuncTypes_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    LUCET_ASSIGN_OR_RETURN(typeIndex, r.readVarU32());
    definedFuncTypes_.push_back(typeIndex);
    m_.funcTypeIndices.push_back(typeIndex);
  }
  return Status::ok();
}

Status ModuleReader::readTableSection(ByteReader &r) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, readCount(r));
  LUCET_TRY(checkLimit(r, at, uint64_t(count) + m_.tables.size(), MaxTables,
                       "tables (imported and defined)"));
  for (uint32_t i = 0; i < count; ++i) {
    // 3.0: 0x40 0x00 introduces a table type followed by an initialiser;
    // otherwise every element starts as null.
    bool withInit = false;
    if (m_.features.typedReferences && !r.atEnd() && r.bytes()[r.position()] == 0x40) {
      (void)r.readByte();
      size_t zeroAt = r.offset();
      LUCET_ASSIGN_OR_RETURN(zero, r.readByte());
      if (zero != 0) return r.errorAt(zeroAt, fmt::format("malformed table: {:#04x}", zero));
      withInit = true;
    }
    size_t typeAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(table, readTableType(r, m_.features));
    ConstExpr init;
    if (withInit) {
      LUCET_ASSIGN_OR_RETURN(expr, readConstExpr(r, m_.features));
      init = std::move(expr);
    } else {
      init.kind = ConstExpr::Kind::RefNull;
      init.refType = ValType::ref(table.elemType.heap(), true);
      init.offset = uint32_t(typeAt);
    }
    m_.tables.push_back(table);
    m_.tableInits.push_back(std::move(init));
  }
  return Status::ok();
}

Status ModuleReader::readMemorySection(ByteReader &r) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, readCount(r));
  LUCET_TRY(checkLimit(r, at, uint64_t(count) + m_.memories.size(), MaxMemories,
                       "memories (imported and defined)"));
  for (uint32_t i = 0; i < count; ++i) {
    LUCET_ASSIGN_OR_RETURN(limits, readLimits(r, m_.features));
    m_.memories.push_back(MemoryType{limits});
  }
  return Status::ok();
}

Status ModuleReader::readGlobalSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count, readLimitedCount(r, MaxGlobals, "globals in the global section"));
  for (uint32_t i = 0; i < count; ++i) {
    Global global;
    LUCET_ASSIGN_OR_RETURN(type, readGlobalType(r, m_.features));
    LUCET_ASSIGN_OR_RETURN(init, readConstExpr(r, m_.features));
    global.type = type;
    global.init = init;
    m_.globalTypes.push_back(type);
    m_.globals.push_back(global);
  }
  return Status::ok();
}

Status ModuleReader::readExportSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count, readLimitedCount(r, MaxExports, "exports in the export section"));
  for (uint32_t i = 0; i < count; ++i) {
    Export exp;
    LUCET_ASSIGN_OR_RETURN(name, r.readName());
    exp.name = std::move(name);
    size_t kindAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(kind, r.readByte());
    if (kind > (m_.features.exceptions ? 4 : 3))
      return r.errorAt(kindAt, fmt::format("malformed export kind {:#04x}", kind));
    exp.kind = ExternKind(kind);
    LUCET_ASSIGN_OR_RETURN(index, r.readVarU32());
    exp.index = index;
    m_.exports.push_back(std::move(exp));
  }
  return Status::ok();
}

// A tag type: attribute 0 (an exception) and a function type index.
Expected<uint32_t> ModuleReader::readTagType(ByteReader &r) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(attribute, r.readByte());
  if (attribute != 0)
    return r.errorAt(at, fmt::format("malformed tag attribute {:#04x}", attribute));
  return r.readVarU32();
}

Status ModuleReader::readTagSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count, readLimitedCount(r, MaxTags, "tags in the tag section", 2));
  for (uint32_t i = 0; i < count; ++i) {
    LUCET_ASSIGN_OR_RETURN(typeIndex, readTagType(r));
    m_.tagTypeIndices.push_back(typeIndex);
  }
  return Status::ok();
}

Status ModuleReader::readStartSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(index, r.readVarU32());
  m_.start = index;
  return Status::ok();
}

Status ModuleReader::readFuncIndexInits(ByteReader &r, ElemSegment &seg) {
  LUCET_ASSIGN_OR_RETURN(
      count, readLimitedCount(r, MaxElemSegmentItems, "elements in an element segment"));
  seg.init.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    ConstExpr e;
    e.offset = uint32_t(r.offset());
    LUCET_ASSIGN_OR_RETURN(index, r.readVarU32());
    e.kind = ConstExpr::Kind::RefFunc;
    e.index = index;
    seg.init.push_back(e);
  }
  return Status::ok();
}

Status ModuleReader::readExprInits(ByteReader &r, ElemSegment &seg) {
  LUCET_ASSIGN_OR_RETURN(
      count, readLimitedCount(r, MaxElemSegmentItems, "elements in an element segment", 2));
  seg.init.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    LUCET_ASSIGN_OR_RETURN(e, readConstExpr(r, m_.features));
    seg.init.push_back(e);
  }
  return Status::ok();
}

Status ModuleReader::readElementSection(ByteReader &r) {
  LUCET_ASSIGN_OR_RETURN(count,
                         readLimitedCount(r, MaxElemSegments, "segments in the element section"));
  for (uint32_t i = 0; i < count; ++i) {
    ElemSegment seg;
    size_t flagsAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(flags, r.readVarU32());
    if (flags > 7)
      return r.errorAt(flagsAt, fmt::format("malformed elements segment flags {}", flags));
    // Bit 0: passive or declarative; bit 1: explicit table index (active) or
    // declarative (otherwise); bit 2: initialisers are expressions.
    bool passiveOrDeclarative = flags & 1;
    bool bit1 = flags & 2;
    bool usesExprs = flags & 4;
    if (!passiveOrDeclarative) {
      seg.mode = SegmentMode::Active;
      if (bit1) {
        LUCET_ASSIGN_OR_RETURN(table, r.readVarU32());
        seg.table = table;
      }
      LUCET_ASSIGN_OR_RETURN(offset, readConstExpr(r, m_.features));
      seg.offset = offset;
    } else {
      seg.mode = bit1 ? SegmentMode::Declarative : SegmentMode::Passive;
    }
    // Function indices are (ref func) in 3.0 (2.0: funcref), expressions
    // funcref unless the segment says otherwise (flags 5 to 7).
    seg.type = usesExprs || !m_.features.typedReferences ? ValType::FuncRef
                                                         : ValType::ref(AbsHeap::Func, false);
    if (passiveOrDeclarative || bit1) {
      if (usesExprs) {
        LUCET_ASSIGN_OR_RETURN(type, readRefType(r, m_.features));
        seg.type = type;
      } else {
        size_t kindAt = r.offset();
        LUCET_ASSIGN_OR_RETURN(kind, r.readByte());
        if (kind != 0)
          return r.errorAt(kindAt, fmt::format("malformed element kind {:#04x}", kind));
      }
    }
    if (usesExprs)
      LUCET_TRY(readExprInits(r, seg));
    else
      LUCET_TRY(readFuncIndexInits(r, seg));
    m_.elems.push_back(std::move(seg));
  }
  return Status::ok();
}

Status ModuleReader::readDataCountSection(ByteReader &r) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
  LUCET_TRY(checkLimit(r, at, count, MaxDataSegments, "data segments in the data count section"));
  m_.dataCount = count;
  return Status::ok();
}

// Decoding a body is part of reading the binary: a body whose instructions
// do not decode, or whose final `end` is missing or early, is malformed, and
// must be reported as such before validation looks at types.
Status checkBodyEncoding(std::span<const uint8_t> body, size_t base, const Features &features) {
  InstructionReader reader(body, base, features);
  Instruction ins;
  uint64_t depth = 1;
  while (!reader.atEnd()) {
    LUCET_TRY(reader.next(ins));
    if (opensBlock(ins.op)) {
      ++depth;
    } else if (closesBlock(ins.op)) {
      if (--depth == 0) {
        if (!reader.atEnd())
          return Error::format("at offset {:#x}: section size mismatch: the function body "
                               "continues after its final end",
                               reader.offset());
        return Status::ok();
      }
    }
  }
  return Error::format("at offset {:#x}: unexpected end of section or function: the body has no "
                       "final end",
                       base + body.size());
}

Status ModuleReader::readCodeSection(ByteReader &r) {
  sawCode_ = true;
  size_t countAt = r.offset();
  LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
  if (count != definedFuncTypes_.size())
    return r.errorAt(countAt, fmt::format("function and code section have inconsistent lengths: "
                                          "{} functions but {} bodies",
                                          definedFuncTypes_.size(), count));
  m_.functions.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Function f;
    f.typeIndex = definedFuncTypes_[i];
    f.entryOffset = uint32_t(r.offset());
    LUCET_ASSIGN_OR_RETURN(size, r.readVarU32());
    if (size > r.remaining())
      return r.errorAt(f.entryOffset,
                       fmt::format("unexpected end of section or function: body size {} exceeds "
                                   "the section",
                                   size));
    LUCET_TRY(checkLimit(r, f.entryOffset, size, MaxFunctionBodyBytes,
                         fmt::format("bytes in the body of function {}", m_.numImportedFuncs + i)));
    size_t bodyStart = r.position();
    ByteReader body(r.bytes().subspan(bodyStart, size), r.offset());
    LUCET_ASSIGN_OR_RETURN(numRuns, readCount(body));
    // Parameters count against the limit too; an unknown type index is the
    // validator's to report.
    uint64_t total = f.typeIndex < m_.types.size() ? m_.types[f.typeIndex].params.size() : 0;
    f.locals.reserve(numRuns);
    for (uint32_t k = 0; k < numRuns; ++k) {
      size_t runAt = body.offset();
      LUCET_ASSIGN_OR_RETURN(n, body.readVarU32());
      total += n;
      if (total > UINT32_MAX) return body.errorAt(runAt, "too many locals");
      if (total > MaxFunctionLocals)
        return body.errorAt(runAt, fmt::format("too many locals: function {} has at least {} "
                                               "locals (parameters included); the "
                                               "implementation limit is {}",
                                               m_.numImportedFuncs + i, total, MaxFunctionLocals));
      LUCET_ASSIGN_OR_RETURN(type, readValType(body, m_.features));
      if (n != 0) f.locals.push_back(LocalRun{n, type});
    }
    f.bodyOffset = uint32_t(body.offset());
    f.bodyEnd = uint32_t(r.offset() + size);
    LUCET_TRY(
        checkBodyEncoding(r.bytes().subspan(body.position() + bodyStart, f.bodyEnd - f.bodyOffset),
                          f.bodyOffset, m_.features));
    LUCET_TRY(r.skip(size));
    m_.functions.push_back(std::move(f));
  }
  return Status::ok();
}

Status ModuleReader::readDataSection(ByteReader &r) {
  sawData_ = true;
  size_t countAt = r.offset();
  LUCET_ASSIGN_OR_RETURN(count,
                         readLimitedCount(r, MaxDataSegments, "segments in the data section"));
  if (m_.dataCount && *m_.dataCount != count)
    return r.errorAt(countAt, fmt::format("data count and data section have inconsistent lengths: "
                                          "data count {} but {} segments",
                                          *m_.dataCount, count));
  for (uint32_t i = 0; i < count; ++i) {
    DataSegment seg;
    size_t flagsAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(flags, r.readVarU32());
    switch (flags) {
    case 0:
    case 2: {
      seg.mode = SegmentMode::Active;
      if (flags == 2) {
        LUCET_ASSIGN_OR_RETURN(memory, r.readVarU32());
        seg.memory = memory;
      }
      LUCET_ASSIGN_OR_RETURN(offset, readConstExpr(r, m_.features));
      seg.offset = offset;
      break;
    }
    case 1:
      seg.mode = SegmentMode::Passive;
      break;
    default:
      return r.errorAt(flagsAt, fmt::format("malformed data segment flags {}", flags));
    }
    size_t sizeAt = r.offset();
    LUCET_ASSIGN_OR_RETURN(size, r.readVarU32());
    if (size > r.remaining())
      return r.errorAt(sizeAt, fmt::format("unexpected end of section or function: data segment "
                                           "size {} exceeds the section",
                                           size));
    seg.bytesOffset = uint32_t(r.offset());
    seg.bytesSize = size;
    LUCET_TRY(r.skip(size));
    m_.datas.push_back(seg);
  }
  return Status::ok();
}

// The name section is debugging information: a malformed one is dropped,
// never an error.
void readNameSection(Module &m, std::span<const uint8_t> payload, size_t base) {
  auto parse = [&]() -> Status {
    ByteReader r(payload, base);
    int lastId = -1;
    while (!r.atEnd()) {
      LUCET_ASSIGN_OR_RETURN(id, r.readByte());
      LUCET_ASSIGN_OR_RETURN(size, r.readVarU32());
      if (size > r.remaining()) return r.error("subsection out of bounds");
      if (int(id) <= lastId) return r.error("subsection out of order");
      lastId = id;
      ByteReader sub(r.bytes().subspan(r.position(), size), r.offset());
      LUCET_TRY(r.skip(size));
      if (id == 0) {
        LUCET_ASSIGN_OR_RETURN(name, sub.readName());
        m.moduleName = std::move(name);
      } else if (id == 1) {
        LUCET_ASSIGN_OR_RETURN(count, readCount(sub));
        for (uint32_t i = 0; i < count; ++i) {
          LUCET_ASSIGN_OR_RETURN(index, sub.readVarU32());
          LUCET_ASSIGN_OR_RETURN(name, sub.readName());
          m.functionNames[index] = std::move(name);
        }
      } else {
        continue; // local names and later extensions are not used
      }
      if (!sub.atEnd()) return sub.error("subsection size mismatch");
    }
    return Status::ok();
  };
  if (!parse()) {
    m.moduleName.clear();
    m.functionNames.clear();
  }
}

Status ModuleReader::readCustomSection(ByteReader &r, size_t sectionStart) {
  LUCET_ASSIGN_OR_RETURN(name, r.readName());
  CustomSection custom;
  custom.name = std::move(name);
  custom.payloadOffset = uint32_t(r.offset());
  custom.payloadSize = uint32_t(r.remaining());
  if (custom.name == "name") readNameSection(m_, r.bytes().subspan(r.position()), r.offset());
  LUCET_TRY(r.skip(r.remaining()));
  m_.customSections.push_back(std::move(custom));
  return Status::ok();
}

bool isConstantOp(Opcode op) {
  return op == Opcode::I32Const || op == Opcode::I64Const || op == Opcode::F32Const ||
         op == Opcode::F64Const || op == Opcode::V128Const || op == Opcode::GlobalGet ||
         op == Opcode::RefNull || op == Opcode::RefFunc;
}

} // namespace

namespace {

// One instruction of a constant expression, or an error if it is not one.
Expected<ConstExpr> constInstruction(const Instruction &ins, bool extended, ByteReader &r) {
  ConstExpr e;
  e.offset = ins.offset;
  switch (ins.op) {
  case Opcode::I32Const:
    e.kind = ConstExpr::Kind::I32Const;
    e.bits = uint32_t(ins.bits);
    return e;
  case Opcode::I64Const:
    e.kind = ConstExpr::Kind::I64Const;
    e.bits = ins.bits;
    return e;
  case Opcode::F32Const:
    e.kind = ConstExpr::Kind::F32Const;
    e.bits = ins.bits;
    return e;
  case Opcode::F64Const:
    e.kind = ConstExpr::Kind::F64Const;
    e.bits = ins.bits;
    return e;
  case Opcode::V128Const:
    e.kind = ConstExpr::Kind::V128Const;
    e.v128 = ins.v128;
    return e;
  case Opcode::GlobalGet:
    e.kind = ConstExpr::Kind::GlobalGet;
    e.index = ins.index;
    return e;
  case Opcode::RefNull:
    e.kind = ConstExpr::Kind::RefNull;
    e.refType = ins.valType;
    return e;
  case Opcode::RefFunc:
    e.kind = ConstExpr::Kind::RefFunc;
    e.index = ins.index;
    e.refType = ValType::FuncRef;
    return e;
  default:
    break;
  }
  if (extended) {
    static constexpr std::pair<Opcode, ConstExpr::Kind> arithmetic[] = {
        {Opcode::I32Add, ConstExpr::Kind::I32Add}, {Opcode::I32Sub, ConstExpr::Kind::I32Sub},
        {Opcode::I32Mul, ConstExpr::Kind::I32Mul}, {Opcode::I64Add, ConstExpr::Kind::I64Add},
        {Opcode::I64Sub, ConstExpr::Kind::I64Sub}, {Opcode::I64Mul, ConstExpr::Kind::I64Mul}};
    for (auto [op, kind] : arithmetic)
      if (ins.op == op) {
        e.kind = kind;
        return e;
      }
  }
  if (ins.op == Opcode::End)
    return r.errorAt(ins.offset, "type mismatch: empty constant expression");
  return r.errorAt(ins.offset, fmt::format("constant expression required: {} is not a "
                                           "constant instruction",
                                           opcodeName(ins.op)));
}

} // namespace

Expected<ConstExpr> readConstExpr(ByteReader &r, const Features &features) {
  uint32_t start = uint32_t(r.offset());
  InstructionReader ir(r.bytes().subspan(r.position()), r.offset(), features);
  Instruction ins;
  std::vector<ConstExpr> program;
  for (;;) {
    LUCET_TRY(ir.next(ins));
    if (ins.op == Opcode::End && !program.empty()) break;
    LUCET_ASSIGN_OR_RETURN(e, constInstruction(ins, features.extendedConst, r));
    program.push_back(std::move(e));
    if (!features.extendedConst && program.size() == 2) {
      // 2.0: only constants up to `end` are well formed but leave several
      // values, which the spec calls a type error; any other instruction
      // makes the expression non-constant.
      uint32_t extraAt = program[1].offset;
      Opcode extra = ins.op;
      for (;;) {
        if (!ir.next(ins) || ins.op == Opcode::End)
          return r.errorAt(extraAt, fmt::format("type mismatch: constant expression must "
                                                "produce exactly one value, found a second ({})",
                                                opcodeName(extra)));
        if (!isConstantOp(ins.op)) break;
      }
      return r.errorAt(ins.offset, fmt::format("constant expression required: {} is not a "
                                               "constant instruction",
                                               opcodeName(ins.op)));
    }
  }
  LUCET_TRY(r.skip(ir.offset() - r.offset()));
  if (program.size() == 1) {
    ConstExpr e = std::move(program[0]);
    e.offset = start;
    return e;
  }
  ConstExpr e;
  e.kind = ConstExpr::Kind::Extended;
  e.offset = start;
  e.program = std::move(program);
  return e;
}

Expected<Module> readModule(std::vector<uint8_t> bytes, Features features) {
  Module module;
  module.bytes = std::move(bytes);
  module.features = features;
  ModuleReader reader(module);
  LUCET_TRY(reader.read());
  return module;
}

} // namespace lucet::wasm
