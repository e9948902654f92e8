#pragma once

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace lucet {

constexpr uint64_t KiB = 1024;
constexpr uint64_t MiB = 1024 * KiB;
constexpr uint64_t GiB = 1024 * MiB;

// Parses "4096", "64KiB", "2 GiB", "8MiB" (also KB/MB/GB/K/M/G as binary
// units, since that is what users of Lucet typed). Fails on anything else,
// including overflow.
Expected<uint64_t> parseSize(std::string_view text);

// Like parseSize, and also requires a multiple of 4 KiB.
Expected<uint64_t> parsePageMultipleSize(std::string_view text);

// "8 GiB", "4 KiB", "12345 bytes": the shortest exact rendering.
std::string formatSize(uint64_t bytes);

} // namespace lucet
