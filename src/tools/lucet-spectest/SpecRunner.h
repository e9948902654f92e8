#pragma once

// Runs .wast spec scripts against lucetc and the runtime: every command of
// the script, each ending as passed, failed (with the reason) or not
// applicable (text-form modules, which a binary engine cannot check).

#include "support/Expected.h"

#include <string>
#include <vector>

namespace lucet::spectest {

struct SpecOptions {
  unsigned jobs = 2;        // threads compiling a script's modules
  std::string wast2json;    // wabt's converter, to read scripts with it instead
  bool keepTemp = false;    // keep the converted script and artifacts
  unsigned optLevel = 0;    // lucetc --opt-level for the script's modules
  unsigned wasmVersion = 3; // 2: check modules against WebAssembly 2.0's rules (the core/ suite)
  uint64_t chunkBytes = 0;  // lucetc's CompileOptions::chunkBytes: split modules to test that
};

struct FileResult {
  unsigned passed = 0, failed = 0, notApplicable = 0;
  // "FILE:LINE: COMMAND: why", one per failed command (or one for a script
  // that could not be converted at all).
  std::vector<std::string> failures;
};

FileResult runSpecFile(const std::string &wastPath, const SpecOptions &options);

} // namespace lucet::spectest
