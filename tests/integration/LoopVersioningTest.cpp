// Loops over memory compute what wasm says whichever copy runs
// (HeapLoopVersioning.h): the copy without traps, whose accesses LLVM may
// vectorize, reorder and keep in registers, runs only when every access is
// in bounds and no two groups of accesses overlap; otherwise the original.
// TrapPrecisionTest covers the loops that trap; these give results that a
// plain interpretation of the loop, done here in C++, must match.
#include "CompiledModuleFixture.h"

#include <cstring>

using namespace lucet;
using lucet::abi::TrapCode;

namespace {

class LoopVersioning : public lucet::testing::EveryHeapModel {
protected:
  // Writes `words` at `at`, through the guest.
  void fill(rt::Instance &instance, int32_t at, const std::vector<int32_t> &words) {
    for (size_t i = 0; i < words.size(); ++i)
      run(instance, "store32", {rt::Value::i32(at + int32_t(4 * i)), rt::Value::i32(words[i])});
  }
  std::vector<int32_t> read(rt::Instance &instance, int32_t at, size_t count) {
    std::vector<int32_t> words;
    for (size_t i = 0; i < count; ++i)
      words.push_back(runI32(instance, "load32", {rt::Value::i32(at + int32_t(4 * i))}));
    return words;
  }
};

constexpr const char *Loops = R"((module (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "g") (result i32) (global.get $g))
  (func (export "load32") (param $p i32) (result i32) (i32.load (local.get $p)))
  (func (export "store32") (param $p i32) (param $v i32) (i32.store (local.get $p) (local.get $v)))
  ;; dst[i] = src[i] + src[i + 1]: two source streams and one destination.
  (func (export "pair_sums") (param $dst i32) (param $src i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add
          (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
          (i32.load offset=4 (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  ;; acc[0] += src[i] for every i: a destination that does not move.
  (func (export "accumulate") (param $acc i32) (param $src i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (local.get $acc)
        (i32.add (i32.load (local.get $acc))
                 (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  ;; Fills n words with their index, counting them in $g, then loads $after.
  (func (export "fill_then_load") (param $p i32) (param $n i32) (param $after i32) (result i32)
    (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.load (local.get $after)))
  ;; Words p[0], p[stride], p[2 stride], ... below p[n] get their index.
  (func (export "strided_fill") (param $p i32) (param $n i32) (param $stride i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (local.get $stride)))
      (br $next))))
  ;; The sum of n words, downwards.
  (func (export "sum_down") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))))
      (br $next)))
    (local.get $s)))
)";

std::vector<int32_t> pattern(size_t count, int32_t seed) {
  std::vector<int32_t> words;
  uint32_t x = uint32_t(seed) * 2654435761u + 1;
  for (size_t i = 0; i < count; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    words.push_back(int32_t(x % 100000));
  }
  return words;
}

TEST_P(LoopVersioning, OverlappingSourceAndDestinationGiveTheSequentialResult) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  constexpr int32_t Base = 8192;
  constexpr size_t Words = 600;
  // Destination at these word distances from the source: apart, just
  // after (each store feeds the next load), just before, the same, and
  // overlapping half-way.
  for (int32_t shift : {1000, 1, -1, 0, 150, -150, 2}) {
    auto memory = pattern(Words + 2200, shift);
    fill(*instance, Base, memory);
    int32_t src = Base + 4 * 1000, dst = src + 4 * shift;
    int32_t n = 400;
    run(*instance, "pair_sums", {rt::Value::i32(dst), rt::Value::i32(src), rt::Value::i32(n)});
    for (int32_t i = 0; i < n; ++i)
      memory[size_t(1000 + shift + i)] =
          int32_t(uint32_t(memory[size_t(1000 + i)]) + uint32_t(memory[size_t(1000 + i + 1)]));
    EXPECT_EQ(read(*instance, Base, memory.size()), memory) << "shift " << shift;
  }
}

TEST_P(LoopVersioning, AnAccumulatorInsideTheSourceSeesEachStore) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  auto memory = pattern(300, 7);
  // Apart from the source, and at its word 100, which the loop reads after
  // having added into it.
  for (int32_t accWord : {-5, 100}) {
    fill(*instance, 0, memory);
    auto expected = memory;
    size_t acc = size_t(accWord + 10);
    for (size_t i = 0; i < 200; ++i)
      expected[acc] = int32_t(uint32_t(expected[acc]) + uint32_t(expected[10 + i]));
    run(*instance, "accumulate",
        {rt::Value::i32(4 * int32_t(acc)), rt::Value::i32(40), rt::Value::i32(200)});
    EXPECT_EQ(read(*instance, 0, memory.size()), expected) << "accumulator at " << accWord;
  }
}

TEST_P(LoopVersioning, EffectsOfALoopThatRanInBoundsAreVisibleAtALaterTrap) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  EXPECT_EQ(trapOf(*instance, "fill_then_load", {V::i32(512), V::i32(300), V::i32(65536)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "g"), 300);
  auto words = read(*instance, 512, 301);
  for (int32_t i = 0; i < 300; ++i) EXPECT_EQ(words[size_t(i)], i);
  EXPECT_EQ(words[300], 0);
  EXPECT_EQ(runI32(*instance, "fill_then_load", {V::i32(0), V::i32(10), V::i32(36)}), 9);
  EXPECT_EQ(runI32(*instance, "g"), 310);
}

TEST_P(LoopVersioning, ReductionsMatch) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  auto memory = pattern(1001, 3);
  fill(*instance, 4000, memory);
  for (int32_t n : {0, 1, 7, 64, 1001}) {
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; ++i) sum += uint32_t(memory[size_t(i)]);
    EXPECT_EQ(runI32(*instance, "sum_down", {rt::Value::i32(4000), rt::Value::i32(n)}),
              int32_t(sum))
        << n;
  }
  // Across the end of memory: the last word read is the first to fault.
  EXPECT_EQ(trapOf(*instance, "sum_down", {rt::Value::i32(65536 - 8), rt::Value::i32(3)}),
            TrapCode::OutOfBounds);
}

// Each memory's accesses are checked against that memory's size.
constexpr const char *TwoMemories = R"((module (memory $a 1) (memory $b 2)
  (func (export "load32") (param $p i32) (result i32) (i32.load $a (local.get $p)))
  (func (export "store32") (param $p i32) (param $v i32)
    (i32.store $b (local.get $p) (local.get $v)))
  ;; a[dst + 4i] = b[src + 4i] for i < n
  (func (export "copy_b_to_a") (param $dst i32) (param $src i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store $a (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
        (i32.load $b (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))
)";

TEST_P(LoopVersioning, EachMemoryHasItsOwnBounds) {
  auto instance = instantiate(TwoMemories, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  auto words = pattern(64, 11);
  for (size_t i = 0; i < words.size(); ++i)
    run(*instance, "store32", {V::i32(100000 + int32_t(4 * i)), V::i32(words[i])});
  // From b's second page into a's only one.
  run(*instance, "copy_b_to_a", {V::i32(256), V::i32(100000), V::i32(64)});
  EXPECT_EQ(read(*instance, 256, 64), words);
  // b is larger than a: the source fits, the destination's 9th word traps.
  EXPECT_EQ(trapOf(*instance, "copy_b_to_a", {V::i32(65536 - 32), V::i32(100000), V::i32(64)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(read(*instance, 65536 - 32, 8), std::vector<int32_t>(words.begin(), words.begin() + 8));
  // The source runs past b's end after 4 words; a has room.
  for (size_t i = 0; i < 8; ++i)
    run(*instance, "store32", {V::i32(2 * 65536 - 32 + int32_t(4 * i)), V::i32(words[i])});
  EXPECT_EQ(trapOf(*instance, "copy_b_to_a", {V::i32(0), V::i32(2 * 65536 - 16), V::i32(8)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(read(*instance, 0, 5),
            (std::vector<int32_t>{words[4], words[5], words[6], words[7], 0}));
}

// A step known only at run time.
TEST_P(LoopVersioning, StridedLoopsTouchEveryStrideAndTrapAtTheEnd) {
  auto instance = instantiate(Loops, hostOnly_, options());
  ASSERT_TRUE(instance);
  using V = rt::Value;
  for (int32_t stride : {1, 3, 64}) {
    fill(*instance, 0, std::vector<int32_t>(400, -1));
    run(*instance, "strided_fill", {V::i32(0), V::i32(400), V::i32(stride)});
    auto words = read(*instance, 0, 400);
    for (int32_t i = 0; i < 400; ++i)
      EXPECT_EQ(words[size_t(i)], i % stride == 0 ? i : -1) << "stride " << stride << " word " << i;
  }
  // Every 1000th word of 20,000 from 0: word 16,000 is past 64 KiB.
  EXPECT_EQ(trapOf(*instance, "strided_fill", {V::i32(0), V::i32(20000), V::i32(1000)}),
            TrapCode::OutOfBounds);
  EXPECT_EQ(runI32(*instance, "load32", {V::i32(4 * 15000)}), 15000);
}

INSTANTIATE_TEST_SUITE_P(Models, LoopVersioning, lucet::testing::everyHeapModel(),
                         lucet::testing::heapModelName);

} // namespace
