#pragma once

#include <cstdint>

namespace lucet::rt {

// What one instance may use. Tables count as well as memory: their elements
// live in host memory, 8 bytes each, outside the heap's reservation.
struct InstanceLimits {
  uint64_t heapAddressSpace = 8ull << 30; // reserved per memory: accessible heap + guard
  uint64_t maxHeapSize = 4ull << 30;      // memory.grow never goes past this
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page below it
  // Elements of any one table (the WebAssembly JS API's limit): table.grow
  // fails beyond it, and a module whose table starts larger is refused.
  uint64_t tableElements = 10'000'000;
  // Elements of all the tables an instance defines, together (80 MB of
  // host memory at the default).
  uint64_t totalTableElements = 10'000'000;
};

// A region never has more slots than this: each slot costs the host several
// mappings and some bookkeeping whether it is used or not, and a count
// beyond it is a mistake better reported than attempted.
inline constexpr uint32_t MaxRegionSlots = 100'000;

} // namespace lucet::rt
