#pragma once

#include <cstdint>

namespace lucet::platform {

// The host's page size, queried once.
uint64_t pageSize();

inline uint64_t roundUpToPage(uint64_t n) {
  uint64_t p = pageSize();
  return (n + p - 1) / p * p;
}

} // namespace lucet::platform
