#include "support/ByteReader.h"

namespace lucet {

Error ByteReader::errorAt(size_t offset, const std::string &what) const {
  return Error::format("at offset {:#x}: {}", offset, what);
}

Expected<uint8_t> ByteReader::readByte() {
  if (atEnd()) return error("unexpected end of data");
  return bytes_[pos_++];
}

Expected<uint32_t> ByteReader::readFixedU32() {
  if (remaining() < 4) return error("unexpected end of data");
  uint32_t value;
  std::memcpy(&value, bytes_.data() + pos_, 4);
  pos_ += 4;
  return value;
}

Expected<uint64_t> ByteReader::readFixedU64() {
  if (remaining() < 8) return error("unexpected end of data");
  uint64_t value;
  std::memcpy(&value, bytes_.data() + pos_, 8);
  pos_ += 8;
  return value;
}

Expected<std::span<const uint8_t>> ByteReader::readBytes(size_t count) {
  if (remaining() < count) return error("unexpected end of data");
  auto result = bytes_.subspan(pos_, count);
  pos_ += count;
  return result;
}

Status ByteReader::skip(size_t count) {
  if (remaining() < count) return error("unexpected end of data");
  pos_ += count;
  return Status::ok();
}

Expected<uint64_t> ByteReader::readUnsigned(unsigned bits) {
  size_t start = offset();
  uint64_t result = 0;
  unsigned shift = 0;
  const unsigned maxBytes = (bits + 6) / 7;
  for (unsigned i = 0;; ++i) {
    if (atEnd()) return error("unexpected end of data in LEB128 integer");
    uint8_t byte = bytes_[pos_++];
    if (i == maxBytes - 1) {
      // The last byte may only carry the bits that remain.
      unsigned usedBits = bits - shift;
      if (byte & 0x80) return errorAt(start, "integer representation too long");
      if (usedBits < 7 && (byte >> usedBits) != 0) return errorAt(start, "integer too large");
      result |= uint64_t(byte) << shift;
      return result;
    }
    result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
}

Expected<int64_t> ByteReader::readSigned(unsigned bits) {
  size_t start = offset();
  uint64_t result = 0;
  unsigned shift = 0;
  const unsigned maxBytes = (bits + 6) / 7;
  for (unsigned i = 0;; ++i) {
    if (atEnd()) return error("unexpected end of data in LEB128 integer");
    uint8_t byte = bytes_[pos_++];
    if (i == maxBytes - 1) {
      if (byte & 0x80) return errorAt(start, "integer representation too long");
      // The unused high bits of the last byte must all equal the sign bit.
      unsigned usedBits = bits - shift;
      if (usedBits < 7) {
        int8_t signExtended = int8_t(byte << 1) >> 1;
        int8_t expected = int8_t(int8_t(byte << (8 - usedBits)) >> (8 - usedBits));
        if (signExtended != expected) return errorAt(start, "integer too large");
      }
      result |= uint64_t(byte & 0x7f) << shift;
      shift += 7;
      if (shift < 64 && (byte & 0x40)) result |= ~uint64_t(0) << shift;
      return int64_t(result);
    }
    result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      if (shift < 64 && (byte & 0x40)) result |= ~uint64_t(0) << shift;
      return int64_t(result);
    }
  }
}

Expected<uint32_t> ByteReader::readVarU32() {
  auto value = readUnsigned(32);
  if (!value) return value.takeError();
  return uint32_t(*value);
}
Expected<uint64_t> ByteReader::readVarU64() {
  return readUnsigned(64);
}
Expected<int32_t> ByteReader::readVarS32() {
  auto value = readSigned(32);
  if (!value) return value.takeError();
  return int32_t(*value);
}
Expected<int64_t> ByteReader::readVarS64() {
  return readSigned(64);
}
Expected<int64_t> ByteReader::readVarS33() {
  return readSigned(33);
}

Expected<std::string> ByteReader::readName() {
  LUCET_ASSIGN_OR_RETURN(length, readVarU32());
  size_t start = offset();
  LUCET_ASSIGN_OR_RETURN(bytes, readBytes(length));
  if (!isValidUtf8(bytes)) return errorAt(start, "malformed UTF-8 encoding");
  return std::string(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

bool isValidUtf8(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    uint8_t b = bytes[i];
    size_t extra;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      extra = 1;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      extra = 2;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      extra = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + extra >= bytes.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      uint8_t c = bytes[i + k];
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000))
      return false; // overlong
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

} // namespace lucet
