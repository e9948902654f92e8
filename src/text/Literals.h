#pragma once

// Numeric literals of the text format: integers (decimal or hex, optional
// sign, `_` between digits) and floats (decimal, hex, inf, nan, nan:0x...),
// converted exactly as the spec says (floats rounded to nearest, ties to
// even; a literal that rounds to infinity is out of range).

#include "support/Expected.h"

#include <cstdint>
#include <string_view>

namespace lucet::text {

// An iN literal (N = 8, 16, 32 or 64), signed or unsigned, as its N-bit
// two's complement pattern.
Expected<uint64_t> parseInt(std::string_view text, unsigned bits);

// An unsigned literal (indices, offsets, alignments, limits) below 2^bits.
Expected<uint64_t> parseUnsigned(std::string_view text, unsigned bits);

// f32 and f64 literals as bit patterns.
Expected<uint32_t> parseF32(std::string_view text);
Expected<uint64_t> parseF64(std::string_view text);

} // namespace lucet::text
