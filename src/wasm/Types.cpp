#include "wasm/Types.h"

#include <fmt/format.h>

namespace lucet::wasm {

uint8_t ValType::code() const {
  if (!isRef()) return uint8_t(kind_);
  if (heap_.isConcrete()) return uint8_t(AbsHeap::Func);
  switch (heap_.abs()) {
  case AbsHeap::Func:
  case AbsHeap::NoFunc:
    return uint8_t(AbsHeap::Func);
  case AbsHeap::Extern:
  case AbsHeap::NoExtern:
    return uint8_t(AbsHeap::Extern);
  case AbsHeap::Exn:
  case AbsHeap::NoExn:
    return uint8_t(AbsHeap::Exn);
  default:
    return uint8_t(AbsHeap::Any);
  }
}

std::string heapTypeName(HeapType h) {
  if (h.isConcrete()) return fmt::format("${}", h.typeIndex());
  switch (h.abs()) {
  case AbsHeap::Exn:
    return "exn";
  case AbsHeap::Array:
    return "array";
  case AbsHeap::Struct:
    return "struct";
  case AbsHeap::I31:
    return "i31";
  case AbsHeap::Eq:
    return "eq";
  case AbsHeap::Any:
    return "any";
  case AbsHeap::Extern:
    return "extern";
  case AbsHeap::Func:
    return "func";
  case AbsHeap::None:
    return "none";
  case AbsHeap::NoExtern:
    return "noextern";
  case AbsHeap::NoFunc:
    return "nofunc";
  case AbsHeap::NoExn:
    return "noexn";
  }
  return "?";
}

std::string valTypeName(ValType t) {
  switch (t.kind()) {
  case ValType::Kind::I32:
    return "i32";
  case ValType::Kind::I64:
    return "i64";
  case ValType::Kind::F32:
    return "f32";
  case ValType::Kind::F64:
    return "f64";
  case ValType::Kind::V128:
    return "v128";
  case ValType::Kind::Ref:
    break;
  }
  // The short forms where they exist: funcref, externref, nullfuncref, ...
  if (t.nullable() && !t.heap().isConcrete()) {
    switch (t.heap().abs()) {
    case AbsHeap::Func:
      return "funcref";
    case AbsHeap::Extern:
      return "externref";
    case AbsHeap::NoFunc:
      return "nullfuncref";
    case AbsHeap::NoExtern:
      return "nullexternref";
    default:
      break;
    }
  }
  return fmt::format("(ref {}{})", t.nullable() ? "null " : "", heapTypeName(t.heap()));
}

std::string funcTypeString(const FuncType &type) {
  std::string s = "(";
  for (size_t i = 0; i < type.params.size(); ++i)
    s += fmt::format("{}{}", i ? ", " : "", valTypeName(type.params[i]));
  s += ") -> (";
  for (size_t i = 0; i < type.results.size(); ++i)
    s += fmt::format("{}{}", i ? ", " : "", valTypeName(type.results[i]));
  return s + ")";
}

const char *externKindName(ExternKind kind) {
  switch (kind) {
  case ExternKind::Func:
    return "function";
  case ExternKind::Table:
    return "table";
  case ExternKind::Memory:
    return "memory";
  case ExternKind::Global:
    return "global";
  case ExternKind::Tag:
    return "tag";
  }
  return "?";
}

} // namespace lucet::wasm
