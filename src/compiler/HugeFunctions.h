#pragma once

#include <llvm/IR/Module.h>

namespace lucet::compiler {

// Functions with a basic block of more than this many instructions are
// compiled without optimisation: LLVM's instruction scheduler and
// two-address pass take time quadratic in a block's length, so one
// straight-line block of a few hundred thousand instructions (a few hundred
// KB of wasm) would take minutes. Real code rarely comes near it.
inline constexpr size_t MaxOptimizedBlockInstructions = 10'000;

// Functions with more results than this are compiled without optimisation
// and build their return value in memory: LLVM's constant propagation
// (SCCP and IPSCCP) tracks every field of an aggregate through the chain of
// insertvalues that would build it, which is cubic in the number of
// results (a 1,000-result function would take minutes).
inline constexpr size_t MaxOptimizedResults = 32;

// Marks `fn` optnone (and noinline, which optnone requires), which LLVM's
// passes, code generation included, honour per function.
void excludeFromOptimization(llvm::Function &fn);

// Excludes the functions with a block of more than
// MaxOptimizedBlockInstructions. Returns how many.
size_t excludeHugeFunctions(llvm::Module &module);

} // namespace lucet::compiler
