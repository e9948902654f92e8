#pragma once

#include "support/ByteReader.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <cstdint>
#include <vector>

namespace lucet::wasm {

// Decodes the sections of a WebAssembly 2.0 binary into a Module. Function
// bodies are located but not decoded (the validator and the compiler each
// walk them with InstructionReader). The result is well formed but not yet
// validated: run validateModule before trusting indices or types.
//
// Errors read "at offset 0x<hex>: <reason>", the offset being that of the
// offending byte, with reasons worded like the spec test suite's.
Expected<Module> readModule(std::vector<uint8_t> bytes, Features features = Features::wasm3());

// Reads one constant expression (an instruction then `end`) from `reader`.
// Shared with tools that need to decode initialisers outside a section walk.
Expected<ConstExpr> readConstExpr(ByteReader &reader, const Features &features = Features::wasm3());

} // namespace lucet::wasm
