#pragma once

#include "compiler/CompileOptions.h"

#include <string>
#include <vector>

namespace lucet::compiler {

// The CPU features generated code may use: for CpuTarget::Native, those of
// abi::CheckableCpuFeatures that this machine has; none for the baseline.
std::vector<std::string> selectCpuFeatures(CpuTarget target);

// "+sse4.1,+avx2,..." for LLVM's target machine.
std::string llvmFeatureString(const std::vector<std::string> &features);

} // namespace lucet::compiler
