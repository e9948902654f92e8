#include "compiler/HugeFunctions.h"

#include <llvm/IR/Instructions.h>

#include <vector>

namespace lucet::compiler {

void excludeFromOptimization(llvm::Function &fn) {
  fn.removeFnAttr(llvm::Attribute::AlwaysInline);
  fn.addFnAttr(llvm::Attribute::NoInline);
  fn.addFnAttr(llvm::Attribute::OptimizeNone);
}

namespace {

// Even unoptimised, code generation's two-address pass is quadratic in a
// block's length, so a huge block is cut into blocks of at most
// MaxOptimizedBlockInstructions joined by branches. Nothing merges them
// again: optnone keeps CFG simplification and CodeGenPrepare away.
void splitHugeBlocks(llvm::Function &fn) {
  std::vector<llvm::BasicBlock *> blocks;
  for (llvm::BasicBlock &block : fn) blocks.push_back(&block);
  for (llvm::BasicBlock *block : blocks) {
    if (block->size() <= MaxOptimizedBlockInstructions) continue;
    // Static allocas must stay in the entry block, phis at the top.
    llvm::Instruction *lastFixed = nullptr;
    for (llvm::Instruction &inst : *block)
      if (llvm::isa<llvm::AllocaInst>(inst) || llvm::isa<llvm::PHINode>(inst)) lastFixed = &inst;
    bool pastFixed = lastFixed == nullptr;
    size_t run = 0;
    for (auto it = block->begin(); it != block->end();) {
      llvm::Instruction &inst = *it++;
      ++run;
      if (&inst == lastFixed) pastFixed = true;
      if (!pastFixed || run < MaxOptimizedBlockInstructions || it == block->end() ||
          it->isTerminator())
        continue;
      block = block->splitBasicBlock(it, "split");
      it = block->begin();
      run = 0;
    }
  }
}

} // namespace

size_t excludeHugeFunctions(llvm::Module &module) {
  size_t marked = 0;
  for (llvm::Function &fn : module) {
    if (fn.isDeclaration()) continue;
    bool huge = false;
    for (const llvm::BasicBlock &block : fn)
      huge = huge || block.size() > MaxOptimizedBlockInstructions;
    if (!huge) continue;
    if (!fn.hasOptNone()) {
      excludeFromOptimization(fn);
      ++marked;
    }
    splitHugeBlocks(fn);
  }
  return marked;
}

} // namespace lucet::compiler
