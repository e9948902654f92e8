// Compiled, never run, by CTest (compiler.emit-family-*): the build rule that
// makes the opcode table drive the emitter. A switch shaped like an emitter
// family's (compiler/EmitFamily.h) that lowers every Table row builds; one
// that leaves a row out, or also lowers another family's row, must not.
#include "compiler/EmitFamily.h"

namespace lucet::compiler {

int lowerTableRow(wasm::Opcode op) {
  switch (op) {
  case wasm::Opcode::RefNull:
  case wasm::Opcode::RefIsNull:
  case wasm::Opcode::RefFunc:
  case wasm::Opcode::RefAsNonNull:
  case wasm::Opcode::TableGet:
  case wasm::Opcode::TableSet:
  case wasm::Opcode::TableInit:
  case wasm::Opcode::TableCopy:
  case wasm::Opcode::TableGrow:
  case wasm::Opcode::TableSize:
  case wasm::Opcode::TableFill:
#ifndef LEAVE_OUT_ELEM_DROP
  case wasm::Opcode::ElemDrop:
#endif
#ifdef ALSO_LOWER_I32_ADD
  case wasm::Opcode::I32Add:
#endif
    return 1;
#define LUCET_EMITS_Table
#include "compiler/OtherEmitFamilies.def"
    return 0;
  }
}

static_assert(emitFamily(wasm::Opcode::I32Load) == EmitFamily::Memory);
static_assert(emitFamily(wasm::Opcode::V128Load) == EmitFamily::Simd);
static_assert(emitFamily(wasm::Opcode::I32TruncSatF32S) == EmitFamily::Numeric);
static_assert(emitFamily(wasm::Opcode::F32x4RelaxedMadd) == EmitFamily::Simd);
static_assert(emitFamily(wasm::Opcode::I8x16ExtractLaneS) == EmitFamily::Simd);
static_assert(emitFamily(wasm::Opcode::Throw) == EmitFamily::Exception);
static_assert(emitFamily(wasm::Opcode::LocalGet) == EmitFamily::Variable);

} // namespace lucet::compiler
