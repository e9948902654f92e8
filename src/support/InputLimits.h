#pragma once

// Limits on what the tools read into memory, so that an input of absurd
// size (or one without end, like /dev/zero) is refused instead of
// exhausting memory.

#include <cstdint>

namespace lucet {

// The largest .wasm lucetc compiles and lucet-wasi reads to compile. Real
// modules are far smaller; the compiler's memory use is a multiple of this.
constexpr uint64_t MaxWasmFileSize = uint64_t(1) << 30;
constexpr const char *MaxWasmFileSizeText = "1 GiB";

} // namespace lucet
