#pragma once

#include "abi/Metadata.h"

#include <array>
#include <cstdint>

namespace lucet::rt {

// A wasm value crossing the host/guest boundary. References are stored as a
// pointer (FuncRef* for funcref, the embedder's opaque pointer for
// externref); nullptr is the null reference.
struct Value {
  uint8_t type = 0x7f; // wasm value type code
  std::array<uint8_t, 16> bytes = {};

  static Value i32(int32_t v);
  static Value i64(int64_t v);
  static Value f32(float v);
  static Value f64(double v);
  static Value ref(uint8_t type, const void *pointer);
  int32_t asI32() const;
  int64_t asI64() const;
  float asF32() const;
  double asF64() const;
  void *asRef() const;
};

// Whether `value` may go where `type` (canonical, SignatureRegistry.h) is
// expected: the same representation and, for a typed reference, non-null
// where null is not allowed and a function of exactly the named type. The
// generated code relies on it: call_ref does not check the signature.
bool valueMatches(const abi::ValTypeDesc &type, const Value &value);

} // namespace lucet::rt
