#pragma once

#include "compiler/CompileOptions.h"
#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::compiler {

// The whole lucetc pipeline: read and validate the wasm binary, translate it
// to LLVM IR, optimise, generate code and write the requested artifact.
// Errors name the input and say what is wrong where.
Status compileFile(const std::string &inputPath, const std::string &outputPath,
                   const CompileOptions &options);

Status compileBytes(std::vector<uint8_t> wasmBytes, const std::string &inputName,
                    const std::string &outputPath, const CompileOptions &options);

} // namespace lucet::compiler
