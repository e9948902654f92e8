#include "text/Literals.h"

#include <cerrno>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lucet::text {

namespace {

bool isDigit(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

// Consumes digits with single underscores between them; false if none or
// misplaced underscores. Appends the digits (without `_`) to `out`.
bool digits(std::string_view s, size_t &i, bool hex, std::string &out) {
  size_t start = i;
  while (i < s.size()) {
    if (isDigit(s[i], hex)) {
      out += s[i++];
    } else if (s[i] == '_' && i > start && i + 1 < s.size() && isDigit(s[i + 1], hex)) {
      ++i;
    } else {
      break;
    }
  }
  return i > start;
}

Error malformed(std::string_view text, const char *what) {
  return Error::format("malformed {} literal '{}'", what, text);
}

// Sign, then the unsigned magnitude: 2^64 and above is out of range.
struct ParsedInt {
  bool negative = false;
  uint64_t magnitude = 0;
};

Expected<ParsedInt> integer(std::string_view text, bool allowSign) {
  ParsedInt r;
  size_t i = 0;
  if (allowSign && i < text.size() && (text[i] == '+' || text[i] == '-')) {
    r.negative = text[i] == '-';
    ++i;
  }
  bool hex = text.substr(i, 2) == "0x";
  if (hex) i += 2;
  std::string ds;
  if (!digits(text, i, hex, ds) || i != text.size()) return malformed(text, "integer");
  for (char c : ds) {
    unsigned d = c <= '9' ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
    unsigned base = hex ? 16 : 10;
    if (r.magnitude > (UINT64_MAX - d) / base)
      return Error::format("constant out of range: '{}'", text);
    r.magnitude = r.magnitude * base + d;
  }
  return r;
}

// Checks the float grammar and returns the text strtod should see (no
// underscores), or an error.
Expected<std::string> floatText(std::string_view text) {
  size_t i = 0;
  std::string out;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) out += text[i++];
  bool hex = text.substr(i, 2) == "0x";
  if (hex) {
    out += "0x";
    i += 2;
  }
  if (!digits(text, i, hex, out)) return malformed(text, "float");
  if (i < text.size() && text[i] == '.') {
    out += text[i++];
    std::string frac;
    if (i < text.size() && isDigit(text[i], hex) && !digits(text, i, hex, frac))
      return malformed(text, "float");
    out += frac;
  }
  if (i < text.size() &&
      (hex ? (text[i] == 'p' || text[i] == 'P') : (text[i] == 'e' || text[i] == 'E'))) {
    out += text[i++];
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) out += text[i++];
    if (!digits(text, i, false, out)) return malformed(text, "float");
  } else if (hex) {
    out += "p0";
  }
  if (i != text.size()) return malformed(text, "float");
  return out;
}

template <typename Bits, typename Float, unsigned MantissaBits>
Expected<Bits> parseFloat(std::string_view text) {
  constexpr unsigned TotalBits = sizeof(Bits) * 8;
  constexpr Bits SignBit = Bits(1) << (TotalBits - 1);
  constexpr Bits ExponentMask = Bits(~Bits(0)) << MantissaBits & ~SignBit;
  constexpr Bits MantissaMask = (Bits(1) << MantissaBits) - 1;
  std::string_view rest = text;
  Bits sign = 0;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    if (rest[0] == '-') sign = SignBit;
    rest.remove_prefix(1);
  }
  if (rest == "inf") return Bits(sign | ExponentMask);
  if (rest == "nan") return Bits(sign | ExponentMask | (Bits(1) << (MantissaBits - 1)));
  if (rest.substr(0, 4) == "nan:") {
    std::string_view payloadText = rest.substr(4);
    if (payloadText.substr(0, 2) != "0x") return malformed(text, "float");
    auto payload = integer(payloadText, false);
    if (!payload) return malformed(text, "float");
    if (payload->magnitude == 0 || payload->magnitude > MantissaMask)
      return Error::format("constant out of range: NaN payload of '{}'", text);
    return Bits(sign | ExponentMask | Bits(payload->magnitude));
  }
  LUCET_ASSIGN_OR_RETURN(clean, floatText(text));
  errno = 0;
  char *end = nullptr;
  Float value;
  if constexpr (sizeof(Float) == 4)
    value = std::strtof(clean.c_str(), &end);
  else
    value = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return malformed(text, "float");
  if (std::isinf(value)) return Error::format("constant out of range: '{}'", text);
  Bits bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

} // namespace

Expected<uint64_t> parseInt(std::string_view text, unsigned bits) {
  LUCET_ASSIGN_OR_RETURN(v, integer(text, true));
  uint64_t mask = bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  if (v.negative) {
    // Down to -2^(bits-1).
    if (v.magnitude > (uint64_t(1) << (bits - 1)))
      return Error::format("constant out of range: '{}'", text);
    return (~v.magnitude + 1) & mask;
  }
  if (v.magnitude > mask) return Error::format("constant out of range: '{}'", text);
  return v.magnitude;
}

Expected<uint64_t> parseUnsigned(std::string_view text, unsigned bits) {
  LUCET_ASSIGN_OR_RETURN(v, integer(text, false));
  if (bits < 64 && v.magnitude >= (uint64_t(1) << bits))
    return Error::format("constant out of range: '{}'", text);
  return v.magnitude;
}

Expected<uint32_t> parseF32(std::string_view text) {
  return parseFloat<uint32_t, float, 23>(text);
}

Expected<uint64_t> parseF64(std::string_view text) {
  return parseFloat<uint64_t, double, 52>(text);
}

} // namespace lucet::text
