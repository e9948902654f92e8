#pragma once

// Wasm values as the host sees them: the four number types.

#include "lucet/export.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace lucet {

// The binary format's type codes, so that conversions are free.
enum class ValType : uint8_t { I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c };

// "i32", "i64", "f32" or "f64".
LUCET_API const char *valTypeName(ValType type);

class Val {
public:
  Val() : Val(int32_t(0)) {}
  Val(int32_t v) : type_(ValType::I32) { bits_ = uint32_t(v); }
  Val(int64_t v) : type_(ValType::I64) { bits_ = uint64_t(v); }
  Val(float v) : type_(ValType::F32) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    bits_ = b;
  }
  Val(double v) : type_(ValType::F64) { std::memcpy(&bits_, &v, 8); }

  static Val i32(int32_t v) { return Val(v); }
  static Val i64(int64_t v) { return Val(v); }
  static Val f32(float v) { return Val(v); }
  static Val f64(double v) { return Val(v); }

  ValType type() const { return type_; }
  int32_t i32() const { return int32_t(uint32_t(bits_)); }
  int64_t i64() const { return int64_t(bits_); }
  float f32() const {
    uint32_t b = uint32_t(bits_);
    float v;
    std::memcpy(&v, &b, 4);
    return v;
  }
  double f64() const {
    double v;
    std::memcpy(&v, &bits_, 8);
    return v;
  }
  // The raw bits, zero-extended to 64 (floats as their IEEE encoding).
  uint64_t bits() const { return bits_; }
  static Val fromBits(ValType type, uint64_t bits) {
    Val v;
    v.type_ = type;
    v.bits_ = bits;
    return v;
  }

  bool operator==(const Val &) const = default;

private:
  ValType type_;
  uint64_t bits_ = 0;
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType &) const = default;
  // "(i32, i64) -> (f64)"
  LUCET_API std::string describe() const;
};

} // namespace lucet
