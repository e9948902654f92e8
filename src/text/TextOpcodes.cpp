#include "text/TextOpcodes.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace lucet::text {

namespace {

constexpr uint8_t log2Of(unsigned bytes) {
  return bytes >= 16 ? 4 : bytes >= 8 ? 3 : bytes >= 4 ? 2 : bytes >= 2 ? 1 : 0;
}

struct Row {
  wasm::Opcode op;
  uint8_t prefix;
  uint32_t code;
  wasm::ImmKind imm;
  uint8_t align;
  const char *text;
};

const Row Rows[] = {
#define WASM_OPCODE(Name, Prefix, Code, Imm, Text)                                                 \
  {wasm::Opcode::Name, Prefix, Code, wasm::ImmKind::Imm, 0, Text},
#define WASM_LOAD(Name, Prefix, Code, Result, Bytes, Text)                                         \
  {wasm::Opcode::Name, Prefix, Code, wasm::ImmKind::MemArg, log2Of(Bytes), Text},
#define WASM_STORE(Name, Prefix, Code, Type, Bytes, Text)                                          \
  {wasm::Opcode::Name, Prefix, Code, wasm::ImmKind::MemArg, log2Of(Bytes), Text},
#define WASM_SIMD_LOAD_LANE(Name, Code, Bytes, Text)                                               \
  {wasm::Opcode::Name, 0xfd, Code, wasm::ImmKind::MemArgLane, log2Of(Bytes), Text},
#define WASM_SIMD_STORE_LANE(Name, Code, Bytes, Text)                                              \
  {wasm::Opcode::Name, 0xfd, Code, wasm::ImmKind::MemArgLane, log2Of(Bytes), Text},
#include "wasm/Opcodes.def"
};

struct Tables {
  std::unordered_map<std::string_view, TextOpcode> byName;
  std::vector<TextOpcode> byOp;
  Tables() {
    byOp.resize(size_t(wasm::Opcode::Count));
    for (const auto &row : Rows) {
      TextOpcode t{row.op, row.prefix, row.code, row.imm, row.align};
      byOp[size_t(row.op)] = t;
      byName.emplace(row.text, t); // the first "select" (untyped) wins
    }
  }
};

const Tables &tables() {
  static const Tables instance;
  return instance;
}

} // namespace

const TextOpcode *findTextOpcode(std::string_view name) {
  const auto &t = tables().byName;
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

const TextOpcode &textOpcode(wasm::Opcode op) {
  return tables().byOp[size_t(op)];
}

} // namespace lucet::text
