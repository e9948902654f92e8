#pragma once

// The implementation limits lucetc enforces while reading a module. The core
// spec lets an implementation bound these dimensions; the values are the ones
// the WebAssembly JS API specifies ("Limits"), which browsers and other
// engines share, so a module that runs on the web is never refused here.
// They keep compile time and memory proportional to the module: without them
// a few bytes can declare billions of locals. README.md ("Limits") lists them.

#include <cstdint>

namespace lucet::wasm {

inline constexpr uint64_t MaxModuleBytes = 1ull << 30;
inline constexpr uint32_t MaxTypes = 1'000'000;
inline constexpr uint32_t MaxFunctions = 1'000'000; // defined functions
inline constexpr uint32_t MaxImports = 1'000'000;
inline constexpr uint32_t MaxExports = 1'000'000;
inline constexpr uint32_t MaxGlobals = 1'000'000;
inline constexpr uint32_t MaxTags = 1'000'000;
inline constexpr uint32_t MaxDataSegments = 100'000;
inline constexpr uint32_t MaxTables = 100'000;
inline constexpr uint32_t MaxMemories = 100;
inline constexpr uint32_t MaxElemSegments = 10'000'000;
inline constexpr uint32_t MaxElemSegmentItems = 10'000'000;
inline constexpr uint32_t MaxFunctionBodyBytes = 7'654'321; // locals declarations included
inline constexpr uint32_t MaxFunctionLocals = 50'000;       // parameters included
inline constexpr uint32_t MaxFunctionParams = 1'000;
inline constexpr uint32_t MaxFunctionResults = 1'000;

} // namespace lucet::wasm
