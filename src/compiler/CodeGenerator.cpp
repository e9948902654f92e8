#include "compiler/CodeGenerator.h"

#include "compiler/TargetFeatures.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>

#include <mutex>

namespace lucet::compiler {

namespace {

constexpr const char *TargetTriple = "x86_64-unknown-linux-gnu";
constexpr const char *TargetCpu = "x86-64";

// Under the guard-page model a heap store traps by faulting. The DAG
// combiner merges adjacent stores into one wider store, which faults whole
// when its second half lies past the end of memory: the first store, which
// wasm requires to be visible after the trap, would be lost. LLVM offers no
// finer switch than this global option.
void disableStoreMerging() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto found = options.find("combiner-store-merging");
  if (found != options.end()) static_cast<llvm::cl::opt<bool> *>(found->second)->setValue(false);
}

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    disableStoreMerging();
  });
}

llvm::CodeGenOptLevel codeGenLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(unsigned optLevel, const std::vector<std::string> &cpuFeatures) {
  initializeTargets();
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(TargetTriple, error);
  if (!target) return Error::format("cannot find the x86-64 code generator: {}", error);
  llvm::TargetOptions options;
  // One section per function lets the source map attribute line-table rows
  // to functions (SourceMapBuilder.cpp).
  options.FunctionSections = true;
  auto *tm = target->createTargetMachine(TargetTriple, TargetCpu, llvmFeatureString(cpuFeatures),
                                         options, llvm::Reloc::PIC_, llvm::CodeModel::Small,
                                         codeGenLevel(optLevel));
  if (!tm) return Error("cannot create the x86-64 target machine");
  return std::unique_ptr<llvm::TargetMachine>(tm);
}

Status verify(llvm::Module &module) {
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(module, &os))
    return Error::format("internal compiler error: generated invalid LLVM IR: {}", os.str());
  return Status::ok();
}

Status runPipeline(llvm::Module &module, llvm::TargetMachine &tm, unsigned optLevel) {
  module.setTargetTriple(TargetTriple);
  module.setDataLayout(tm.createDataLayout());
  LUCET_TRY(verify(module));
  if (optLevel == 0) return Status::ok();
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // Generated code must never hand guest memory to the host's memset or
  // memcpy: a fault in them would be in host code (a runtime bug, see
  // FaultClassifier.h), and turning a wasm store loop, or stores that merge
  // into one memset, into a single call loses the stores before the one that
  // traps. Without these library functions loop-idiom recognition and
  // memcpyopt leave the stores alone; memory.fill and memory.copy, checked
  // explicitly first, still lower to the intrinsics.
  llvm::TargetLibraryInfoImpl libraryInfo{llvm::Triple(TargetTriple)};
  for (llvm::LibFunc f : {llvm::LibFunc_memset, llvm::LibFunc_memcpy, llvm::LibFunc_memmove,
                          llvm::LibFunc_memset_pattern16, llvm::LibFunc_bcmp, llvm::LibFunc_memcmp})
    libraryInfo.setUnavailable(f);
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(libraryInfo); });
  // The loop vectorizer widens a loop's stores into vector stores: one that
  // straddles the end of memory faults whole and loses the bytes before the
  // end. Until loops are versioned on an up-front check of their whole range
  // (then vector stores cannot fault), scalar loops stay scalar; guests that
  // want vectors use wasm SIMD.
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = false;
  tuning.SLPVectorization = false;
  llvm::PassBuilder pb(&tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = optLevel == 1   ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  auto mpm = pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
  return Status::ok();
}

} // namespace

Status optimizeModule(llvm::Module &module, unsigned optLevel,
                      const std::vector<std::string> &cpuFeatures) {
  LUCET_ASSIGN_OR_RETURN(tm, createTargetMachine(optLevel, cpuFeatures));
  return runPipeline(module, *tm, optLevel);
}

Expected<std::vector<char>> generateObject(llvm::Module &module, unsigned optLevel,
                                           const std::vector<std::string> &cpuFeatures) {
  LUCET_ASSIGN_OR_RETURN(tm, createTargetMachine(optLevel, cpuFeatures));
  LUCET_TRY(runPipeline(module, *tm, optLevel));
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return Error("the x86-64 target cannot emit object files");
  pm.run(module);
  return std::vector<char>(buffer.begin(), buffer.end());
}

} // namespace lucet::compiler
