#pragma once

// The two archives that one description of each metadata record drives (see
// the `codec` functions in Metadata.h): MetadataWriter encodes, and
// MetadataReader decodes with a bounds check on every read. A record's codec
// lists its fields once, in order, so encoder and decoder cannot disagree.
//
// The encoding: integers are fixed-size little-endian, booleans and enums
// one byte, and a sequence is a u32 count followed by its elements.

#include "support/ByteReader.h"
#include "support/Expected.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace lucet::abi {

// Every enum in the metadata names its last enumerator with an overload of
// lastEnumerator, so that the reader refuses the values after it.
template <typename E>
concept MetadataEnum = std::is_enum_v<E> && requires(E e) {
  { lastEnumerator(e) } -> std::same_as<E>;
};

class MetadataWriter {
public:
  static constexpr bool Reading = false;

  Status u8(uint8_t &v) {
    out_.push_back(v);
    return Status::ok();
  }
  Status u32(uint32_t &v) { return raw(&v, sizeof v); }
  Status u64(uint64_t &v) { return raw(&v, sizeof v); }
  Status boolean(bool &v) {
    out_.push_back(v ? 1 : 0);
    return Status::ok();
  }
  template <MetadataEnum E> Status enumeration(E &v) {
    out_.push_back(uint8_t(v));
    return Status::ok();
  }
  Status fixed(std::span<uint8_t> bytes) { return raw(bytes.data(), bytes.size()); }
  Status bytes(std::span<uint8_t> bytes) {
    LUCET_TRY(count(bytes.size()));
    return raw(bytes.data(), bytes.size());
  }
  Status text(std::string &s) {
    LUCET_TRY(count(s.size()));
    return raw(s.data(), s.size());
  }
  template <typename T, typename F>
  Status sequence(std::vector<T> &items, F &&element, size_t /*minSize*/) {
    LUCET_TRY(count(items.size()));
    for (T &item : items) LUCET_TRY(element(*this, item));
    return Status::ok();
  }

  size_t size() const { return out_.size(); }
  std::vector<uint8_t> take() { return std::move(out_); }

private:
  Status raw(const void *p, size_t n) {
    auto *b = static_cast<const uint8_t *>(p);
    out_.insert(out_.end(), b, b + n);
    return Status::ok();
  }
  Status count(size_t n) {
    // A wasm module counts everything in u32 (its binary format does), so a
    // larger count is a compiler bug, never an input.
    if (n > UINT32_MAX) std::abort();
    uint32_t v = uint32_t(n);
    return u32(v);
  }

  std::vector<uint8_t> out_;
};

class MetadataReader {
public:
  static constexpr bool Reading = true;

  explicit MetadataReader(std::span<const uint8_t> bytes) : r_(bytes) {}

  Status u8(uint8_t &v) { return assign(v, r_.readByte()); }
  Status u32(uint32_t &v) { return assign(v, r_.readFixedU32()); }
  Status u64(uint64_t &v) { return assign(v, r_.readFixedU64()); }
  Status boolean(bool &v) {
    size_t at = r_.offset();
    LUCET_ASSIGN_OR_RETURN(b, r_.readByte());
    if (b > 1) return r_.errorAt(at, fmt::format("bad boolean {}", b));
    v = b != 0;
    return Status::ok();
  }
  template <MetadataEnum E> Status enumeration(E &v) {
    size_t at = r_.offset();
    LUCET_ASSIGN_OR_RETURN(b, r_.readByte());
    if (b > uint8_t(lastEnumerator(v))) return r_.errorAt(at, fmt::format("bad enum value {}", b));
    v = E(b);
    return Status::ok();
  }
  Status fixed(std::span<uint8_t> bytes) {
    LUCET_ASSIGN_OR_RETURN(b, r_.readBytes(bytes.size()));
    std::copy(b.begin(), b.end(), bytes.begin());
    return Status::ok();
  }
  Status bytes(std::vector<uint8_t> &v) {
    LUCET_ASSIGN_OR_RETURN(n, count(1));
    LUCET_ASSIGN_OR_RETURN(b, r_.readBytes(n));
    v.assign(b.begin(), b.end());
    return Status::ok();
  }
  Status text(std::string &s) {
    LUCET_ASSIGN_OR_RETURN(n, count(1));
    LUCET_ASSIGN_OR_RETURN(b, r_.readBytes(n));
    s.assign(b.begin(), b.end());
    return Status::ok();
  }
  // `minSize` is the fewest bytes an element takes: a count that the rest
  // of the input cannot hold is refused before anything is allocated.
  template <typename T, typename F>
  Status sequence(std::vector<T> &items, F &&element, size_t minSize) {
    LUCET_ASSIGN_OR_RETURN(n, count(minSize));
    items.clear();
    items.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      items.emplace_back();
      LUCET_TRY(element(*this, items.back()));
    }
    return Status::ok();
  }

  // Every byte must belong to the record.
  Status finish() const {
    if (!r_.atEnd()) return r_.error(fmt::format("{} trailing bytes", r_.remaining()));
    return Status::ok();
  }

private:
  template <typename T, typename U> Status assign(T &out, Expected<U> value) {
    if (!value) return value.takeError();
    out = *value;
    return Status::ok();
  }
  Expected<uint32_t> count(size_t minSize) {
    size_t at = r_.offset();
    LUCET_ASSIGN_OR_RETURN(n, r_.readFixedU32());
    if (minSize != 0 && n > r_.remaining() / minSize)
      return r_.errorAt(at, fmt::format("count {} exceeds the {} bytes left", n, r_.remaining()));
    return n;
  }

  ByteReader r_;
};

} // namespace lucet::abi
