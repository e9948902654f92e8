#pragma once

// Reads fuzzer input as a stream of choices, in the manner of libFuzzer's
// FuzzedDataProvider (which we do not depend on). Once the input is used up
// every choice is 0, so that any input, even an empty one, still drives a
// generator to completion: generators make choice 0 the simplest option.

#include <cstddef>
#include <cstdint>
#include <span>

namespace lucet::fuzz {

class ByteSource {
public:
  explicit ByteSource(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint8_t byte() { return pos_ < bytes_.size() ? bytes_[pos_++] : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(byte()) << (8 * i);
    return v;
  }
  uint64_t u64() { return uint64_t(u32()) | uint64_t(u32()) << 32; }

  // A value in [0, n); n must not be 0. One byte for small ranges, so that
  // mutating a byte changes one choice.
  uint32_t below(uint32_t n) { return n <= 256 ? byte() % n : u32() % n; }
  // A value in [lo, hi].
  uint32_t inRange(uint32_t lo, uint32_t hi) { return lo + below(hi - lo + 1); }
  // True with probability about 1/n, never once the input is used up.
  bool oneIn(uint32_t n) { return pos_ < bytes_.size() && below(n) == 0; }
  bool flag() { return byte() & 1; }

  template <typename T, size_t N> const T &pick(const T (&items)[N]) { return items[below(N)]; }

  bool exhausted() const { return pos_ >= bytes_.size(); }

private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

} // namespace lucet::fuzz
