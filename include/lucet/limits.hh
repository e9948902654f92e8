#pragma once

// How much memory an instance may have: the sizes of its heap, the address
// space reserved for it and its stack, and how many table elements it may
// hold (tables live in host memory, 8 bytes an element).

#include <cstdint>

namespace lucet {

// Sizes in bytes, multiples of 4 KiB.
struct InstanceLimits {
  uint64_t heapSize = 4ull << 30;         // memory.grow never goes past this
  uint64_t heapAddressSpace = 8ull << 30; // reserved: accessible heap + guard
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page
  // Elements, not bytes: of any one table (table.grow fails beyond it; a
  // module whose table starts larger is refused) ...
  uint64_t tableElements = 10'000'000;
  // ... and of all the tables one instance defines, together.
  uint64_t totalTableElements = 10'000'000;
};

} // namespace lucet
