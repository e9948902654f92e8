#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucet::wasm {

// The abstract heap types, by their binary code. GC's (any, eq, i31, struct,
// array, none) and the exception types are listed so the type representation
// has room for them; the reader refuses them until those features land.
enum class AbsHeap : uint8_t {
  Exn = 0x69,
  Array = 0x6a,
  Struct = 0x6b,
  I31 = 0x6c,
  Eq = 0x6d,
  Any = 0x6e,
  Extern = 0x6f,
  Func = 0x70,
  None = 0x71,
  NoExtern = 0x72,
  NoFunc = 0x73,
  NoExn = 0x74,
};

// A heap type: an abstract one, or a concrete one named by its type index.
class HeapType {
public:
  constexpr HeapType() : HeapType(AbsHeap::Func) {}
  constexpr HeapType(AbsHeap abs) : bits_(AbstractBit | uint32_t(abs)) {}
  static constexpr HeapType concrete(uint32_t typeIndex) { return HeapType(typeIndex, 0); }

  constexpr bool isConcrete() const { return !(bits_ & AbstractBit); }
  constexpr uint32_t typeIndex() const { return bits_; }          // concrete only
  constexpr AbsHeap abs() const { return AbsHeap(bits_ & 0xff); } // abstract only
  constexpr bool operator==(const HeapType &) const = default;
  constexpr auto operator<=>(const HeapType &) const = default;

private:
  static constexpr uint32_t AbstractBit = 0x80000000u;
  constexpr HeapType(uint32_t bits, int) : bits_(bits) {}
  uint32_t bits_;
};

// A value type: a number, a vector, or a reference (nullable or not) to a
// heap type. ValType::FuncRef and ValType::ExternRef are 2.0's nullable
// references to the abstract func and extern heap types.
class ValType {
public:
  enum class Kind : uint8_t {
    I32 = 0x7f,
    I64 = 0x7e,
    F32 = 0x7d,
    F64 = 0x7c,
    V128 = 0x7b,
    Ref = 0x64
  };

  constexpr ValType() : ValType(Kind::I32) {}
  constexpr explicit ValType(Kind kind) : kind_(kind), nullable_(false), heap_() {}
  static constexpr ValType ref(HeapType heap, bool nullable) {
    ValType t(Kind::Ref);
    t.heap_ = heap;
    t.nullable_ = nullable;
    return t;
  }

  static const ValType I32, I64, F32, F64, V128, FuncRef, ExternRef;

  constexpr Kind kind() const { return kind_; }
  constexpr bool isRef() const { return kind_ == Kind::Ref; }
  constexpr bool isNum() const { return !isRef() && kind_ != Kind::V128; }
  constexpr bool nullable() const { return nullable_; }
  constexpr HeapType heap() const { return heap_; }
  // A local of this type may start without an explicit value (2.0's types
  // and nullable references).
  constexpr bool defaultable() const { return !isRef() || nullable_; }

  // How the value is represented at run time: the number or vector type's
  // code, or for a reference the abstract type at the top of its hierarchy
  // (0x70 funcref for func, nofunc and every function type; 0x6f externref
  // for extern and noextern). Concrete heap types are all function types
  // until GC brings struct and array types.
  uint8_t code() const;

  constexpr bool operator==(const ValType &) const = default;
  constexpr auto operator<=>(const ValType &) const = default;

private:
  Kind kind_;
  bool nullable_;
  HeapType heap_;
};

inline constexpr ValType ValType::I32{ValType::Kind::I32};
inline constexpr ValType ValType::I64{ValType::Kind::I64};
inline constexpr ValType ValType::F32{ValType::Kind::F32};
inline constexpr ValType ValType::F64{ValType::Kind::F64};
inline constexpr ValType ValType::V128{ValType::Kind::V128};
inline constexpr ValType ValType::FuncRef = ValType::ref(AbsHeap::Func, true);
inline constexpr ValType ValType::ExternRef = ValType::ref(AbsHeap::Extern, true);

inline bool isRefType(ValType t) {
  return t.isRef();
}
inline bool isNumType(ValType t) {
  return t.isNum();
}
// "i32", "funcref", "(ref null $3)", "(ref func)".
std::string valTypeName(ValType t);
std::string heapTypeName(HeapType h);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType &) const = default;
  auto operator<=>(const FuncType &) const = default;
};
std::string funcTypeString(const FuncType &type); // "(i32, i32) -> (i32)"

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is64 = false; // 3.0's address type i64 (memory64, table64); else i32
  bool operator==(const Limits &) const = default;
};

struct TableType {
  ValType elemType = ValType::FuncRef;
  Limits limits;
  // The type of its indices and sizes.
  ValType addressType() const { return limits.is64 ? ValType::I64 : ValType::I32; }
};

struct MemoryType {
  Limits limits; // in 64 KiB pages
  ValType addressType() const { return limits.is64 ? ValType::I64 : ValType::I32; }
};

struct GlobalType {
  ValType type = ValType::I32;
  bool isMutable = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char *externKindName(ExternKind kind);

constexpr uint64_t PageSize = 65536;
constexpr uint64_t MaxPages = 65536;        // 4 GiB for a 32-bit memory
constexpr uint64_t MaxPages64 = 1ull << 48; // a 64-bit memory's 2^64 bytes

} // namespace lucet::wasm
