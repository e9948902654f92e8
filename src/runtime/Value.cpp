#include "runtime/Value.h"

#include "abi/InstanceContext.h"

#include <cstring>

namespace lucet::rt {
namespace {

template <typename T> Value make(uint8_t type, T v) {
  Value value;
  value.type = type;
  std::memcpy(value.bytes.data(), &v, sizeof v);
  return value;
}

template <typename T> T get(const Value &value) {
  T v;
  std::memcpy(&v, value.bytes.data(), sizeof v);
  return v;
}

} // namespace

Value Value::i32(int32_t v) {
  return make(0x7f, v);
}
Value Value::i64(int64_t v) {
  return make(0x7e, v);
}
Value Value::f32(float v) {
  return make(0x7d, v);
}
Value Value::f64(double v) {
  return make(0x7c, v);
}
int32_t Value::asI32() const {
  return get<int32_t>(*this);
}
int64_t Value::asI64() const {
  return get<int64_t>(*this);
}
float Value::asF32() const {
  return get<float>(*this);
}
double Value::asF64() const {
  return get<double>(*this);
}
Value Value::ref(uint8_t type, const void *pointer) {
  return make(type, pointer);
}
void *Value::asRef() const {
  return get<void *>(*this);
}

bool valueMatches(const abi::ValTypeDesc &type, const Value &value) {
  if (value.type != type.code) return false;
  if (!type.isRef()) return true;
  const void *ref = value.asRef();
  if (!ref) return type.nullable;
  constexpr uint32_t Abstract = abi::ValTypeDesc::AbstractHeap;
  if (type.heap == (Abstract | 0x73) || type.heap == (Abstract | 0x72)) return false; // only null
  if (type.isConcrete()) return static_cast<const abi::FuncRef *>(ref)->typeId == type.heap;
  return true;
}

} // namespace lucet::rt
