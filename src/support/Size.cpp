#include "support/Size.h"

#include <cctype>

namespace lucet {

Expected<uint64_t> parseSize(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front())))
    return Error::format("invalid size '{}': expected a number of bytes, optionally followed by "
                         "KiB, MiB or GiB",
                         text);
  uint64_t value = 0;
  size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    uint64_t digit = uint64_t(s[i] - '0');
    if (value > (UINT64_MAX - digit) / 10)
      return Error::format("invalid size '{}': too large", text);
    value = value * 10 + digit;
  }
  std::string_view unit = s.substr(i);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front())))
    unit.remove_prefix(1);
  std::string lower;
  for (char c : unit) lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  uint64_t multiplier;
  if (lower.empty() || lower == "b")
    multiplier = 1;
  else if (lower == "kib" || lower == "kb" || lower == "k")
    multiplier = KiB;
  else if (lower == "mib" || lower == "mb" || lower == "m")
    multiplier = MiB;
  else if (lower == "gib" || lower == "gb" || lower == "g")
    multiplier = GiB;
  else if (lower == "tib" || lower == "tb" || lower == "t")
    multiplier = 1024 * GiB;
  else
    return Error::format("invalid size '{}': unknown unit '{}' (use KiB, MiB or GiB)", text, unit);
  if (value > UINT64_MAX / multiplier) return Error::format("invalid size '{}': too large", text);
  return value * multiplier;
}

Expected<uint64_t> parsePageMultipleSize(std::string_view text) {
  LUCET_ASSIGN_OR_RETURN(value, parseSize(text));
  if (value % (4 * KiB) != 0)
    return Error::format("invalid size '{}': must be a multiple of 4 KiB", text);
  return value;
}

std::string formatSize(uint64_t bytes) {
  if (bytes != 0 && bytes % GiB == 0) return fmt::format("{} GiB", bytes / GiB);
  if (bytes != 0 && bytes % MiB == 0) return fmt::format("{} MiB", bytes / MiB);
  if (bytes != 0 && bytes % KiB == 0) return fmt::format("{} KiB", bytes / KiB);
  return fmt::format("{} bytes", bytes);
}

} // namespace lucet
