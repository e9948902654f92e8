#pragma once

// Compiles a module with lucetc at one optimisation level, instantiates it
// and makes the planned calls, observing each.

#include "CallPlan.h"
#include "Observation.h"

#include "lucet/error.hh"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lucet::fuzz {

struct LucetRun {
  CallPlan plan; // global types filled in from the instance
  std::vector<Observation> observations;
};

// `soPath` is where the compiled module goes (and stays until the next run
// overwrites it).
// With `boundsChecked`, code that checks every heap access explicitly
// (lucetc's model when reserved + guard space is under 8 GiB) instead of
// relying on guard pages.
Result<LucetRun> runWithLucet(std::span<const uint8_t> wasm, unsigned optLevel,
                              const std::string &soPath, bool boundsChecked = false);

} // namespace lucet::fuzz
