#pragma once

#include "support/Expected.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lucet {

// Reads a whole file; the error names the path and the OS reason.
Expected<std::vector<uint8_t>> readFile(const std::string &path);

// Writes a file atomically: to a temporary beside it, then renamed over it,
// so a reader never sees half an artifact and a failure loses nothing.
Status writeFileAtomically(const std::string &path, std::span<const uint8_t> bytes);

} // namespace lucet
