#include "lucet/compile.hh"

#include "compiler/Compiler.h"

namespace lucet {
namespace {

compiler::CompileOptions toInternal(const CompileOptions &options) {
  compiler::CompileOptions internal;
  internal.optLevel = options.optLevel;
  internal.cpuTarget =
      options.baselineCpu ? compiler::CpuTarget::Baseline : compiler::CpuTarget::Native;
  internal.reservedSize = options.reservedSize;
  internal.guardSize = options.guardSize;
  internal.threads = options.threads;
  return internal;
}

} // namespace

Result<void> compileFile(const std::string &wasmPath, const std::string &soPath,
                         const CompileOptions &options) {
  auto status = compiler::compileFile(wasmPath, soPath, toInternal(options));
  if (!status) return ApiError(status.error().message());
  return {};
}

Result<void> compileBytes(std::span<const uint8_t> wasm, const std::string &soPath,
                          const CompileOptions &options) {
  auto status = compiler::compileBytes(std::vector<uint8_t>(wasm.begin(), wasm.end()), "<memory>",
                                       soPath, toInternal(options));
  if (!status) return ApiError(status.error().message());
  return {};
}

std::string compilerVersion() {
  return compiler::compilerVersion();
}

} // namespace lucet
