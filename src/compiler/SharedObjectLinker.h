#pragma once

#include "support/Expected.h"

#include <string>
#include <vector>

namespace lucet::compiler {

// Links a relocatable object into a shared object with LLVM's lld. The
// output is written beside `outputPath` first and renamed into place, so a
// failure never leaves a half-written artifact.
Status linkSharedObject(const std::vector<std::vector<char>> &objects,
                        const std::string &outputPath);

} // namespace lucet::compiler
