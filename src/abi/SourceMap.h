#pragma once

// Maps machine code back to wasm code offsets, so that a fault in guest code
// (an out-of-bounds access under the guard-page model, stack exhaustion) can
// be reported at the wasm instruction that caused it. The compiler derives it
// from the line table of the code it generated and exports it as a second,
// optional symbol; the runtime looks it up only when a trap needs it.

#include <cstdint>

namespace lucet::abi {

constexpr const char *SourceMapSymbol = "lucet_source_map_v1";

struct SourceMapEntry {
  uint32_t funcIndex;  // function index in the module (imports counted)
  uint32_t codeOffset; // bytes from the start of the function's code
  uint32_t wasmOffset; // offset of the instruction in the wasm binary
};
static_assert(sizeof(SourceMapEntry) == 12);

// Entries are sorted by (funcIndex, codeOffset); an address maps to the last
// entry of its function at or before it.
struct SourceMap {
  uint64_t count;
  SourceMapEntry entries[1]; // `count` entries
};

} // namespace lucet::abi
