#include "wasm/Instruction.h"

#include <algorithm>
#include <unordered_map>

namespace lucet::wasm {

namespace {

struct OpcodeInfo {
  uint8_t prefix;
  uint32_t code;
  ImmKind imm;
  const char *name;
};

constexpr OpcodeInfo OpcodeInfos[] = {
#define WASM_OPCODE(Name, Prefix, Code, Imm, Text) {Prefix, Code, ImmKind::Imm, Text},
#include "wasm/Opcodes.def"
};

struct OpcodeTables {
  std::array<int16_t, 256> single;
  std::unordered_map<uint32_t, Opcode> prefixed; // (prefix << 24) | code

  OpcodeTables() {
    single.fill(-1);
    for (size_t i = 0; i < std::size(OpcodeInfos); ++i) {
      const auto &info = OpcodeInfos[i];
      if (info.prefix == 0)
        single[info.code] = int16_t(i);
      else
        prefixed.emplace((uint32_t(info.prefix) << 24) | info.code, Opcode(i));
    }
  }
};

const OpcodeTables &tables() {
  static const OpcodeTables instance;
  return instance;
}

} // namespace

namespace {

bool isAbstractHeapCode(uint8_t b) {
  return b >= uint8_t(AbsHeap::Exn) && b <= uint8_t(AbsHeap::NoExn);
}

// 2.0 knows funcref and externref; typed function references add the
// bottom types nofunc and noextern. GC's and the exception types are read so
// the validator can name them, and refused there.
bool knownAbstractHeap(uint8_t b, const Features &features) {
  if (b == uint8_t(AbsHeap::Func) || b == uint8_t(AbsHeap::Extern)) return true;
  return features.typedReferences && isAbstractHeapCode(b);
}

} // namespace

Expected<HeapType> readHeapType(ByteReader &r, const Features &features) {
  size_t at = r.offset();
  if (r.atEnd()) return r.error("unexpected end of data");
  uint8_t b = r.bytes()[r.position()];
  if (isAbstractHeapCode(b)) {
    (void)r.readByte();
    if (!knownAbstractHeap(b, features))
      return r.errorAt(at, fmt::format("malformed heap type {:#04x}", b));
    return HeapType(AbsHeap(b));
  }
  LUCET_ASSIGN_OR_RETURN(index, r.readVarS33());
  if (index < 0 || !features.typedReferences)
    return r.errorAt(at, fmt::format("malformed heap type {}", index));
  if (index > int64_t(UINT32_MAX >> 1))
    return r.errorAt(at, fmt::format("unknown type {}: type index out of range", index));
  return HeapType::concrete(uint32_t(index));
}

Expected<ValType> readValType(ByteReader &r, const Features &features) {
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(byte, r.readByte());
  switch (byte) {
  case 0x7f:
  case 0x7e:
  case 0x7d:
  case 0x7c:
  case 0x7b:
    return ValType(ValType::Kind(byte));
  case 0x63:
  case 0x64:
    if (!features.typedReferences) break;
    {
      LUCET_ASSIGN_OR_RETURN(heap, readHeapType(r, features));
      return ValType::ref(heap, byte == 0x63);
    }
  default:
    if (isAbstractHeapCode(byte) && knownAbstractHeap(byte, features))
      return ValType::ref(AbsHeap(byte), true);
    break;
  }
  return r.errorAt(at, fmt::format("malformed value type {:#04x}", byte));
}

const char *opcodeName(Opcode op) {
  return OpcodeInfos[size_t(op)].name;
}
ImmKind opcodeImmKind(Opcode op) {
  return OpcodeInfos[size_t(op)].imm;
}

// 3.0: a memory index; 2.0: a single zero byte.
Expected<uint32_t> InstructionReader::readMemoryIndex() {
  ByteReader &r = reader_;
  if (features_.multipleMemories) return r.readVarU32();
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(byte, r.readByte());
  if (byte != 0) return r.errorAt(at, "zero byte expected");
  return 0u;
}

Status InstructionReader::readMemArg(MemArg &out) {
  ByteReader &r = reader_;
  size_t at = r.offset();
  LUCET_ASSIGN_OR_RETURN(flags, r.readVarU32());
  if (!features_.memArgIndexAndOffset64) {
    LUCET_ASSIGN_OR_RETURN(offset, r.readVarU32());
    out = {flags, offset, 0};
    return Status::ok();
  }
  uint32_t memory = 0;
  if (flags & 0x40) {
    LUCET_ASSIGN_OR_RETURN(index, r.readVarU32());
    memory = index;
    flags &= ~0x40u;
  }
  if (flags >= 0x40) return r.errorAt(at, fmt::format("malformed memop flags {:#x}", flags));
  LUCET_ASSIGN_OR_RETURN(offset, r.readVarU64());
  out = {flags, offset, memory};
  return Status::ok();
}

Status InstructionReader::readCatchClauses(std::vector<CatchClause> &out) {
  ByteReader &r = reader_;
  LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
  if (count > r.remaining()) return r.error("catch clause count exceeds the function body");
  out.clear();
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    LUCET_ASSIGN_OR_RETURN(kind, r.readByte());
    if (kind > 3) return r.errorAt(at, fmt::format("malformed catch clause kind {:#04x}", kind));
    CatchClause clause;
    clause.kind = CatchClause::Kind(kind);
    if (clause.takesTag()) {
      LUCET_ASSIGN_OR_RETURN(tag, r.readVarU32());
      clause.tag = tag;
    }
    LUCET_ASSIGN_OR_RETURN(label, r.readVarU32());
    clause.label = label;
    out.push_back(clause);
  }
  return Status::ok();
}

bool isTailCallOpcode(Opcode op) {
  return op == Opcode::ReturnCall || op == Opcode::ReturnCallIndirect ||
         op == Opcode::ReturnCallRef;
}

bool opensBlock(Opcode op) {
  return op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::Try ||
         op == Opcode::TryTable;
}

bool closesBlock(Opcode op) {
  return op == Opcode::End || op == Opcode::Delegate;
}

bool isExceptionOpcode(Opcode op) {
  switch (op) {
  case Opcode::Try:
  case Opcode::Catch:
  case Opcode::Throw:
  case Opcode::Rethrow:
  case Opcode::ThrowRef:
  case Opcode::Delegate:
  case Opcode::CatchAll:
  case Opcode::TryTable:
    return true;
  default:
    return false;
  }
}

Status InstructionReader::next(Instruction &out) {
  ByteReader &r = reader_;
  out.offset = uint32_t(r.offset());
  LUCET_ASSIGN_OR_RETURN(first, r.readByte());
  const auto &t = tables();
  if (first == 0xfc || first == 0xfd) {
    LUCET_ASSIGN_OR_RETURN(code, r.readVarU32());
    auto it = t.prefixed.find((uint32_t(first) << 24) | code);
    if (it == t.prefixed.end())
      return r.errorAt(out.offset, fmt::format("illegal opcode {:#04x} {}", first, code));
    out.op = it->second;
  } else {
    if (t.single[first] < 0)
      return r.errorAt(out.offset, fmt::format("illegal opcode {:#04x}", first));
    out.op = Opcode(t.single[first]);
  }

  if ((!features_.exceptions && isExceptionOpcode(out.op)) ||
      (!features_.tailCalls && isTailCallOpcode(out.op)))
    return r.errorAt(out.offset, fmt::format("illegal opcode {:#04x}", first));

  switch (opcodeImmKind(out.op)) {
  case ImmKind::None:
    break;
  case ImmKind::TryTable:
  case ImmKind::BlockType: {
    if (r.atEnd()) return r.error("unexpected end of data");
    uint8_t b = r.bytes()[r.position()];
    if (b == 0x40) {
      (void)r.readByte();
      out.blockType = {BlockType::Kind::Empty, ValType::I32, 0};
    } else if ((b >= 0x7b && b <= 0x7f) || b == 0x63 || b == 0x64 || isAbstractHeapCode(b)) {
      LUCET_ASSIGN_OR_RETURN(type, readValType(r, features_));
      out.blockType = {BlockType::Kind::Value, type, 0};
    } else {
      size_t at = r.offset();
      LUCET_ASSIGN_OR_RETURN(index, r.readVarS33());
      if (index < 0) return r.errorAt(at, "malformed block type");
      out.blockType = {BlockType::Kind::TypeIndex, ValType::I32, uint32_t(index)};
    }
    if (opcodeImmKind(out.op) == ImmKind::TryTable) LUCET_TRY(readCatchClauses(out.catches));
    break;
  }
  case ImmKind::Label:
  case ImmKind::Func:
  case ImmKind::Local:
  case ImmKind::Global:
  case ImmKind::Table:
  case ImmKind::Data:
  case ImmKind::Elem:
  case ImmKind::Tag:
  case ImmKind::Type: {
    LUCET_ASSIGN_OR_RETURN(index, r.readVarU32());
    out.index = index;
    break;
  }
  case ImmKind::BrTable: {
    LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
    if (count > r.remaining()) return r.error("br_table target count exceeds the function body");
    out.brTargets.clear();
    out.brTargets.reserve(count + 1);
    for (uint32_t i = 0; i <= count; ++i) {
      LUCET_ASSIGN_OR_RETURN(target, r.readVarU32());
      out.brTargets.push_back(target);
    }
    break;
  }
  case ImmKind::CallIndirect: {
    LUCET_ASSIGN_OR_RETURN(typeIndex, r.readVarU32());
    LUCET_ASSIGN_OR_RETURN(table, r.readVarU32());
    out.index = typeIndex;
    out.index2 = table;
    break;
  }
  case ImmKind::Memory: {
    LUCET_ASSIGN_OR_RETURN(memory, readMemoryIndex());
    out.index = memory;
    break;
  }
  case ImmKind::MemArg:
    LUCET_TRY(readMemArg(out.memArg));
    break;
  case ImmKind::I32: {
    LUCET_ASSIGN_OR_RETURN(value, r.readVarS32());
    out.bits = uint64_t(int64_t(value));
    break;
  }
  case ImmKind::I64: {
    LUCET_ASSIGN_OR_RETURN(value, r.readVarS64());
    out.bits = uint64_t(value);
    break;
  }
  case ImmKind::F32: {
    LUCET_ASSIGN_OR_RETURN(value, r.readFixedU32());
    out.bits = value;
    break;
  }
  case ImmKind::F64: {
    LUCET_ASSIGN_OR_RETURN(value, r.readFixedU64());
    out.bits = value;
    break;
  }
  case ImmKind::SelectT: {
    size_t at = r.offset();
    LUCET_ASSIGN_OR_RETURN(count, r.readVarU32());
    if (count != 1) return r.errorAt(at, "invalid result arity for select");
    LUCET_ASSIGN_OR_RETURN(type, readValType(r, features_));
    out.valType = type;
    break;
  }
  case ImmKind::HeapType: {
    LUCET_ASSIGN_OR_RETURN(heap, readHeapType(r, features_));
    out.valType = ValType::ref(heap, true);
    break;
  }
  case ImmKind::MemoryInit: {
    LUCET_ASSIGN_OR_RETURN(data, r.readVarU32());
    LUCET_ASSIGN_OR_RETURN(memory, readMemoryIndex());
    out.index = data;
    out.index2 = memory;
    break;
  }
  case ImmKind::MemoryCopy: {
    LUCET_ASSIGN_OR_RETURN(dst, readMemoryIndex());
    LUCET_ASSIGN_OR_RETURN(src, readMemoryIndex());
    out.index = dst;
    out.index2 = src;
    break;
  }
  case ImmKind::TableInit: {
    LUCET_ASSIGN_OR_RETURN(elem, r.readVarU32());
    LUCET_ASSIGN_OR_RETURN(table, r.readVarU32());
    out.index = elem;
    out.index2 = table;
    break;
  }
  case ImmKind::TableCopy: {
    LUCET_ASSIGN_OR_RETURN(dst, r.readVarU32());
    LUCET_ASSIGN_OR_RETURN(src, r.readVarU32());
    out.index = dst;
    out.index2 = src;
    break;
  }
  case ImmKind::V128:
  case ImmKind::Shuffle: {
    // Lane bounds of a shuffle are a validation rule, not a decoding one.
    LUCET_ASSIGN_OR_RETURN(bytes, r.readBytes(16));
    std::copy(bytes.begin(), bytes.end(), out.v128.begin());
    break;
  }
  case ImmKind::Lane: {
    LUCET_ASSIGN_OR_RETURN(lane, r.readByte());
    out.lane = lane;
    break;
  }
  case ImmKind::MemArgLane: {
    LUCET_TRY(readMemArg(out.memArg));
    LUCET_ASSIGN_OR_RETURN(lane, r.readByte());
    out.lane = lane;
    break;
  }
  }
  return Status::ok();
}

} // namespace lucet::wasm
