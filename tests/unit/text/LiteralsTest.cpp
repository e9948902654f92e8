#include "text/Literals.h"

#include <gtest/gtest.h>

using namespace lucet::text;

TEST(Literals, Integers) {
  EXPECT_EQ(*parseInt("0", 32), 0u);
  EXPECT_EQ(*parseInt("-1", 32), 0xffffffffu);
  EXPECT_EQ(*parseInt("0xffff_ffff", 32), 0xffffffffu);
  EXPECT_EQ(*parseInt("-0x8000_0000", 32), 0x80000000u);
  EXPECT_EQ(*parseInt("+1_000", 64), 1000u);
  EXPECT_EQ(*parseInt("18446744073709551615", 64), ~uint64_t(0));
  EXPECT_FALSE(parseInt("4294967296", 32));
  EXPECT_FALSE(parseInt("-2147483649", 32));
  EXPECT_FALSE(parseInt("18446744073709551616", 64));
  for (const char *bad : {"", "-", "0x", "1_", "_1", "1__0", "0x_1", "1a", "--1"})
    EXPECT_FALSE(parseInt(bad, 32)) << bad;
  EXPECT_FALSE(parseUnsigned("-1", 32));
  EXPECT_EQ(*parseUnsigned("0x10", 32), 16u);
}

TEST(Literals, FloatsRoundToNearestEven) {
  EXPECT_EQ(*parseF32("1"), 0x3f800000u);
  EXPECT_EQ(*parseF32("-0"), 0x80000000u);
  EXPECT_EQ(*parseF32("0x1p-149"), 1u);
  EXPECT_EQ(*parseF32("1.5e1"), 0x41700000u);
  EXPECT_EQ(*parseF32("1_000.0"), 0x447a0000u);
  // Halfway between 1 and the next float: ties to even (1).
  EXPECT_EQ(*parseF32("0x1.000001p0"), 0x3f800000u);
  EXPECT_EQ(*parseF32("0x1.000003p0"), 0x3f800002u);
  EXPECT_EQ(*parseF64("0x1.fffffffffffffp1023"), 0x7fefffffffffffffu);
  EXPECT_EQ(*parseF64("inf"), 0x7ff0000000000000u);
  EXPECT_EQ(*parseF64("-nan"), 0xfff8000000000000u);
  EXPECT_EQ(*parseF32("nan:0x200000"), 0x7fa00000u);
  EXPECT_FALSE(parseF32("nan:0x0"));
  EXPECT_FALSE(parseF32("nan:0x800000"));
  EXPECT_FALSE(parseF32("1e39"));
  EXPECT_FALSE(parseF32("0x1p128"));
  EXPECT_FALSE(parseF64("1e309"));
  for (const char *bad : {"1e", "0x1p", "1._0", "_1.0", "1.0_", "0x.", ".5", "1e+_1", "infinity"})
    EXPECT_FALSE(parseF64(bad)) << bad;
}
