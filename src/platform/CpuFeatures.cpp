#include "platform/CpuFeatures.h"

namespace lucet::platform {

bool cpuHasFeature(std::string_view name) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  // __builtin_cpu_supports needs a literal, hence the explicit table.
  if (name == "sse3") return __builtin_cpu_supports("sse3");
  if (name == "ssse3") return __builtin_cpu_supports("ssse3");
  if (name == "sse4.1") return __builtin_cpu_supports("sse4.1");
  if (name == "sse4.2") return __builtin_cpu_supports("sse4.2");
  if (name == "popcnt") return __builtin_cpu_supports("popcnt");
  if (name == "avx") return __builtin_cpu_supports("avx");
  if (name == "avx2") return __builtin_cpu_supports("avx2");
  if (name == "bmi") return __builtin_cpu_supports("bmi");
  if (name == "bmi2") return __builtin_cpu_supports("bmi2");
  if (name == "fma") return __builtin_cpu_supports("fma");
#endif
  return false;
}

} // namespace lucet::platform
