#pragma once

#include "support/Expected.h"
#include "wasm/Instruction.h"
#include "wasm/Module.h"

namespace lucet::wasm {

// Validates a module read by readModule against WebAssembly 2.0 without SIMD:
// the module-level rules (index spaces, limits, exports, start, segments,
// constant expressions, declared function references) and every function
// body. Body errors read
//   "at offset 0x<hex>: in function <name> (func[<index>]): <reason>"
// with reasons worded like the spec test suite's ("type mismatch", "unknown
// local", ...) followed by detail.
Status validateModule(const Module &module);

// The parameters and results of a block type. Only meaningful for a module
// that validated (a type index is assumed in range; out of range gives an
// empty signature).
FuncType blockSignature(const Module &module, const BlockType &blockType);

// Per function index: whether the module declares a reference to it (an
// export, an element segment, a global's or table's initialiser), so that
// ref.func may name it in a body. Only these functions can become values.
std::vector<bool> declaredFunctions(const Module &m);

} // namespace lucet::wasm
