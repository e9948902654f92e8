#pragma once

// Turns arbitrary bytes into a valid WebAssembly 2.0 module (no SIMD, no
// imports) whose behaviour is deterministic, for fuzzing the compiler and for
// differential execution against other engines.
//
// Every module has one memory, exported as "mem"; a funcref table with some
// functions in it; an i32 global "fuel" and a few other mutable globals
// "g0", "g1", ...; and 1-8 functions "f0", "f1", ... that use most of the
// instruction set, including every way to trap except stack overflow.
//
// Termination: each function entry and loop iteration uses one unit of fuel
// and traps with `unreachable` when there is none, so a caller sets "fuel"
// (DefaultFuel) before each call and every call ends, without unbounded
// recursion.
//
// Determinism: float values are made canonical NaNs where the spec lets a
// NaN's bits vary (arithmetic results), before they can become observable
// (stored, reinterpreted, returned, passed or written to a global or local),
// so results, globals and memory are the same on every correct engine.

#include <cstdint>
#include <span>
#include <vector>

namespace lucet::fuzz {

inline constexpr const char *MemoryExportName = "mem";
inline constexpr const char *FuelExportName = "fuel";
inline constexpr int32_t DefaultFuel = 300;

struct GeneratorOptions {
  // Every memory access and bulk memory operation in bounds (addresses
  // below 32 KiB, small offsets and lengths): to compare everything else
  // while bugs around out-of-bounds traps are open.
  bool inBoundsOnly = false;
};

std::vector<uint8_t> generateModule(std::span<const uint8_t> input,
                                    const GeneratorOptions &options = {});

} // namespace lucet::fuzz
