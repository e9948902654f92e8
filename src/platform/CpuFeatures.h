#pragma once

#include <string_view>

namespace lucet::platform {

// Whether this CPU has an x86-64 feature, by LLVM's name for it ("avx2",
// "sse4.1", ...). Unknown names are reported as missing, so that an artifact
// asking for something we cannot check is refused rather than run.
bool cpuHasFeature(std::string_view name);

} // namespace lucet::platform
