#pragma once

#include "support/Expected.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace lucet {

// Reads little-endian integers and LEB128 numbers from a byte span, failing
// with the byte offset and a reason instead of reading out of bounds.
// `base` is added to positions in messages, so a reader over a slice of a
// file still reports file offsets.
class ByteReader {
public:
  explicit ByteReader(std::span<const uint8_t> bytes, size_t base = 0)
      : bytes_(bytes), base_(base) {}

  size_t position() const { return pos_; }
  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool atEnd() const { return pos_ >= bytes_.size(); }
  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t base() const { return base_; }

  Error errorAt(size_t offset, const std::string &what) const;
  Error error(const std::string &what) const { return errorAt(offset(), what); }

  Expected<uint8_t> readByte();
  Expected<uint32_t> readFixedU32();
  Expected<uint64_t> readFixedU64();
  Expected<std::span<const uint8_t>> readBytes(size_t count);

  Expected<uint32_t> readVarU32();
  Expected<uint64_t> readVarU64();
  Expected<int32_t> readVarS32();
  Expected<int64_t> readVarS64();
  // The 33-bit signed LEB used by block types.
  Expected<int64_t> readVarS33();

  // A LEB128 u32 length followed by that many bytes of valid UTF-8.
  Expected<std::string> readName();

  Status skip(size_t count);

private:
  Expected<uint64_t> readUnsigned(unsigned bits);
  Expected<int64_t> readSigned(unsigned bits);

  std::span<const uint8_t> bytes_;
  size_t base_;
  size_t pos_ = 0;
};

bool isValidUtf8(std::span<const uint8_t> bytes);

} // namespace lucet
