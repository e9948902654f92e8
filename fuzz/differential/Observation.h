#pragma once

// What one call of an export did, as the differential runner compares it:
// its results or its trap, then the memory and the exported globals after
// it. Rendered exactly (to compare lucetc's own optimisation levels) or
// coarsely (to compare with V8, which cannot show NaN bits through
// JavaScript numbers and names traps differently).

#include "lucet/instance.hh"
#include "lucet/value.hh"

#include <string>
#include <utility>
#include <vector>

namespace lucet::fuzz {

struct Observation {
  bool trapped = false;
  TrapKind trap = TrapKind::Unreachable;
  std::vector<Val> results;
  uint64_t memoryPages = 0;
  std::string memoryHash; // the first 16 hex digits of its SHA-256
  std::vector<std::pair<std::string, Val>> globals;
};

// "ret i32:0x0000002a f32:nan ; mem 1 0123456789abcdef ; fuel=i32:0x0000012b"
std::string render(const Observation &observation, bool coarse);

// The trap classes V8 can be told apart by: "oob", "div0", "overflow" (also
// a float that does not convert), "unreachable", "indirect" (null entry or wrong signature:
// V8 has one message for both), "table-oob", "stack".
const char *coarseTrapClass(TrapKind kind);

std::string valText(const Val &value, bool coarse);

std::string memoryHash(std::span<const uint8_t> memory);

} // namespace lucet::fuzz
