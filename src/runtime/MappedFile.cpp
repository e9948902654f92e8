#include "runtime/MappedFile.h"

#include "support/FileIO.h"

#include <charconv>
#include <cstdint>
#include <sys/sysmacros.h>

namespace lucet::rt {

std::optional<MappingLine> parseMappingLine(std::string_view line) {
  MappingLine m;
  const char *p = line.data(), *end = line.data() + line.size();
  auto number = [&](auto &value, int base, char after) {
    auto [next, ec] = std::from_chars(p, end, value, base);
    if (ec != std::errc() || next == end || *next != after) return false;
    p = next + 1;
    return true;
  };
  auto skipField = [&] {
    while (p != end && *p != ' ') ++p;
    if (p == end) return false;
    ++p;
    return true;
  };
  unsigned long offset = 0;
  if (!number(m.low, 16, '-') || !number(m.high, 16, ' ') || !skipField() ||
      !number(offset, 16, ' ') || !number(m.devMajor, 16, ':') || !number(m.devMinor, 16, ' '))
    return std::nullopt;
  auto [next, ec] = std::from_chars(p, end, m.inode, 10);
  if (ec != std::errc()) return std::nullopt;
  return m;
}

// Parsed by hand: sscanf was a visible part of every lucet-wasi start.
std::optional<bool> mappedFromFile(const void *address, const struct stat &st) {
  auto maps = readFile("/proc/self/maps");
  if (!maps) return std::nullopt;
  std::string_view text(reinterpret_cast<const char *>(maps->data()), maps->size());
  auto wanted = uintptr_t(address);
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    auto m = parseMappingLine(line);
    if (!m || wanted < m->low || wanted >= m->high) continue;
    return m->devMajor == major(st.st_dev) && m->devMinor == minor(st.st_dev) &&
           m->inode == st.st_ino;
  }
  return false;
}

} // namespace lucet::rt
