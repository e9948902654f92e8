#pragma once

// Cryptographically secure random bytes from the kernel, for WASI's
// random_get and anything else that needs unpredictable values.

#include "support/Expected.h"

#include <cstdint>
#include <span>

namespace lucet::platform {

// Fills all of `out`, retrying on interruption and short reads.
Status fillRandom(std::span<uint8_t> out);

} // namespace lucet::platform
