#pragma once

#include "compiler/CompileOptions.h"
#include "compiler/ModuleContext.h"
#include "support/Expected.h"
#include "wasm/Module.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <span>

namespace lucet::compiler {

// Translates a validated wasm module to one LLVM module: a function per wasm
// function, a host-to-guest trampoline per type, the serialised metadata and
// the exported module record that ties them together (abi/ModuleRecord.h).
Expected<std::unique_ptr<llvm::Module>> emitModule(const wasm::Module &module,
                                                   const CompileOptions &options,
                                                   const std::vector<std::string> &cpuFeatures,
                                                   llvm::LLVMContext &context);

// The part of that LLVM module that chunk `plan[index]` makes (ModuleContext.h):
// the functions it defines, and, for the main chunk, all the rest.
Expected<std::unique_ptr<llvm::Module>>
emitChunk(const wasm::Module &module, const ModuleFacts &facts, std::span<const Chunk> plan,
          size_t index, const CompileOptions &options, const std::vector<std::string> &cpuFeatures,
          llvm::LLVMContext &context);

} // namespace lucet::compiler
