#pragma once

// What a host function sees of the guest that called it: bounds-checked
// access to the caller's linear memory, and ways to end the call: a trap, an
// exit, or a wasm exception the guest may catch. Valid only during the host
// call it was passed to.

#include "lucet/export.h"
#include "lucet/tag.hh"
#include "lucet/value.hh"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lucet {

class LUCET_API Caller {
public:
  // Bytes of linear memory the guest has now (0 without a memory).
  uint64_t memorySize() const { return size_; }

  // [ptr, ptr + len) of guest memory, or nullopt when any byte lies outside.
  // Nothing is ever read or written out of bounds.
  std::optional<std::span<uint8_t>> slice(uint32_t ptr, uint32_t len) const {
    if (!inBounds(ptr, len)) return std::nullopt;
    return std::span<uint8_t>(base_ + ptr, len);
  }
  std::optional<std::string_view> string(uint32_t ptr, uint32_t len) const {
    auto bytes = slice(ptr, len);
    if (!bytes) return std::nullopt;
    return std::string_view(reinterpret_cast<const char *>(bytes->data()), len);
  }
  // Guest memory is little-endian and unaligned accesses are allowed, so
  // values are copied.
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
  bool write(uint32_t ptr, std::span<const uint8_t> bytes) const {
    if (!inBounds(ptr, bytes.size())) return false;
    std::memcpy(base_ + ptr, bytes.data(), bytes.size());
    return true;
  }

  // End the guest once this host function returns (its result is then
  // ignored): with a trap of kind HostError carrying `message`, or with an
  // exit code as WASI proc_exit does. Deferred, so that the host function's
  // own objects are destroyed normally.
  void trap(std::string message) {
    pending_ = Pending::Trap;
    message_ = std::move(message);
  }
  void exit(uint32_t code) {
    pending_ = Pending::Exit;
    exitCode_ = code;
  }
  // Throw a wasm exception of `tag` with `args` (of the tag's parameter
  // types) into the guest once this host function returns: the guest's
  // nearest handler for it runs, as if the call instruction had thrown. Args
  // of the wrong types make a HostError trap instead.
  void throwException(Tag tag, std::vector<Val> args) {
    pending_ = Pending::Throw;
    thrown_.emplace(std::move(tag), std::move(args));
  }

  // For the library: how the host function asked to end.
  enum class Pending { None, Trap, Exit, Throw };
  Pending pending() const { return pending_; }
  const std::string &trapMessage() const { return message_; }
  uint32_t exitCode() const { return exitCode_; }
  const std::optional<std::pair<Tag, std::vector<Val>>> &thrown() const { return thrown_; }
  Caller(uint8_t *base, uint64_t size) : base_(base), size_(size) {}

private:
  bool inBounds(uint64_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }

  uint8_t *base_;
  uint64_t size_;
  Pending pending_ = Pending::None;
  std::string message_;
  uint32_t exitCode_ = 0;
  std::optional<std::pair<Tag, std::vector<Val>>> thrown_;
};

} // namespace lucet
