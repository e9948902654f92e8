#pragma once

#include "compiler/CompileOptions.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <string>
#include <vector>

namespace lucet::compiler {

// Compiles a validated module into a shared object at `outputPath`: its
// chunks (ChunkPlan.h) on options.threads threads, or as many worker
// processes with options.workerProcesses (ParallelWork.h), each chunk in
// an LLVM context of its own that is freed once its object is written, then
// the source map, then the link. The output does not depend on the number of
// threads or processes.
Status compileSharedObject(const wasm::Module &module, const CompileOptions &options,
                           const std::vector<std::string> &cpuFeatures,
                           const std::string &outputPath);

// The threads a compile of `chunks` chunks uses: options.threads, or one
// per core when that is 0, and never more than there are chunks.
unsigned compileThreads(const CompileOptions &options, size_t chunks);

} // namespace lucet::compiler
