#include "abi/SourceMap.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using lucet::abi::SourceMapEntry;

// A source map image of functions whose entries are given, as the compiler
// lays it out (SourceMapBuilder.cpp).
std::vector<uint8_t> image(const std::vector<std::vector<SourceMapEntry>> &functions,
                           uint32_t firstIndex) {
  lucet::ByteWriter stream;
  std::vector<uint64_t> starts;
  for (size_t f = 0; f < functions.size(); ++f) {
    starts.push_back(stream.bytes.size());
    lucet::abi::encodeSourceMapFunction(functions[f], firstIndex + uint32_t(f), stream);
  }
  starts.push_back(stream.bytes.size());
  lucet::abi::SourceMapHeader header{uint32_t(functions.size()), 0, stream.bytes.size()};
  std::vector<uint8_t> out(sizeof header + 8 * starts.size());
  std::memcpy(out.data(), &header, sizeof header);
  std::memcpy(out.data() + sizeof header, starts.data(), 8 * starts.size());
  out.insert(out.end(), stream.bytes.begin(), stream.bytes.end());
  EXPECT_EQ(out.size(), lucet::abi::sourceMapBytes(functions.size(), stream.bytes.size()));
  return out;
}

TEST(SourceMapCodec, LooksUpTheLastEntryAtOrBeforeAnOffset) {
  // Function 5 (defined index 0) has an inlined instruction from function 9
  // and wasm offsets that go down as well as up; function 6 has no entries.
  auto map = image({{{0, 1000, 5}, {4, 1003, 5}, {9, 2500, 9}, {20, 998, 5}}, {}, {{3, 70, 7}}}, 5);
  auto at = [&](uint32_t defined, uint64_t offset) {
    return lucet::abi::lookupSourceMap(map, defined, 5 + defined, offset);
  };
  ASSERT_TRUE(at(0, 0));
  EXPECT_EQ(at(0, 0)->wasmOffset, 1000u);
  EXPECT_EQ(at(0, 3)->wasmOffset, 1000u);
  EXPECT_EQ(at(0, 4)->wasmOffset, 1003u);
  EXPECT_EQ(at(0, 12)->wasmOffset, 2500u);
  EXPECT_EQ(at(0, 12)->wasmFuncIndex, 9u);
  EXPECT_EQ(at(0, 12)->codeOffset, 9u);
  EXPECT_EQ(at(0, 100)->wasmOffset, 998u);
  EXPECT_EQ(at(0, 100)->wasmFuncIndex, 5u);
  EXPECT_FALSE(at(1, 10));
  EXPECT_FALSE(at(2, 2));
  EXPECT_EQ(at(2, 3)->wasmOffset, 70u);
  EXPECT_FALSE(at(3, 0)) << "past the last function";
}

TEST(SourceMapCodec, MalformedMapsFindNothing) {
  auto map = image({{{0, 1000, 5}, {4, 1003, 5}}}, 5);
  // Truncated anywhere: the header, the starts or the stream.
  for (size_t size = 0; size < map.size(); ++size)
    EXPECT_FALSE(lucet::abi::lookupSourceMap(std::span(map.data(), size), 0, 5, 100)) << size;
  // A start beyond the stream, and starts out of order.
  auto bad = map;
  uint64_t huge = 1000;
  std::memcpy(bad.data() + 16 + 8, &huge, 8);
  EXPECT_FALSE(lucet::abi::lookupSourceMap(bad, 0, 5, 100));
  bad = map;
  uint64_t late = 2;
  std::memcpy(bad.data() + 16, &late, 8);
  uint64_t early = 1;
  std::memcpy(bad.data() + 24, &early, 8);
  EXPECT_FALSE(lucet::abi::lookupSourceMap(bad, 0, 5, 100));
  // A number cut short at the end of the function's bytes.
  bad = map;
  bad.back() |= 0x80;
  EXPECT_FALSE(lucet::abi::lookupSourceMap(bad, 0, 5, 100));
}

} // namespace
