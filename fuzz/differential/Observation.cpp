#include "Observation.h"

#include "support/Sha256.h"

#include <cmath>
#include <cstdio>

namespace lucet::fuzz {

const char *coarseTrapClass(TrapKind kind) {
  switch (kind) {
  case TrapKind::OutOfBounds:
    return "oob";
  case TrapKind::IntegerDivideByZero:
    return "div0";
  case TrapKind::IntegerOverflow:
  case TrapKind::InvalidConversion:
    // V8 says "float unrepresentable in integer range" for a NaN too, and
    // lucet says "integer overflow" both for INT_MIN / -1 and for a float
    // out of range.
    return "overflow";
  case TrapKind::Unreachable:
    return "unreachable";
  case TrapKind::IndirectCallNull:
  case TrapKind::IndirectCallTypeMismatch:
    return "indirect";
  case TrapKind::TableOutOfBounds:
    return "table-oob";
  case TrapKind::StackOverflow:
    return "stack";
  default:
    return trapKindText(kind);
  }
}

std::string valText(const Val &value, bool coarse) {
  char text[40];
  switch (value.type()) {
  case ValType::I32:
    std::snprintf(text, sizeof text, "i32:0x%08x", unsigned(value.bits()));
    break;
  case ValType::I64:
    std::snprintf(text, sizeof text, "i64:0x%016llx", (unsigned long long)value.bits());
    break;
  case ValType::F32:
    if (coarse && std::isnan(value.f32())) return "f32:nan";
    std::snprintf(text, sizeof text, "f32:0x%08x", unsigned(value.bits()));
    break;
  case ValType::F64:
    if (coarse && std::isnan(value.f64())) return "f64:nan";
    std::snprintf(text, sizeof text, "f64:0x%016llx", (unsigned long long)value.bits());
    break;
  }
  return text;
}

std::string render(const Observation &o, bool coarse) {
  std::string text;
  if (o.trapped) {
    text = std::string("trap ") + (coarse ? coarseTrapClass(o.trap) : trapKindText(o.trap));
  } else {
    text = "ret";
    for (const Val &v : o.results) text += " " + valText(v, coarse);
  }
  text += " ; mem " + std::to_string(o.memoryPages) + " " + o.memoryHash + " ;";
  for (const auto &[name, value] : o.globals) text += " " + name + "=" + valText(value, coarse);
  return text;
}

std::string memoryHash(std::span<const uint8_t> memory) {
  Sha256 hash;
  hash.update(memory);
  return hash.finishHex().substr(0, 16);
}

} // namespace lucet::fuzz
