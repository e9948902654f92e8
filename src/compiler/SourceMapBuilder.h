#pragma once

#include "abi/SourceMap.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <llvm/IR/LLVMContext.h>

#include <vector>

namespace lucet::compiler {

// Reads the DWARF line table of a generated object (whose guest functions
// each sit in their own section and carry wasm offsets as line numbers) and
// turns it into source-map entries.
Expected<std::vector<abi::SourceMapEntry>> buildSourceMap(const std::vector<char> &object,
                                                          const wasm::Module &module);

// A relocatable object that defines the exported abi::SourceMapSymbol.
Expected<std::vector<char>> emitSourceMapObject(const std::vector<abi::SourceMapEntry> &entries);

} // namespace lucet::compiler
