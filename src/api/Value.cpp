#include "lucet/value.hh"

namespace lucet {

const char *valTypeName(ValType type) {
  switch (type) {
  case ValType::I32:
    return "i32";
  case ValType::I64:
    return "i64";
  case ValType::F32:
    return "f32";
  case ValType::F64:
    return "f64";
  }
  return "?";
}

std::string FuncType::describe() const {
  auto list = [](const std::vector<ValType> &types) {
    std::string text = "(";
    for (size_t i = 0; i < types.size(); ++i)
      text += (i ? ", " : "") + std::string(valTypeName(types[i]));
    return text + ")";
  };
  return list(params) + " -> " + list(results);
}

} // namespace lucet
