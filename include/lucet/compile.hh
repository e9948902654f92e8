#pragma once

// Compiling .wasm to a loadable .so in process, through LLVM. This is the
// separate library lucet-compile (Lucet::compile); embedders that only load
// .so files link Lucet::lucet alone and never LLVM.

#include "lucet/error.hh"
#include "lucet/export.h"

#include <cstdint>
#include <span>
#include <string>

namespace lucet {

struct CompileOptions {
  unsigned optLevel = 2;
  // Code for plain x86-64 rather than this machine's CPU features.
  bool baselineCpu = false;
  // The heap the code may assume (see lucetc --reserved-size/--guard-size);
  // when the two do not cover 8 GiB, every access is bounds-checked.
  uint64_t reservedSize = 4ull << 30;
  uint64_t guardSize = 4ull << 30;
  // Threads compiling a large module's chunks; 0: one per core. The output
  // is the same whatever the number.
  unsigned threads = 0;
};

LUCET_API Result<void> compileFile(const std::string &wasmPath, const std::string &soPath,
                                   const CompileOptions &options = {});
LUCET_API Result<void> compileBytes(std::span<const uint8_t> wasm, const std::string &soPath,
                                    const CompileOptions &options = {});
// "lucetc 0.1.0 (LLVM 19.1.7)"
LUCET_API std::string compilerVersion();

} // namespace lucet
