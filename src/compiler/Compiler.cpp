#include "compiler/Compiler.h"

#include "abi/ModuleRecord.h"
#include "compiler/ChunkPlan.h"
#include "compiler/ChunkedCompile.h"
#include "compiler/CodeGenerator.h"
#include "compiler/ModuleEmitter.h"
#include "compiler/TargetFeatures.h"
#include "support/FileIO.h"
#include "text/ModuleFile.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

namespace lucet::compiler {

std::string compilerVersion() {
  return fmt::format("lucetc {} (LLVM {}, abi {})", LUCET_VERSION, LLVM_VERSION_STRING,
                     abi::AbiVersion);
}

namespace {

// Code for a valid module, at a chosen optimisation level.
Status generate(const wasm::Module &module, const std::string &inputName,
                const std::string &outputPath, const CompileOptions &options) {
  auto cpuFeatures = selectCpuFeatures(options.cpuTarget);
  if (options.emit == EmitKind::SharedObject) {
    Status compiled = compileSharedObject(module, options, cpuFeatures, outputPath);
    if (!compiled) return compiled.takeError().withContext(inputName);
    return Status::ok();
  }
  // An object or LLVM IR: the module in one piece.
  llvm::LLVMContext context;
  auto llvmModule = emitModule(module, options, cpuFeatures, context);
  if (!llvmModule) return llvmModule.error().withContext(inputName);

  switch (options.emit) {
  case EmitKind::Wasm:
    break;
  case EmitKind::LlvmIr: {
    LUCET_TRY(optimizeModule(**llvmModule, options.optLevel, cpuFeatures));
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    os.flush();
    return writeFileAtomically(
        outputPath,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(text.data()), text.size()));
  }
  case EmitKind::Object: {
    LUCET_ASSIGN_OR_RETURN(object, generateObject(**llvmModule, options.optLevel, cpuFeatures));
    return writeFileAtomically(
        outputPath,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(object.data()), object.size()));
  }
  case EmitKind::SharedObject:
    break;
  }
  return Status::ok();
}

} // namespace

Status compileFile(const std::string &inputPath, const std::string &outputPath,
                   const CompileOptions &options) {
  LUCET_ASSIGN_OR_RETURN(bytes, text::readModuleFile(inputPath));
  return compileBytes(std::move(bytes), inputPath, outputPath, options);
}

Status compileBytes(std::vector<uint8_t> wasmBytes, const std::string &inputName,
                    const std::string &outputPath, const CompileOptions &options) {
  std::vector<uint8_t> binary;
  if (options.emit == EmitKind::Wasm) binary = wasmBytes;
  auto module = wasm::readModule(std::move(wasmBytes), options.features);
  if (!module) return module.error().withContext(fmt::format("{}: malformed module", inputName));
  auto valid = wasm::validateModule(*module);
  if (!valid) return valid.error().withContext(fmt::format("{}: invalid module", inputName));
  if (options.emit == EmitKind::Wasm) return writeFileAtomically(outputPath, binary);

  CompileOptions chosen = options;
  chosen.optLevel = chooseOptLevel(*module, options.optLevel);
  return generate(*module, inputName, outputPath, chosen);
}

} // namespace lucet::compiler
