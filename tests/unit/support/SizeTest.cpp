#include "support/Size.h"

#include <gtest/gtest.h>

using namespace lucet;

TEST(Size, ParsesPlainBytesAndUnits) {
  EXPECT_EQ(*parseSize("4096"), 4096u);
  EXPECT_EQ(*parseSize("4KiB"), 4096u);
  EXPECT_EQ(*parseSize("2GiB"), 2 * GiB);
  EXPECT_EQ(*parseSize("8 MiB"), 8 * MiB);
  EXPECT_EQ(*parseSize("8mib"), 8 * MiB);
  EXPECT_EQ(*parseSize("1G"), GiB);
}

TEST(Size, RejectsGarbage) {
  EXPECT_FALSE(parseSize(""));
  EXPECT_FALSE(parseSize("GiB"));
  EXPECT_FALSE(parseSize("-4KiB"));
  EXPECT_FALSE(parseSize("4 parsecs"));
  auto overflow = parseSize("99999999999999999999");
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.error().message().find("too large"), std::string::npos);
  EXPECT_FALSE(parseSize("17179869184GiB"));
}

TEST(Size, PageMultipleRule) {
  EXPECT_EQ(*parsePageMultipleSize("8GiB"), 8 * GiB);
  auto bad = parsePageMultipleSize("4097");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("multiple of 4 KiB"), std::string::npos);
}

TEST(Size, Formats) {
  EXPECT_EQ(formatSize(8 * GiB), "8 GiB");
  EXPECT_EQ(formatSize(4 * KiB), "4 KiB");
  EXPECT_EQ(formatSize(100), "100 bytes");
}
