#pragma once

// The x86-64 features beyond the baseline that compiled code may use. The
// compiler enables only these (those the build machine has, unless asked for
// the portable baseline) and records them in the artifact; the runtime
// refuses to run an artifact on a CPU that lacks any of them. Names are
// LLVM's feature names.

#include <array>
#include <string_view>

namespace lucet::abi {

inline constexpr std::array<std::string_view, 10> CheckableCpuFeatures = {
    "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi", "bmi2", "fma"};

} // namespace lucet::abi
