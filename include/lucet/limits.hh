#pragma once

// How much memory an instance may have: the sizes of its heap, the address
// space reserved for it and its stack.

#include <cstdint>

namespace lucet {

// Sizes in bytes, multiples of 4 KiB.
struct InstanceLimits {
  uint64_t heapSize = 4ull << 30;         // memory.grow never goes past this
  uint64_t heapAddressSpace = 8ull << 30; // reserved: accessible heap + guard
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page
};

} // namespace lucet
