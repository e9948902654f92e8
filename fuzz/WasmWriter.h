#pragma once

// Encodes WebAssembly binary format pieces: LEB128 integers, float bit
// patterns, names and sections. The project's reader is what the generated
// bytes are tested against, so this is written separately from it.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace lucet::fuzz {

class WasmWriter {
public:
  void byte(uint8_t b) { bytes_.push_back(b); }
  void bytes(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }

  void u32(uint32_t v) {
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      byte(v ? b | 0x80 : b);
    } while (v);
  }
  void s64(int64_t v) {
    for (;;) {
      uint8_t b = v & 0x7f;
      v >>= 7; // arithmetic: the sign is kept
      bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
      byte(done ? b : b | 0x80);
      if (done) return;
    }
  }
  void s32(int32_t v) { s64(v); }
  void f32Bits(uint32_t bits) {
    for (int i = 0; i < 4; ++i) byte(uint8_t(bits >> (8 * i)));
  }
  void f64Bits(uint64_t bits) {
    for (int i = 0; i < 8; ++i) byte(uint8_t(bits >> (8 * i)));
  }
  void name(std::string_view text) {
    u32(uint32_t(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }
  // A section: id, payload size, payload.
  void section(uint8_t id, const WasmWriter &payload) {
    byte(id);
    u32(uint32_t(payload.data().size()));
    bytes(payload.data());
  }

  const std::vector<uint8_t> &data() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

private:
  std::vector<uint8_t> bytes_;
};

} // namespace lucet::fuzz
