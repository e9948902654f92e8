#pragma once

// Maps machine code back to wasm code offsets, so that a fault in guest code
// (an out-of-bounds access under the guard-page model, stack exhaustion) can
// be reported at the wasm instruction that caused it. The compiler derives it
// from the line table of the code it generated and exports it as a second,
// optional symbol; the runtime looks it up only when a trap needs it.
//
// Compact, because at -O0 nearly every instruction has an entry (pandoc:
// 12 million): about 3 bytes an entry instead of 16. The symbol's bytes are
//   SourceMapHeader
//   uint64_t starts[numFunctions + 1]  where each defined function's entries
//                                      begin in the stream; the last is its size
//   uint8_t stream[]                   each function's entries, in code order:
//     uleb(codeDelta << 1 | inlined), sleb(wasmDelta), [uleb(wasmFuncIndex)]
// with deltas from the function's previous entry (from 0 for its first), and
// `inlined` set when the instruction belongs to another function's body than
// the one whose code this is (the wasm function index follows then).
// A function's entries decode on their own, so a lookup reads one function
// and the loader validates nothing up front; the decoder bounds-checks.

#include "support/ByteWriter.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace lucet::abi {

constexpr const char *SourceMapSymbol = "lucet_source_map_v3";

struct SourceMapHeader {
  uint32_t numFunctions; // defined functions
  uint32_t reserved;
  uint64_t streamBytes;
};
static_assert(sizeof(SourceMapHeader) == 16);

struct SourceMapEntry {
  uint32_t codeOffset;    // bytes from the start of the function's code
  uint32_t wasmOffset;    // offset of the instruction in the wasm binary
  uint32_t wasmFuncIndex; // function whose body holds the instruction: differs
                          // from the function's own index where a callee was inlined
};

// Appends the entries of function `funcIndex` (sorted by codeOffset, one per
// offset) to `stream`.
inline void encodeSourceMapFunction(std::span<const SourceMapEntry> entries, uint32_t funcIndex,
                                    ByteWriter &stream) {
  uint32_t code = 0, wasm = 0;
  for (const auto &e : entries) {
    bool inlined = e.wasmFuncIndex != funcIndex;
    stream.uleb((uint64_t(e.codeOffset - code) << 1) | uint64_t(inlined));
    stream.sleb(int64_t(e.wasmOffset) - int64_t(wasm));
    if (inlined) stream.uleb(e.wasmFuncIndex);
    code = e.codeOffset;
    wasm = e.wasmOffset;
  }
}

// Total bytes of a source map of `numFunctions` functions and `streamBytes`.
constexpr uint64_t sourceMapBytes(uint64_t numFunctions, uint64_t streamBytes) {
  return sizeof(SourceMapHeader) + 8 * (numFunctions + 1) + streamBytes;
}

// A LEB128 number from [*pos, end), advancing *pos; false when it runs
// past `end` or beyond 64 bits. Allocates nothing (signal handlers use it).
inline bool readSourceMapLeb(const uint8_t *&pos, const uint8_t *end, uint64_t &value,
                             bool isSigned) {
  value = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (pos == end) return false;
    uint8_t b = *pos++;
    value |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (isSigned && shift + 7 < 64 && (b & 0x40)) value |= ~uint64_t(0) << (shift + 7);
      return true;
    }
  }
  return false;
}

// The entry covering `codeOffset` in defined function `definedIndex` (whose
// index space index is `funcIndex`): its last at or before the offset.
// `image` is the whole symbol; nullopt when nothing covers the offset or the
// map is malformed. Async-signal-safe.
inline std::optional<SourceMapEntry> lookupSourceMap(std::span<const uint8_t> image,
                                                     uint32_t definedIndex, uint32_t funcIndex,
                                                     uint64_t codeOffset) {
  SourceMapHeader header;
  if (image.size() < sizeof header) return std::nullopt;
  std::memcpy(&header, image.data(), sizeof header);
  if (definedIndex >= header.numFunctions || header.streamBytes > image.size() ||
      image.size() < sourceMapBytes(header.numFunctions, header.streamBytes))
    return std::nullopt;
  uint64_t range[2];
  std::memcpy(range, image.data() + sizeof header + 8 * uint64_t(definedIndex), sizeof range);
  if (range[0] > range[1] || range[1] > header.streamBytes) return std::nullopt;
  const uint8_t *stream = image.data() + sourceMapBytes(header.numFunctions, 0);
  const uint8_t *pos = stream + range[0], *end = stream + range[1];
  std::optional<SourceMapEntry> found;
  SourceMapEntry e{0, 0, funcIndex};
  while (pos != end) {
    uint64_t step, wasmDelta, inlinedFrom = funcIndex;
    if (!readSourceMapLeb(pos, end, step, false) || !readSourceMapLeb(pos, end, wasmDelta, true))
      return std::nullopt;
    if ((step & 1) && !readSourceMapLeb(pos, end, inlinedFrom, false)) return std::nullopt;
    e.codeOffset += uint32_t(step >> 1);
    e.wasmOffset += uint32_t(wasmDelta);
    e.wasmFuncIndex = uint32_t(inlinedFrom);
    if (e.codeOffset > codeOffset) break;
    found = e;
  }
  return found;
}

} // namespace lucet::abi
