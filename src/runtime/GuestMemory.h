#pragma once

// A bounds-checked view of an instance's linear memory for host code. Every
// access checks ptr + len against the current size; nothing is read or
// written on failure. Guest memory is little-endian and unaligned accesses
// are allowed, so values are copied with memcpy.

#include "abi/InstanceContext.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace lucet::rt {

class GuestMemory {
public:
  GuestMemory() = default;
  GuestMemory(uint8_t *base, uint64_t size) : base_(base), size_(size) {}
  static GuestMemory fromVMContext(const abi::VMContext *vmctx) {
    if (!vmctx->memory) return {};
    return GuestMemory(vmctx->memory->base, vmctx->memory->size);
  }

  uint64_t size() const { return size_; }
  uint8_t *base() const { return base_; }

  bool inBounds(uint64_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }

  // The bytes [ptr, ptr+len), or nullopt when any lies outside.
  std::optional<std::span<uint8_t>> slice(uint32_t ptr, uint32_t len) const {
    if (!inBounds(ptr, len)) return std::nullopt;
    return std::span<uint8_t>(base_ + ptr, len);
  }

  template <typename T> std::optional<T> read(uint32_t ptr) const {
    if (!inBounds(ptr, sizeof(T))) return std::nullopt;
    T value;
    std::memcpy(&value, base_ + ptr, sizeof(T));
    return value;
  }

  template <typename T> bool write(uint32_t ptr, const T &value) const {
    if (!inBounds(ptr, sizeof(T))) return false;
    std::memcpy(base_ + ptr, &value, sizeof(T));
    return true;
  }

  std::optional<std::string_view> string(uint32_t ptr, uint32_t len) const {
    auto bytes = slice(ptr, len);
    if (!bytes) return std::nullopt;
    return std::string_view(reinterpret_cast<const char *>(bytes->data()), len);
  }

private:
  uint8_t *base_ = nullptr;
  uint64_t size_ = 0;
};

} // namespace lucet::rt
