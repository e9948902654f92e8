#pragma once

#include "wasm/Module.h"

#include <cstdint>
#include <optional>

namespace lucet::compiler {

// wasm32 has no 64x64->128-bit multiply, so C's `unsigned __int128` and
// Rust's u128 products become calls of compiler-rt's
// `__multi3(i32 result, i64 aLow, i64 aHigh, i64 bLow, i64 bHigh)`, which
// builds the product from four 32x32-bit multiplies and stores its two
// halves at `result`. A function whose type, locals and body are exactly
// those of a known build of `__multi3` is compiled as one native 128-bit
// multiply followed by the body's own two stores (so a trap happens at the
// same store, with the same memory state). The match is on the bytes, not
// the name: a function that merely calls itself `__multi3` is compiled as
// written, and any function with these bytes computes the product.
struct Multi3Body {
  uint32_t storeHigh; // offset of the store of the high half, from the body's first byte
  uint32_t storeLow;  // offset of the store of the low half
};

// The recognised body of defined function `definedIndex`, if it is one.
std::optional<Multi3Body> matchMulti3(const wasm::Module &module, uint32_t definedIndex);

} // namespace lucet::compiler
