#pragma once

// The instruction mnemonics of the text format, from the one opcode table
// (wasm/Opcodes.def): encoding and immediate kind per name.

#include "wasm/Instruction.h"

#include <string_view>

namespace lucet::text {

struct TextOpcode {
  wasm::Opcode op;
  uint8_t prefix;
  uint32_t code;
  wasm::ImmKind imm;
  uint8_t naturalAlignLog2; // memory accesses
};

// Null for an unknown mnemonic. For "select" this is the untyped form.
const TextOpcode *findTextOpcode(std::string_view name);
const TextOpcode &textOpcode(wasm::Opcode op);

} // namespace lucet::text
