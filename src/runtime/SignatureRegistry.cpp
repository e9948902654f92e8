#include "runtime/SignatureRegistry.h"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <string>

namespace lucet::rt {

namespace {

constexpr uint32_t AbstractHeap = abi::ValTypeDesc::AbstractHeap;
constexpr uint32_t SelfReference = 0x40000000u; // above every id handed out

void appendKey(std::vector<uint32_t> &key, const abi::ValTypeDesc &t, uint32_t self,
               const std::vector<uint32_t> &ids) {
  key.push_back(uint32_t(t.code) | (t.nullable ? 0x100u : 0));
  if (!t.isRef()) return;
  if (!t.isConcrete())
    key.push_back(t.heap);
  else if (t.heap == self || t.heap >= ids.size()) // the loader allows only earlier types
    key.push_back(SelfReference);
  else
    key.push_back(ids[t.heap]);
}

} // namespace

std::vector<uint32_t> canonicalTypeIds(const std::vector<abi::FuncTypeDesc> &types) {
  static std::mutex mutex;
  static std::map<std::vector<uint32_t>, uint32_t> ids;
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<uint32_t> result;
  result.reserve(types.size());
  std::vector<uint32_t> key;
  for (uint32_t i = 0; i < types.size(); ++i) {
    key.clear();
    for (const auto *list : {&types[i].params, &types[i].results}) {
      key.push_back(uint32_t(list->size()));
      for (const auto &t : *list) appendKey(key, t, i, result);
    }
    result.push_back(ids.try_emplace(key, uint32_t(ids.size() + 1)).first->second);
  }
  return result;
}

uint32_t canonicalSignatureId(const abi::FuncTypeDesc &type) {
  return canonicalTypeIds({type})[0];
}

abi::ValTypeDesc canonicalValType(abi::ValTypeDesc type, const std::vector<uint32_t> &typeIds) {
  if (type.isConcrete() && type.heap < typeIds.size()) type.heap = typeIds[type.heap];
  return type;
}

bool isSubtype(const abi::ValTypeDesc &sub, const abi::ValTypeDesc &super) {
  if (sub == super) return true;
  if (!sub.isRef() || sub.code != super.code) return false;
  if (sub.nullable && !super.nullable) return false;
  if (sub.heap == super.heap) return true;
  if (super.heap == (AbstractHeap | super.code)) return true;     // func or extern: the top
  return sub.heap == (AbstractHeap | 0x73) && super.isConcrete(); // nofunc below every type
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
  case 0x69:
    return "exnref";
  default:
    return "?";
  }
}

std::string valueTypeName(const abi::ValTypeDesc &type) {
  if (type == abi::ValTypeDesc(type.code)) return valueTypeName(type.code);
  std::string heap;
  if (type.isConcrete())
    heap = fmt::format("type#{}", type.heap);
  else if (type.heap == (AbstractHeap | 0x70))
    heap = "func";
  else if (type.heap == (AbstractHeap | 0x6f))
    heap = "extern";
  else if (type.heap == (AbstractHeap | 0x73))
    heap = "nofunc";
  else if (type.heap == (AbstractHeap | 0x72))
    heap = "noextern";
  else if (type.heap == (AbstractHeap | 0x69))
    heap = "exn";
  else if (type.heap == (AbstractHeap | 0x74))
    heap = "noexn";
  else
    heap = "?";
  return fmt::format("(ref {}{})", type.nullable ? "null " : "", heap);
}

std::string describeValueTypes(const std::vector<abi::ValTypeDesc> &types) {
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
