#include "compiler/ModuleContext.h"

#include "abi/ExceptionObject.h"

#include <llvm/IR/MDBuilder.h>

namespace lucet::compiler {

ModuleContext::ModuleContext(const wasm::Module &wasmModule, const CompileOptions &options,
                             llvm::LLVMContext &context)
    : wasm(wasmModule), options(options), context(context),
      llvmModule(std::make_unique<llvm::Module>("guest", context)),
      ptrType(llvm::PointerType::get(context, 0)), boundsChecked(options.needsBoundsChecks()),
      unwinds(wasmModule.features.exceptions) {
  llvmModule->addModuleFlag(llvm::Module::Warning, "Debug Info Version",
                            llvm::DEBUG_METADATA_VERSION);
  llvmModule->addModuleFlag(llvm::Module::Warning, "Dwarf Version", 5);
  // Tells the optimisation pipeline (CodeGenerator.cpp) to version loops.
  if (boundsChecked) llvmModule->addModuleFlag(llvm::Module::Warning, BoundsCheckedFlag, 1);
  debugInfo = std::make_unique<llvm::DIBuilder>(*llvmModule);
  debugFile = debugInfo->createFile("module.wasm", ".");
  debugInfo->createCompileUnit(llvm::dwarf::DW_LANG_C, debugFile, "lucetc", true, "", 0, "",
                               llvm::DICompileUnit::LineTablesOnly);
  debugFunctionType = debugInfo->createSubroutineType(debugInfo->getOrCreateTypeArray({}));

  llvm::MDBuilder md(context);
  auto *root = md.createTBAARoot("lucet memory kinds");
  for (const char *name : {"heap", "global", "table", "runtime"}) {
    auto *type = md.createTBAAScalarTypeNode(name, root);
    memoryTags.push_back(md.createTBAAStructTagNode(type, type, 0));
  }
}

llvm::Function *ModuleContext::personality() {
  if (personality_) return personality_;
  auto *i32 = llvm::Type::getInt32Ty(context);
  auto *i64 = llvm::Type::getInt64Ty(context);
  // _Unwind_Reason_Code (int, _Unwind_Action, _Unwind_Exception_Class,
  //                      _Unwind_Exception *, _Unwind_Context *)
  auto *type = llvm::FunctionType::get(i32, {i32, i32, i64, ptrType, ptrType}, false);
  personalitySlot =
      new llvm::GlobalVariable(*llvmModule, ptrType, false, llvm::GlobalValue::InternalLinkage,
                               llvm::ConstantPointerNull::get(ptrType), abi::PersonalitySlotSymbol);
  personality_ = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage,
                                        abi::PersonalitySymbol, *llvmModule);
  personality_->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", personality_));
  auto *target = b.CreateLoad(ptrType, personalitySlot);
  std::vector<llvm::Value *> args;
  for (auto &arg : personality_->args()) args.push_back(&arg);
  auto *call = b.CreateCall(type, target, args);
  call->setTailCallKind(llvm::CallInst::TCK_MustTail);
  b.CreateRet(call);
  return personality_;
}

void ModuleContext::tagMemory(llvm::Instruction *access, MemoryKind kind) const {
  access->setMetadata(llvm::LLVMContext::MD_tbaa, memoryTags[size_t(kind)]);
}

llvm::Type *ModuleContext::llvmType(wasm::ValType type) const {
  switch (type.kind()) {
  case wasm::ValType::Kind::I32:
    return llvm::Type::getInt32Ty(context);
  case wasm::ValType::Kind::I64:
    return llvm::Type::getInt64Ty(context);
  case wasm::ValType::Kind::F32:
    return llvm::Type::getFloatTy(context);
  case wasm::ValType::Kind::F64:
    return llvm::Type::getDoubleTy(context);
  case wasm::ValType::Kind::V128:
    return llvm::FixedVectorType::get(llvm::Type::getInt64Ty(context), 2);
  case wasm::ValType::Kind::Ref:
    return ptrType;
  }
  return nullptr;
}

llvm::Type *ModuleContext::llvmResultType(const std::vector<wasm::ValType> &results) const {
  if (results.empty()) return llvm::Type::getVoidTy(context);
  if (results.size() == 1) return llvmType(results[0]);
  std::vector<llvm::Type *> fields;
  for (auto t : results) fields.push_back(llvmType(t));
  return llvm::StructType::get(context, fields);
}

llvm::FunctionType *ModuleContext::llvmFuncType(const wasm::FuncType &type) const {
  std::vector<llvm::Type *> params{ptrType};
  for (auto t : type.params) params.push_back(llvmType(t));
  return llvm::FunctionType::get(llvmResultType(type.results), params, false);
}

} // namespace lucet::compiler
