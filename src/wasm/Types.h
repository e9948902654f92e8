#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucet::wasm {

enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};

inline bool isRefType(ValType t) {
  return t == ValType::FuncRef || t == ValType::ExternRef;
}
inline bool isNumType(ValType t) {
  return !isRefType(t) && t != ValType::V128;
}
const char *valTypeName(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType &) const = default;
};
std::string funcTypeString(const FuncType &type); // "(i32, i32) -> (i32)"

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits &) const = default;
};

struct TableType {
  ValType elemType = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits; // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::I32;
  bool isMutable = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char *externKindName(ExternKind kind);

constexpr uint64_t PageSize = 65536;
constexpr uint64_t MaxPages = 65536; // 4 GiB for a 32-bit memory

} // namespace lucet::wasm
