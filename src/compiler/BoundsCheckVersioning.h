#pragma once

// Loop versioning on heap bounds checks.
//
// With explicit bounds checks (CompileOptions::emitsBoundsChecks) every heap
// access in a loop is a branch to a trap: exact, because LLVM sees the trap
// as control flow, but it costs the compare and keeps the unroller away from
// the loop. For an innermost loop whose checked addresses are affine in the
// induction variable, this pass computes, before the loop, whether every
// access of every iteration it can run is in bounds. If so, a copy of the
// loop without those checks runs; otherwise the original, checked loop runs
// and traps exactly where wasm says. The guard region stays behind both as
// the sandbox's backstop.

#include <llvm/IR/PassManager.h>

namespace lucet::compiler {

class BoundsCheckVersioningPass : public llvm::PassInfoMixin<BoundsCheckVersioningPass> {
public:
  llvm::PreservedAnalyses run(llvm::Function &function, llvm::FunctionAnalysisManager &analyses);
};

// Loops larger than this many instructions are not copied.
inline constexpr size_t MaxVersionedLoopInstructions = 2'000;
// At most this many loops of one function are versioned.
inline constexpr size_t MaxVersionedLoopsPerFunction = 64;

} // namespace lucet::compiler
