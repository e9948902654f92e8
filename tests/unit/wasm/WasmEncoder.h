#pragma once

// Just enough of the binary format to build large modules in code: the
// tests of implementation limits and compile-time blow-ups need modules of
// megabytes that no text file should hold.

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::wasm::test {

using Bytes = std::vector<uint8_t>;

inline constexpr uint8_t I32 = 0x7f;
inline constexpr uint8_t End = 0x0b;

inline void appendU32(Bytes &out, uint64_t n) {
  do {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    out.push_back(n ? byte | 0x80 : byte);
  } while (n);
}

inline void appendS32(Bytes &out, int64_t n) {
  while (true) {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    if ((n == 0 && !(byte & 0x40)) || (n == -1 && (byte & 0x40))) {
      out.push_back(byte);
      return;
    }
    out.push_back(byte | 0x80);
  }
}

inline void append(Bytes &out, const Bytes &more) {
  out.insert(out.end(), more.begin(), more.end());
}

// A vector of `count` entries whose encodings are already in `entries`.
inline Bytes vec(uint64_t count, const Bytes &entries) {
  Bytes out;
  appendU32(out, count);
  append(out, entries);
  return out;
}

inline Bytes funcType(const std::vector<uint8_t> &params, const std::vector<uint8_t> &results) {
  Bytes out{0x60};
  append(out, vec(params.size(), params));
  append(out, vec(results.size(), results));
  return out;
}

// A code-section entry: `localRuns` as {count, type} pairs, then `code`
// and the final end.
inline Bytes body(const Bytes &code,
                  const std::vector<std::pair<uint32_t, uint8_t>> &localRuns = {}) {
  Bytes payload;
  appendU32(payload, localRuns.size());
  for (auto [count, type] : localRuns) {
    appendU32(payload, count);
    payload.push_back(type);
  }
  append(payload, code);
  payload.push_back(End);
  Bytes out;
  appendU32(out, payload.size());
  append(out, payload);
  return out;
}

class ModuleEncoder {
public:
  ModuleEncoder() : bytes_{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00} {}
  ModuleEncoder &section(uint8_t id, const Bytes &payload) {
    bytes_.push_back(id);
    appendU32(bytes_, payload.size());
    append(bytes_, payload);
    return *this;
  }
  // An export section naming one function.
  ModuleEncoder &exportFunc(const std::string &name, uint32_t index) {
    Bytes entry;
    appendU32(entry, name.size());
    entry.insert(entry.end(), name.begin(), name.end());
    entry.push_back(0);
    appendU32(entry, index);
    return section(7, vec(1, entry));
  }
  const Bytes &bytes() const { return bytes_; }

private:
  Bytes bytes_;
};

} // namespace lucet::wasm::test
