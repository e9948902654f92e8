#pragma once

// Maps machine code back to wasm code offsets, so that a fault in guest code
// (an out-of-bounds access under the guard-page model, stack exhaustion) can
// be reported at the wasm instruction that caused it. The compiler derives it
// from the line table of the code it generated and exports it as a second,
// optional symbol; the runtime looks it up only when a trap needs it.

#include <cstdint>

namespace lucet::abi {

constexpr const char *SourceMapSymbol = "lucet_source_map_v2";

struct SourceMapEntry {
  uint32_t funcIndex;     // function whose machine code this is (imports counted)
  uint32_t codeOffset;    // bytes from the start of that function's code
  uint32_t wasmOffset;    // offset of the instruction in the wasm binary
  uint32_t wasmFuncIndex; // function whose body holds the instruction: differs
                          // from funcIndex where a callee was inlined
};
static_assert(sizeof(SourceMapEntry) == 16);

// Entries are sorted by (funcIndex, codeOffset); an address maps to the last
// entry of its function at or before it.
struct SourceMap {
  uint64_t count;
  SourceMapEntry entries[1]; // `count` entries
};

} // namespace lucet::abi
