#pragma once

// Which file a piece of this process's memory is mapped from, by
// /proc/self/maps: how LoadedModule tells that the object dlopen handed back
// is the file it checked.
#include <optional>
#include <string_view>
#include <sys/stat.h>

namespace lucet::rt {

// One line of /proc/self/maps: "low-high perms offset major:minor inode
// [path]", the numbers in hex but the inode in decimal.
struct MappingLine {
  unsigned long low = 0, high = 0, inode = 0;
  unsigned devMajor = 0, devMinor = 0;
};
std::optional<MappingLine> parseMappingLine(std::string_view line);

// Whether the memory at `address` is mapped from the file `st` describes;
// nullopt when that cannot be told (no /proc).
std::optional<bool> mappedFromFile(const void *address, const struct stat &st);

} // namespace lucet::rt
