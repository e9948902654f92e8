#include "wasm/Types.h"

#include <fmt/format.h>

namespace lucet::wasm {

const char *valTypeName(ValType t) {
  switch (t) {
  case ValType::I32:
    return "i32";
  case ValType::I64:
    return "i64";
  case ValType::F32:
    return "f32";
  case ValType::F64:
    return "f64";
  case ValType::V128:
    return "v128";
  case ValType::FuncRef:
    return "funcref";
  case ValType::ExternRef:
    return "externref";
  }
  return "?";
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
  }
  return "?";
}

} // namespace lucet::wasm
