#pragma once

#include "wasm/Instruction.h"

#include <cstdint>

namespace lucet::compiler {

// Which part of FunctionEmitter lowers an instruction. The opcode table
// (wasm/Opcodes.def) names it per row, so the table drives the emitter:
// FunctionEmitter::emitInstruction dispatches on it, and each family's switch
// ends with OtherEmitFamilies.def, the case labels of every other family's
// rows, and no default. A row its family does not lower is then a -Wswitch
// error (made an error in every build), and a row lowered by two families is
// a duplicate case label.
enum class EmitFamily : uint8_t { Control, Exception, Variable, Numeric, Memory, Table, Simd };

namespace detail {
constexpr EmitFamily genericFamily(unsigned prefix, EmitFamily family) {
  return prefix == 0xfd ? EmitFamily::Simd : family;
}

inline constexpr EmitFamily EmitFamilies[] = {
#define WASM_CONTROL(Name, Code, Imm, Emit, Text) EmitFamily::Emit,
#define WASM_SPECIAL(Name, Prefix, Code, Imm, Emit, Text) EmitFamily::Emit,
#define WASM_LOAD(Name, Prefix, Code, Result, Bytes, Text)                                         \
  genericFamily(Prefix, EmitFamily::Memory),
#define WASM_STORE(Name, Prefix, Code, Type, Bytes, Text) genericFamily(Prefix, EmitFamily::Memory),
#define WASM_UNARY(Name, Prefix, Code, Result, Param, Text)                                        \
  genericFamily(Prefix, EmitFamily::Numeric),
#define WASM_BINARY(Name, Prefix, Code, Result, Param, Text)                                       \
  genericFamily(Prefix, EmitFamily::Numeric),
#define WASM_OPCODE(Name, Prefix, Code, Imm, Text) EmitFamily::Simd, // the WASM_SIMD_* kinds
#include "wasm/Opcodes.def"
};
static_assert(std::size(EmitFamilies) == size_t(wasm::Opcode::Count));
} // namespace detail

constexpr EmitFamily emitFamily(wasm::Opcode op) {
  return detail::EmitFamilies[size_t(op)];
}

} // namespace lucet::compiler
