#include "compiler/CodeGenerator.h"

#include "compiler/HeapLoopVersioning.h"
#include "compiler/HugeFunctions.h"
#include "compiler/ModuleContext.h"
#include "compiler/TargetFeatures.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>

#include <mutex>

namespace lucet::compiler {

namespace {

constexpr const char *TargetTriple = "x86_64-unknown-linux-gnu";
constexpr const char *TargetCpu = "x86-64";

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
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
  // One .text section per object: a section per function would cost the
  // linker two input sections for each of hundreds of thousands of
  // functions. The source map finds functions by their symbols instead
  // (SourceMapBuilder.cpp).
  options.FunctionSections = false;
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
  // The loop vectorizer sees loops over memory only in the copies
  // HeapLoopVersioning makes, where heap accesses are neither volatile nor
  // checked. The SLP vectorizer stays off: on straight-line code it made
  // bench/'s hash and lz 10% slower and sped nothing up.
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = false;
  // The new pass manager honours optnone (HugeFunctions.h) only through this
  // instrumentation.
  llvm::PassInstrumentationCallbacks pic;
  llvm::OptNoneInstrumentation optNone(/*DebugLogging=*/false);
  optNone.registerCallbacks(pic);
  llvm::PassBuilder pb(&tm, tuning, std::nullopt, &pic);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  // After the loop optimisations, where the vectorizer starts: the loop
  // passes have hoisted what is invariant (the heap base, the memory size)
  // out of loops, and the vectorizer and unroller, which run later, find
  // the copies in which no access traps.
  pb.registerVectorizerStartEPCallback([](llvm::FunctionPassManager &fpm, llvm::OptimizationLevel) {
    fpm.addPass(llvm::LoopSimplifyPass());
    fpm.addPass(llvm::LCSSAPass());
    fpm.addPass(HeapLoopVersioningPass());
    fpm.addPass(llvm::SimplifyCFGPass());
  });
  llvm::OptimizationLevel level = optLevel == 1   ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  auto mpm = pb.buildPerModuleDefaultPipeline(level);
  excludeHugeFunctions(module);
  mpm.run(module, mam);
  // Inlining can make a block huge; code generation must not see it.
  excludeHugeFunctions(module);
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
