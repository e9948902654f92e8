#pragma once

#include "abi/InstanceContext.h"
#include "compiler/CompileOptions.h"
#include "wasm/Module.h"

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <vector>

namespace lucet::compiler {

// What every function emitter shares: the LLVM module, the declared guest
// functions and the type mappings.
struct ModuleContext {
  ModuleContext(const wasm::Module &wasmModule, const CompileOptions &options,
                llvm::LLVMContext &context);

  llvm::Type *llvmType(wasm::ValType type) const;
  // void, the single result, or a struct of the results.
  llvm::Type *llvmResultType(const std::vector<wasm::ValType> &results) const;
  llvm::FunctionType *llvmFuncType(const wasm::FuncType &type) const;

  const wasm::Module &wasm;
  const CompileOptions &options;
  llvm::LLVMContext &context;
  std::unique_ptr<llvm::Module> llvmModule;
  llvm::Type *ptrType;
  std::vector<llvm::Function *> functions; // defined functions, by defined index
  bool boundsChecked;

  // Debug info whose line numbers are wasm code offsets: the source of the
  // artifact's source map (see SourceMapBuilder.h).
  std::unique_ptr<llvm::DIBuilder> debugInfo;
  llvm::DIFile *debugFile = nullptr;
  llvm::DISubroutineType *debugFunctionType = nullptr;
};

} // namespace lucet::compiler
