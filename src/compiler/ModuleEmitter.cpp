#include "compiler/ModuleEmitter.h"

#include "abi/ModuleRecord.h"
#include "compiler/ConstantTables.h"
#include "compiler/FunctionEmitter.h"
#include "compiler/MetadataBuilder.h"
#include "compiler/ModuleContext.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <span>

namespace lucet::compiler {

namespace {

// Ends `b`'s function by calling `callee` with `args` and returning what it
// returns.
void returnCallOf(llvm::IRBuilder<> &b, llvm::FunctionType *type, llvm::Value *callee,
                  llvm::CallingConv::ID convention, llvm::ArrayRef<llvm::Value *> args) {
  auto *call = b.CreateCall(type, callee, args);
  call->setCallingConv(convention);
  if (type->getReturnType()->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(call);
}

// A function of `body`'s type in convention `convention` that calls it:
// defined when this chunk defines `body`, else declared (split modules
// only; the chunk defining the body defines its entries).
llvm::Function *emitEntry(ModuleContext &mc, uint32_t definedIndex, const char *prefix,
                          llvm::CallingConv::ID convention) {
  llvm::Function *body = mc.function(definedIndex);
  auto *fn = llvm::Function::Create(
      body->getFunctionType(), mc.sharedLinkage(),
      fmt::format("{}{}", prefix, mc.wasm.numImportedFuncs + definedIndex), *mc.llvmModule);
  mc.setShared(fn);
  fn->setCallingConv(convention);
  if (!mc.unwinds) fn->addFnAttr(llvm::Attribute::NoUnwind);
  if (!mc.chunk.defines(definedIndex)) return fn;
  fn->addFnAttr("frame-pointer", "all");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(mc.context, "entry", fn));
  std::vector<llvm::Value *> args;
  for (auto &arg : fn->args()) args.push_back(&arg);
  returnCallOf(b, body->getFunctionType(), body, body->getCallingConv(), args);
  return fn;
}

// Each function's entries in both conventions (abi::FuncRef): with tail
// calls, C wrappers for all (FuncRef::code, trampolines, constant tables);
// without, tailcc wrappers for the functions that can become references.
// Every chunk defines those of its functions; another chunk's are declared
// when something names them (callEntry).
void emitEntries(ModuleContext &mc) {
  const auto &m = mc.wasm;
  mc.callEntries.assign(m.functions.size(), nullptr);
  mc.tailEntries.assign(m.functions.size(), nullptr);
  for (uint32_t i = mc.chunk.first; i < mc.chunk.end; ++i) {
    if (mc.tailCalls) {
      mc.callEntries[i] = emitEntry(mc, i, abi::CallEntrySymbolPrefix, llvm::CallingConv::C);
      mc.tailEntries[i] = mc.function(i);
    } else {
      mc.callEntries[i] = mc.function(i);
      if (mc.facts.declared[m.numImportedFuncs + i])
        mc.tailEntries[i] = emitEntry(mc, i, abi::TailEntrySymbolPrefix, llvm::CallingConv::Tail);
    }
  }
}

// Defined function `definedIndex`'s C-convention entry, declared on first
// use when another chunk defines it.
llvm::Function *callEntry(ModuleContext &mc, uint32_t definedIndex) {
  llvm::Function *&entry = mc.callEntries[definedIndex];
  if (!entry)
    entry = mc.tailCalls
                ? emitEntry(mc, definedIndex, abi::CallEntrySymbolPrefix, llvm::CallingConv::C)
                : mc.function(definedIndex);
  return entry;
}

// One constant {code, canonical type} array per table whose contents are
// fixed; call_indirect through it needs neither the runtime table nor the
// FuncRefs. The main chunk defines them, the others declare them.
void emitDispatchTables(ModuleContext &mc) {
  auto &ctx = mc.context;
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  mc.dispatchEntryType = llvm::StructType::get(ctx, {mc.ptrType, i32});
  const auto &tables = mc.facts.constantTables;
  for (uint32_t t = 0; t < tables.size(); ++t) {
    if (!tables[t]) {
      mc.dispatchTables.push_back(nullptr);
      continue;
    }
    auto *arrayType = llvm::ArrayType::get(mc.dispatchEntryType, tables[t]->slots.size());
    if (!mc.chunk.main) {
      auto *table = new llvm::GlobalVariable(*mc.llvmModule, arrayType, true, mc.sharedLinkage(),
                                             nullptr, fmt::format("lucet_dispatch_table_{}", t));
      mc.setShared(table);
      table->setAlignment(llvm::Align(16));
      mc.dispatchTables.push_back(table);
      continue;
    }
    std::vector<llvm::Constant *> entries;
    for (uint32_t funcIndex : tables[t]->slots) {
      if (funcIndex == ConstantTable::NullSlot) {
        entries.push_back(llvm::ConstantStruct::get(
            mc.dispatchEntryType, {llvm::ConstantPointerNull::get(mc.ptrType),
                                   llvm::ConstantInt::get(i32, ConstantTable::NullSlot)}));
      } else {
        uint32_t typeIndex = mc.wasm.funcTypeIndices[funcIndex];
        entries.push_back(llvm::ConstantStruct::get(
            mc.dispatchEntryType, {callEntry(mc, funcIndex - mc.wasm.numImportedFuncs),
                                   llvm::ConstantInt::get(i32, mc.canonicalTypes[typeIndex])}));
      }
    }
    auto *table = new llvm::GlobalVariable(*mc.llvmModule, arrayType, true, mc.sharedLinkage(),
                                           llvm::ConstantArray::get(arrayType, entries),
                                           fmt::format("lucet_dispatch_table_{}", t));
    mc.setShared(table);
    if (!mc.chunk.split) table->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    table->setAlignment(llvm::Align(16));
    mc.dispatchTables.push_back(table);
  }
}

// void trampoline(VMContext*, void* code, uint8_t* slots): parameters are read
// from 16-byte slots, results written back from slot 0.
llvm::Function *emitTrampoline(ModuleContext &mc, uint32_t typeIndex) {
  auto &ctx = mc.context;
  const auto &type = mc.wasm.types[typeIndex];
  auto *fnType = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                         {mc.ptrType, mc.ptrType, mc.ptrType}, false);
  auto *fn = llvm::Function::Create(fnType, llvm::GlobalValue::InternalLinkage,
                                    fmt::format("{}{}", abi::TrampolineSymbolPrefix, typeIndex),
                                    *mc.llvmModule);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr("frame-pointer", "all");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  auto *slots = fn->getArg(2);
  std::vector<llvm::Value *> args{fn->getArg(0)};
  for (size_t i = 0; i < type.params.size(); ++i) {
    auto *ptr = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slots, i * abi::ValueSlotSize);
    args.push_back(b.CreateAlignedLoad(mc.llvmType(type.params[i]), ptr, llvm::Align(8)));
  }
  llvm::CallBase *call;
  if (mc.unwinds) {
    // No exception leaves the guest: one that gets here becomes a trap.
    fn->setPersonalityFn(mc.personality());
    auto *cont = llvm::BasicBlock::Create(ctx, "returned", fn);
    auto *pad = llvm::BasicBlock::Create(ctx, "uncaught", fn);
    call = b.CreateInvoke(mc.llvmFuncType(type), fn->getArg(1), cont, pad, args);
    b.SetInsertPoint(pad);
    auto *lp = b.CreateLandingPad(llvm::StructType::get(ctx, {mc.ptrType, b.getInt32Ty()}), 1);
    lp->addClause(llvm::ConstantPointerNull::get(mc.ptrType));
    auto *exn = b.CreateExtractValue(lp, {0});
    auto *runtime = b.CreateLoad(
        mc.ptrType, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), fn->getArg(0), abi::OffsetRuntime));
    auto *callback =
        b.CreateLoad(mc.ptrType, b.CreateConstInBoundsGEP1_64(mc.ptrType, runtime,
                                                              abi::CallbackUncaughtException));
    auto *calleeType = llvm::FunctionType::get(b.getVoidTy(), {mc.ptrType, mc.ptrType}, false);
    b.CreateCall(calleeType, callback, {fn->getArg(0), exn})->setDoesNotReturn();
    b.CreateUnreachable();
    b.SetInsertPoint(cont);
  } else {
    call = b.CreateCall(mc.llvmFuncType(type), fn->getArg(1), args);
  }
  for (unsigned i = 0; i < type.results.size(); ++i) {
    llvm::Value *v = type.results.size() == 1 ? call : b.CreateExtractValue(call, {i});
    auto *ptr = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slots, i * abi::ValueSlotSize);
    b.CreateAlignedStore(v, ptr, llvm::Align(8));
  }
  b.CreateRetVoid();
  return fn;
}

// Stands for the trampoline of a type no function has: the runtime only
// calls a function through its own type's trampoline, so this never runs.
llvm::Function *emitUnusedTrampoline(ModuleContext &mc) {
  auto &ctx = mc.context;
  auto *fnType = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                         {mc.ptrType, mc.ptrType, mc.ptrType}, false);
  auto *fn =
      llvm::Function::Create(fnType, llvm::GlobalValue::InternalLinkage,
                             fmt::format("{}unused", abi::TrampolineSymbolPrefix), *mc.llvmModule);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  b.CreateIntrinsic(llvm::Intrinsic::trap, {}, {});
  b.CreateUnreachable();
  return fn;
}

// One entry per type index, as the module record requires, but one
// trampoline per distinct signature that some function has: a type section
// may repeat a signature or list types only call_indirect and blocks use,
// and a trampoline for each would make code grow with the type section.
std::vector<llvm::Function *> emitTrampolines(ModuleContext &mc) {
  const auto &m = mc.wasm;
  std::vector<bool> used(m.types.size(), false);
  for (uint32_t typeIndex : m.funcTypeIndices) used[mc.canonicalTypes[typeIndex]] = true;
  std::vector<llvm::Function *> canonical(m.types.size(), nullptr);
  llvm::Function *unused = nullptr;
  std::vector<llvm::Function *> trampolines;
  trampolines.reserve(m.types.size());
  for (uint32_t t = 0; t < m.types.size(); ++t) {
    uint32_t c = mc.canonicalTypes[t];
    if (!used[c]) {
      if (!unused) unused = emitUnusedTrampoline(mc);
      trampolines.push_back(unused);
      continue;
    }
    if (!canonical[c]) canonical[c] = emitTrampoline(mc, c);
    trampolines.push_back(canonical[c]);
  }
  return trampolines;
}

// One per imported function, the tailCode of a host function bound to it:
// takes tailcc and calls the FuncRef's C-convention code.
std::vector<llvm::Function *> emitImportAdapters(ModuleContext &mc) {
  auto &ctx = mc.context;
  std::vector<llvm::Function *> adapters;
  for (uint32_t i = 0; i < mc.wasm.numImportedFuncs; ++i) {
    auto *type = mc.llvmFuncType(mc.wasm.funcType(i));
    auto *fn = llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage,
                                      fmt::format("{}{}", abi::ImportAdapterSymbolPrefix, i),
                                      *mc.llvmModule);
    fn->setCallingConv(llvm::CallingConv::Tail);
    fn->addFnAttr("frame-pointer", "all");
    if (!mc.unwinds) fn->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    auto *funcRefs =
        b.CreateLoad(mc.ptrType, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), fn->getArg(0),
                                                              abi::OffsetFuncRefs));
    auto *ref = b.CreateLoad(mc.ptrType, b.CreateConstInBoundsGEP1_64(mc.ptrType, funcRefs, i));
    auto *code = b.CreateLoad(mc.ptrType, ref);
    auto *calleeVmctx =
        b.CreateLoad(mc.ptrType, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), ref,
                                                              offsetof(abi::FuncRef, vmctx)));
    std::vector<llvm::Value *> args{calleeVmctx};
    for (unsigned a = 1; a < fn->arg_size(); ++a) args.push_back(fn->getArg(a));
    returnCallOf(b, type, code, llvm::CallingConv::C, args);
    adapters.push_back(fn);
  }
  return adapters;
}

// A constant array of code pointers (null where a function is absent).
llvm::GlobalVariable *functionArray(ModuleContext &mc, const std::vector<llvm::Function *> &fns,
                                    const std::string &name,
                                    llvm::GlobalValue::LinkageTypes linkage) {
  std::vector<llvm::Constant *> ptrs;
  for (auto *f : fns)
    ptrs.push_back(f ? static_cast<llvm::Constant *>(f)
                     : llvm::ConstantPointerNull::get(mc.ptrType));
  auto *type = llvm::ArrayType::get(mc.ptrType, ptrs.size());
  return new llvm::GlobalVariable(*mc.llvmModule, type, true, linkage,
                                  llvm::ConstantArray::get(type, ptrs), name);
}

// The arrays of abi::FunctionSegment for a chunk's functions, named after
// its first function: defined by that chunk, declared by the main one.
struct SegmentArrays {
  llvm::Constant *functions, *callEntries, *tailEntries;
};
std::string segmentArrayName(const char *array, const Chunk &chunk) {
  return fmt::format("lucet_segment_{}_{}", array, chunk.first);
}
SegmentArrays emitSegmentArrays(ModuleContext &mc) {
  const Chunk &c = mc.chunk;
  auto define = [&](const std::vector<llvm::Function *> &fns, const char *array) {
    auto *global = functionArray(mc, fns, segmentArrayName(array, c), mc.sharedLinkage());
    mc.setShared(global);
    return global;
  };
  auto slice = [&](const std::vector<llvm::Function *> &all) {
    return std::vector<llvm::Function *>(all.begin() + c.first, all.begin() + c.end);
  };
  std::vector<llvm::Function *> bodies;
  for (uint32_t i = c.first; i < c.end; ++i) bodies.push_back(mc.function(i));
  return {define(bodies, "functions"),
          mc.tailCalls
              ? static_cast<llvm::Constant *>(define(slice(mc.callEntries), "call_entries"))
              : llvm::ConstantPointerNull::get(mc.ptrType),
          define(slice(mc.tailEntries), "tail_entries")};
}
SegmentArrays declareSegmentArrays(ModuleContext &mc, const Chunk &chunk) {
  auto declare = [&](const char *array) {
    auto *type = llvm::ArrayType::get(mc.ptrType, chunk.end - chunk.first);
    auto *global =
        new llvm::GlobalVariable(*mc.llvmModule, type, true, llvm::GlobalValue::ExternalLinkage,
                                 nullptr, segmentArrayName(array, chunk));
    mc.setShared(global);
    return global;
  };
  return {declare("functions"),
          mc.tailCalls ? static_cast<llvm::Constant *>(declare("call_entries"))
                       : llvm::ConstantPointerNull::get(mc.ptrType),
          declare("tail_entries")};
}

void emitModuleRecord(ModuleContext &mc, std::span<const Chunk> plan,
                      const std::optional<SegmentArrays> &own,
                      const std::vector<llvm::Function *> &trampolines,
                      const std::vector<std::string> &cpuFeatures) {
  auto &ctx = mc.context;
  auto &m = *mc.llvmModule;
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);

  auto metadataBytes = abi::serializeMetadata(buildMetadata(mc.wasm, mc.options, cpuFeatures));
  auto *metadataInit = llvm::ConstantDataArray::get(ctx, llvm::ArrayRef<uint8_t>(metadataBytes));
  auto *metadata =
      new llvm::GlobalVariable(m, metadataInit->getType(), true, llvm::GlobalValue::InternalLinkage,
                               metadataInit, "lucet_metadata");

  // One segment per chunk that defines functions: this chunk's own, if it
  // defines any (a module compiled whole), the others' declared.
  auto *segmentType = llvm::StructType::get(ctx, {mc.ptrType, mc.ptrType, mc.ptrType, i32, i32});
  std::vector<llvm::Constant *> segments;
  for (const Chunk &chunk : plan) {
    if (chunk.first == chunk.end) continue;
    SegmentArrays arrays =
        chunk.first == mc.chunk.first && own ? *own : declareSegmentArrays(mc, chunk);
    segments.push_back(llvm::ConstantStruct::get(
        segmentType, {arrays.functions, arrays.callEntries, arrays.tailEntries,
                      llvm::ConstantInt::get(i32, chunk.first),
                      llvm::ConstantInt::get(i32, chunk.end - chunk.first)}));
  }
  auto *segmentArrayType = llvm::ArrayType::get(segmentType, segments.size());
  auto *segmentArray = new llvm::GlobalVariable(
      m, segmentArrayType, true, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantArray::get(segmentArrayType, segments), "lucet_segments");
  auto *trampolineArray =
      functionArray(mc, trampolines, "lucet_trampolines", llvm::GlobalValue::InternalLinkage);
  auto *adapterArray = functionArray(mc, emitImportAdapters(mc), "lucet_import_adapters",
                                     llvm::GlobalValue::InternalLinkage);

  auto *recordType = llvm::StructType::get(ctx, {i64, i32, i32, mc.ptrType, i64, mc.ptrType,
                                                 mc.ptrType, i32, i32, mc.ptrType, mc.ptrType});
  // Chunks that catch read the slot the record names.
  if (mc.chunk.split && mc.unwinds) mc.personality();
  llvm::Constant *personalitySlot = mc.personalitySlot
                                        ? static_cast<llvm::Constant *>(mc.personalitySlot)
                                        : llvm::ConstantPointerNull::get(mc.ptrType);
  auto *record = llvm::ConstantStruct::get(
      recordType,
      {llvm::ConstantInt::get(i64, abi::ModuleMagic), llvm::ConstantInt::get(i32, abi::AbiVersion),
       llvm::ConstantInt::get(i32, mc.wasm.functions.size()), metadata,
       llvm::ConstantInt::get(i64, metadataBytes.size()), segmentArray, trampolineArray,
       llvm::ConstantInt::get(i32, trampolines.size()),
       llvm::ConstantInt::get(i32, segments.size()), personalitySlot, adapterArray});
  auto *global = new llvm::GlobalVariable(m, recordType, true, llvm::GlobalValue::ExternalLinkage,
                                          record, abi::ModuleRecordSymbol);
  global->setVisibility(llvm::GlobalValue::DefaultVisibility);
}

} // namespace

Expected<std::unique_ptr<llvm::Module>>
emitChunk(const wasm::Module &module, const ModuleFacts &facts, std::span<const Chunk> plan,
          size_t index, const CompileOptions &options, const std::vector<std::string> &cpuFeatures,
          llvm::LLVMContext &context) {
  const Chunk &chunk = plan[index];
  ModuleContext mc(module, facts, chunk, options, context);
  emitEntries(mc);
  emitDispatchTables(mc);
  for (uint32_t i = chunk.first; i < chunk.end; ++i) {
    uint32_t index = module.numImportedFuncs + i;
    FunctionEmitter emitter(mc, index);
    auto status = emitter.emit();
    if (!status)
      return status.error().withContext(
          fmt::format("in function {} (func[{}])", module.functionDisplayName(index), index));
  }
  std::optional<SegmentArrays> own;
  if (chunk.first != chunk.end) own = emitSegmentArrays(mc);
  if (chunk.main) emitModuleRecord(mc, plan, own, emitTrampolines(mc), cpuFeatures);
  mc.debugInfo->finalize();
  return std::move(mc.llvmModule);
}

Expected<std::unique_ptr<llvm::Module>> emitModule(const wasm::Module &module,
                                                   const CompileOptions &options,
                                                   const std::vector<std::string> &cpuFeatures,
                                                   llvm::LLVMContext &context) {
  LUCET_ASSIGN_OR_RETURN(facts, analyzeModule(module));
  Chunk whole{0, uint32_t(module.functions.size()), true, false};
  return emitChunk(module, facts, std::span(&whole, 1), 0, options, cpuFeatures, context);
}

} // namespace lucet::compiler
