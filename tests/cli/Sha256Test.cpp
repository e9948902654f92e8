// Known-answer tests from FIPS 180-4's examples, and incremental updates.
#include "support/Sha256.h"

#include <gtest/gtest.h>

namespace lucet {
namespace {

std::string hashOf(std::string_view text) {
  Sha256 hash;
  hash.update(text);
  return hash.finishHex();
}

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(hashOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hashOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hashOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hashOf(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, PaddingBoundaries) {
  // 55, 56 and 64 bytes put the length in the same block, the next one,
  // and after a full block.
  EXPECT_EQ(hashOf(std::string(55, 'x')).size(), 64u);
  EXPECT_NE(hashOf(std::string(55, 'x')), hashOf(std::string(56, 'x')));
  EXPECT_EQ(hashOf(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256Test, IncrementalEqualsOneShot) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += char('a' + i % 26);
  for (size_t chunk : {1u, 3u, 63u, 64u, 65u, 200u}) {
    Sha256 hash;
    for (size_t i = 0; i < text.size(); i += chunk)
      hash.update(std::string_view(text).substr(i, chunk));
    EXPECT_EQ(hash.finishHex(), hashOf(text)) << "chunk " << chunk;
  }
}

} // namespace
} // namespace lucet
