#pragma once

// A .wasm file as the tools take it: recognized by its "\0asm" header,
// whatever it is called, and read whole only up to MaxWasmFileSize, so that
// an input of absurd size (or one without end, like /dev/zero) is refused
// instead of exhausting memory. Only regular files qualify: a FIFO would
// block.

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::wasm {

// Real modules are far smaller; the compiler's memory use is a multiple of
// this.
constexpr uint64_t MaxWasmFileSize = uint64_t(1) << 30;
constexpr const char *MaxWasmFileSizeText = "1 GiB";

// Whether `path` is a regular file that begins with "\0asm". The error names
// the path and the reason (missing, not a regular file, unreadable).
Expected<bool> isWasmFile(const std::string &path);

// The whole file, after checking the header first (a file that is not wasm
// is never read whole) and refusing more than MaxWasmFileSize bytes.
Expected<std::vector<uint8_t>> readWasmFile(const std::string &path);

} // namespace lucet::wasm
