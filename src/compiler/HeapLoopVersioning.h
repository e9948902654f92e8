#pragma once

// Loop versioning on heap bounds.
//
// Wasm says exactly where an out-of-bounds access traps, and what memory
// holds then. Both heap models pay for that in loops:
// - with explicit bounds checks (CompileOptions::emitsBoundsChecks) every
//   heap access is a branch to a trap: the compare costs, and the unroller
//   and the vectorizer leave a loop with an exit per access alone;
// - under guard pages every heap access is volatile (EmitMemory.cpp says
//   why), and LLVM neither vectorizes, combines nor promotes volatile
//   accesses; and a wasm address is zext(i32 add), which may wrap, so
//   ScalarEvolution sees no stride in it.
// For an innermost loop whose heap addresses are affine in the induction
// variable, this pass computes, before the loop, whether every access of
// every iteration it can run is in bounds. If so, a copy of the loop runs in
// which no access can trap: checked code loses the checks; guard-page code
// loses the volatile flags (of heap accesses and of the global and table
// writes beside them), and its heap addresses become 64-bit recurrences
// (which they are, since none wraps), so LLVM's loop passes see the strides.
// Otherwise the original loop runs and traps exactly where wasm says. The
// guard region stays behind both as the sandbox's backstop.
//
// A guard-page loop is versioned only if nothing else in it can trap: no
// calls (but intrinsics that do not write memory), no exit to a trap, no
// atomics. Then no effect of the copy can be observed out of order.

#include <llvm/IR/PassManager.h>

#include <cstdint>

namespace lucet::compiler {

class HeapLoopVersioningPass : public llvm::PassInfoMixin<HeapLoopVersioningPass> {
public:
  llvm::PreservedAnalyses run(llvm::Function &function, llvm::FunctionAnalysisManager &analyses);
};

// Loops that run fewer times than this skip the test and run the original.
inline constexpr uint64_t MinVersionedIterations = 16;
// Loops larger than this many instructions are not copied.
inline constexpr size_t MaxVersionedLoopInstructions = 2'000;
// A guard-page loop whose accesses would need more than this many tests for
// overlap gets none (HeapLoopVersioning.cpp, AccessGroups).
inline constexpr size_t MaxAliasChecksPerLoop = 12;
// At most this many loops of one function are versioned.
inline constexpr size_t MaxVersionedLoopsPerFunction = 64;

} // namespace lucet::compiler
