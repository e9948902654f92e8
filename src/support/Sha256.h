#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lucet {

// SHA-256 (FIPS 180-4), incremental. Used to name cached artifacts by their
// content, where a collision would silently run the wrong program.
class Sha256 {
public:
  Sha256();
  void update(std::span<const uint8_t> bytes);
  void update(std::string_view text);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> finish();
  // finish() as 64 lowercase hex digits.
  std::string finishHex();

private:
  void compress(const uint8_t *block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_ = {};
  size_t bufferUsed_ = 0;
  uint64_t totalBytes_ = 0;
};

} // namespace lucet
