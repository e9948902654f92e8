#include "support/ByteReader.h"

#include <gtest/gtest.h>

#include <vector>

using namespace lucet;

namespace {
ByteReader over(const std::vector<uint8_t> &bytes) {
  return ByteReader(bytes);
}
} // namespace

TEST(ByteReader, UnsignedLeb) {
  std::vector<uint8_t> b = {0xe5, 0x8e, 0x26};
  auto r = over(b);
  EXPECT_EQ(*r.readVarU32(), 624485u);
  EXPECT_TRUE(r.atEnd());
}

TEST(ByteReader, SignedLeb) {
  std::vector<uint8_t> b = {0xc0, 0xbb, 0x78, 0x7f};
  auto r = over(b);
  EXPECT_EQ(*r.readVarS32(), -123456);
  EXPECT_EQ(*r.readVarS32(), -1);
}

TEST(ByteReader, RejectsOverlongAndTooLarge) {
  std::vector<uint8_t> tooLong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_FALSE(over(tooLong).readVarU32());
  std::vector<uint8_t> tooLarge = {0xff, 0xff, 0xff, 0xff, 0x1f};
  auto r = over(tooLarge);
  auto v = r.readVarU32();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message().find("integer too large"), std::string::npos);
  std::vector<uint8_t> badSign = {0xff, 0xff, 0xff, 0xff, 0x4f};
  EXPECT_FALSE(over(badSign).readVarS32());
  std::vector<uint8_t> okSign = {0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(*over(okSign).readVarS32(), -1);
}

TEST(ByteReader, ReportsOffsetOfTruncation) {
  std::vector<uint8_t> b = {0x80};
  ByteReader r(b, 0x10);
  auto v = r.readVarU32();
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message().find("0x11"), std::string::npos);
}

TEST(ByteReader, Utf8) {
  std::vector<uint8_t> ok = {'a', 0xc3, 0xa9};
  EXPECT_TRUE(isValidUtf8(ok));
  std::vector<uint8_t> overlong = {0xc0, 0x80};
  EXPECT_FALSE(isValidUtf8(overlong));
  std::vector<uint8_t> truncated = {0xe2, 0x82};
  EXPECT_FALSE(isValidUtf8(truncated));
}
