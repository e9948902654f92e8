#include "compiler/ModuleContext.h"

#include "abi/ExceptionObject.h"
#include "abi/ModuleRecord.h"
#include "wasm/Instruction.h"
#include "wasm/Subtyping.h"
#include "wasm/Validator.h"

#include <fmt/format.h>

#include <llvm/IR/MDBuilder.h>

namespace lucet::compiler {

namespace {

bool usesTailCalls(const wasm::Module &m) {
  if (!m.features.tailCalls) return false;
  for (const auto &f : m.functions) {
    wasm::InstructionReader reader(m.functionBody(f), f.bodyOffset, m.features);
    wasm::Instruction ins;
    while (!reader.atEnd()) {
      if (!reader.next(ins)) break; // validated already
      if (wasm::isTailCallOpcode(ins.op)) return true;
    }
  }
  return false;
}

} // namespace

Expected<ModuleFacts> analyzeModule(const wasm::Module &module) {
  ModuleFacts facts;
  facts.tailCalls = usesTailCalls(module);
  // Equivalent types (wasm/Subtyping.h) share a number; the module is
  // valid, so building the relation cannot fail.
  LUCET_ASSIGN_OR_RETURN(types, wasm::Subtyping::build(module.types));
  for (uint32_t t = 0; t < module.types.size(); ++t)
    facts.canonicalTypes.push_back(types.canonical(t));
  LUCET_ASSIGN_OR_RETURN(tables, findConstantTables(module));
  facts.constantTables = std::move(tables);
  facts.declared = wasm::declaredFunctions(module);
  return facts;
}

ModuleContext::ModuleContext(const wasm::Module &wasmModule, const ModuleFacts &facts,
                             const Chunk &chunk, const CompileOptions &options,
                             llvm::LLVMContext &context)
    : wasm(wasmModule), facts(facts), chunk(chunk), options(options), context(context),
      llvmModule(std::make_unique<llvm::Module>("guest", context)),
      ptrType(llvm::PointerType::get(context, 0)), boundsChecked(options.needsBoundsChecks()),
      tailCalls(facts.tailCalls), unwinds(wasmModule.features.exceptions),
      canonicalTypes(facts.canonicalTypes), functions_(wasmModule.functions.size(), nullptr) {
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
  for (uint32_t i = chunk.first; i < chunk.end; ++i) functions_[i] = declareFunction(i);
}

llvm::Function *ModuleContext::function(uint32_t definedIndex) {
  llvm::Function *&fn = functions_[definedIndex];
  if (!fn) fn = declareFunction(definedIndex);
  return fn;
}

llvm::Function *ModuleContext::declareFunction(uint32_t definedIndex) {
  uint32_t index = wasm.numImportedFuncs + definedIndex;
  auto *fn =
      llvm::Function::Create(llvmFuncType(wasm.funcType(index)), sharedLinkage(),
                             fmt::format("{}{}", abi::FunctionSymbolPrefix, index), *llvmModule);
  setShared(fn);
  // With exceptions, every frame may be unwound (abi/ExceptionObject.h).
  if (!unwinds) fn->addFnAttr(llvm::Attribute::NoUnwind);
  // return_call is a guaranteed tail call in tailcc; the calls that are not
  // tail calls are `notail` (FunctionEmitter::finishCall).
  if (tailCalls) fn->setCallingConv(llvm::CallingConv::Tail);
  if (!chunk.defines(definedIndex)) return fn;
  // Frames larger than a page must touch each page in order, so that stack
  // exhaustion always lands in the guard page below the guest stack.
  fn->addFnAttr("probe-stack", "inline-asm");
  fn->addFnAttr("frame-pointer", "all");
  // Wasm recursion must exhaust the stack and trap; tail-recursion
  // elimination would turn unbounded recursion into an endless loop.
  if (!tailCalls) fn->addFnAttr("disable-tail-calls", "true");
  uint32_t line = wasm.functions[definedIndex].bodyOffset;
  fn->setSubprogram(debugInfo->createFunction(debugFile, fn->getName(), fn->getName(), debugFile,
                                              line, debugFunctionType, line, llvm::DINode::FlagZero,
                                              llvm::DISubprogram::SPFlagDefinition));
  return fn;
}

llvm::Function *ModuleContext::personality() {
  if (personality_) return personality_;
  auto *i32 = llvm::Type::getInt32Ty(context);
  auto *i64 = llvm::Type::getInt64Ty(context);
  // _Unwind_Reason_Code (int, _Unwind_Action, _Unwind_Exception_Class,
  //                      _Unwind_Exception *, _Unwind_Context *)
  auto *type = llvm::FunctionType::get(i32, {i32, i32, i64, ptrType, ptrType}, false);
  // One slot per module, in the main chunk, which the module record names.
  personalitySlot = new llvm::GlobalVariable(
      *llvmModule, ptrType, false, sharedLinkage(),
      chunk.main ? llvm::ConstantPointerNull::get(ptrType) : nullptr, abi::PersonalitySlotSymbol);
  setShared(personalitySlot);
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
