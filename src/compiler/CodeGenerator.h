#pragma once

#include "support/Expected.h"

#include <llvm/IR/Module.h>

#include <string>
#include <vector>

namespace lucet::compiler {

// Optimises an LLVM module at the given level (0-3) and generates x86-64
// machine code for it as a relocatable ELF object, using the CPU features
// given beyond the x86-64 baseline.
Expected<std::vector<char>> generateObject(llvm::Module &module, unsigned optLevel,
                                           const std::vector<std::string> &cpuFeatures);

// Runs the optimisation pipeline only (for --emit ll).
Status optimizeModule(llvm::Module &module, unsigned optLevel,
                      const std::vector<std::string> &cpuFeatures);

} // namespace lucet::compiler
