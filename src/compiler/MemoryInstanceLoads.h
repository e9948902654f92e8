#pragma once

// The IR that reads a linear memory's abi::MemoryInstance and its current
// size from the instance's vmctx: one walk of the VMContext layout for the
// function emitter and for the passes that add bounds tests
// (HeapLoopVersioning).

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/IR/IRBuilder.h>

#include <cstdint>

namespace lucet::compiler {

// Memory `index`'s abi::MemoryInstance pointer. The loads it makes read
// pointers that never change for the instance; each is passed to `mark`
// (the emitter tags them as such).
llvm::Value *loadMemoryInstance(llvm::IRBuilder<> &builder, llvm::Value *vmctx, uint32_t index,
                                llvm::function_ref<void(llvm::LoadInst *)> mark);

// The memory's current size in bytes, from its instance pointer.
llvm::LoadInst *loadMemorySize(llvm::IRBuilder<> &builder, llvm::Value *instance);

} // namespace lucet::compiler
