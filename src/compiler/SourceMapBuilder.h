#pragma once

#include "abi/SourceMap.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <llvm/IR/LLVMContext.h>

#include <vector>

namespace lucet::compiler {

// One chunk's part of the source map (abi/SourceMap.h): the encoded entries
// of its defined functions [first, first + sizes.size()).
struct SourceMapPart {
  uint32_t first = 0;
  std::vector<uint64_t> sizes; // bytes of each function's entries in `stream`
  std::vector<uint8_t> stream;
};

// A part as bytes and back, for a part built in another process
// (ParallelWork.h): uleb first, uleb count, count ulebs of sizes, then
// the stream.
std::vector<uint8_t> encodeSourceMapPart(const SourceMapPart &part);
Expected<SourceMapPart> decodeSourceMapPart(std::span<const uint8_t> bytes);

// Reads the DWARF line table of a generated object (whose guest functions
// carry wasm offsets as line numbers and are found by their symbols) and
// encodes the entries of defined functions [first, end).
Expected<SourceMapPart> buildSourceMap(const std::vector<char> &object, const wasm::Module &module,
                                       uint32_t first, uint32_t end);

// A relocatable object that defines the exported abi::SourceMapSymbol from
// the parts of all `numFunctions` defined functions, in order. Consumes them.
Expected<std::vector<char>> emitSourceMapObject(uint32_t numFunctions,
                                                std::vector<SourceMapPart> parts);

} // namespace lucet::compiler
