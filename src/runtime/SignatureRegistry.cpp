#include "runtime/SignatureRegistry.h"

#include <map>
#include <mutex>
#include <string>

namespace lucet::rt {

uint32_t canonicalSignatureId(const abi::FuncTypeDesc &type) {
  static std::mutex mutex;
  static std::map<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>, uint32_t> ids;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = ids.try_emplace({type.params, type.results}, uint32_t(ids.size() + 1));
  return it->second;
}

const char *valueTypeName(abi::ValTypeCode code) {
  switch (code) {
  case 0x7f:
    return "i32";
  case 0x7e:
    return "i64";
  case 0x7d:
    return "f32";
  case 0x7c:
    return "f64";
  case 0x7b:
    return "v128";
  case 0x70:
    return "funcref";
  case 0x6f:
    return "externref";
  default:
    return "?";
  }
}

std::string describeValueTypes(const std::vector<abi::ValTypeCode> &types) {
  std::string text = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) text += ", ";
    text += valueTypeName(types[i]);
  }
  return text + ")";
}

std::string describeSignature(const abi::FuncTypeDesc &type) {
  return describeValueTypes(type.params) + " -> " + describeValueTypes(type.results);
}

} // namespace lucet::rt
