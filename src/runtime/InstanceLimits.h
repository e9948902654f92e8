#pragma once

#include <cstdint>

namespace lucet::rt {

struct InstanceLimits {
  uint64_t heapAddressSpace = 8ull << 30; // reserved per memory: accessible heap + guard
  uint64_t maxHeapSize = 4ull << 30;      // memory.grow never goes past this
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page below it
};

} // namespace lucet::rt
