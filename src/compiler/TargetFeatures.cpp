#include "compiler/TargetFeatures.h"

#include "abi/CpuFeatures.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/TargetParser/Host.h>

namespace lucet::compiler {

std::vector<std::string> selectCpuFeatures(CpuTarget target) {
  std::vector<std::string> features;
  if (target == CpuTarget::Baseline) return features;
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  for (auto name : abi::CheckableCpuFeatures) {
    auto it = host.find(llvm::StringRef(name.data(), name.size()));
    if (it != host.end() && it->second) features.emplace_back(name);
  }
  return features;
}

std::string llvmFeatureString(const std::vector<std::string> &features) {
  std::string out;
  for (const auto &f : features) {
    if (!out.empty()) out += ",";
    out += "+" + f;
  }
  return out;
}

} // namespace lucet::compiler
