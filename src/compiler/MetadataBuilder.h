#pragma once

#include "abi/Metadata.h"
#include "compiler/CompileOptions.h"
#include "wasm/Module.h"

namespace lucet::compiler {

// Describes a validated wasm module for the runtime (see abi/Metadata.h).
abi::Metadata buildMetadata(const wasm::Module &module, const CompileOptions &options,
                            const std::vector<std::string> &cpuFeatures);

} // namespace lucet::compiler
