#pragma once

// Appends the binary format's encodings to a byte vector.

#include <cstdint>
#include <string_view>
#include <vector>

namespace lucet {

class ByteWriter {
public:
  std::vector<uint8_t> bytes;

  void u8(uint8_t b) { bytes.push_back(b); }
  void uleb(uint64_t v) {
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      u8(v ? b | 0x80 : b);
    } while (v);
  }
  void sleb(int64_t v) {
    for (;;) {
      uint8_t b = v & 0x7f;
      v >>= 7;
      bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
      u8(done ? b : b | 0x80);
      if (done) return;
    }
  }
  void fixed(uint64_t bits, unsigned size) {
    for (unsigned i = 0; i < size; ++i) u8(uint8_t(bits >> (8 * i)));
  }
  void name(std::string_view s) {
    uleb(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  void append(const std::vector<uint8_t> &other) {
    bytes.insert(bytes.end(), other.begin(), other.end());
  }
  // `id`, then the size of `payload`, then the payload.
  void section(uint8_t id, const ByteWriter &payload) {
    u8(id);
    uleb(payload.bytes.size());
    append(payload.bytes);
  }
};

} // namespace lucet
