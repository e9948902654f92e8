#pragma once

// How lucetc compiles modules of any size.
//
// Chunks. How lucetc splits a module into chunks (ModuleContext.h's Chunk) that are
// generated, optimised and emitted independently, in parallel, and linked:
// memory then grows with the largest chunk, not the module.
//
// The rule depends on the module alone, never on the number of threads, so
// the output is the same whatever -j is:
// - a module of at most SplitThreshold bytes of function bodies is one
//   chunk, so ordinary programs keep every inlining opportunity;
// - a larger one is cut, in function order, into chunks of at most
//   ChunkBytes each, filled evenly: n = ceil(code / ChunkBytes) chunks of
//   about code / n (n + 1 where functions do not divide evenly); a function
//   larger than that is a chunk of its own. Before them comes the main chunk,
//   with no function bodies: the module record, metadata, trampolines and
//   dispatch tables. Each chunk lists its own functions' code
//   (abi::FunctionSegment), so that none has to name every function.
//
// Optimisation level (CompileOptions::AutoOptLevel, lucetc's default). On
// this project's reference machine LLVM's full pipeline (-O2) compiles about
// 35 KB of function bodies per CPU-second, its fast path (-O0) about 130 KB.
// A module of at most FullPipelineLimit bytes of function bodies gets -O2
// (a few minutes on two cores at most); a larger one gets -O0, whose code
// is still ahead of a JIT's baseline tier, so that a program of tens of
// megabytes compiles in minutes, not an hour. --opt-level overrides it.

#include "compiler/CompileOptions.h"
#include "wasm/Module.h"

#include <cstdint>
#include <vector>

namespace lucet::compiler {

// Which of a wasm module's functions one LLVM module defines
// (ModuleContext.h).
// A module compiled in one piece is a single chunk, the main one, defining
// every function with internal linkage. A large one is split: each chunk is
// generated, optimised and emitted on its own, and the objects linked; the
// symbols chunks share (guest functions, dispatch tables, the personality
// slot) are then external with hidden visibility, so that they stay out of
// the shared object's dynamic symbols.
struct Chunk {
  uint32_t first = 0; // defined-function indices [first, end)
  uint32_t end = 0;
  // Also holds what ties the module together: the module record, metadata,
  // trampolines, import adapters and dispatch tables (ModuleEmitter.cpp);
  // when split, it defines no function.
  bool main = true;
  bool split = false; // other chunks exist
  bool defines(uint32_t definedIndex) const { return definedIndex >= first && definedIndex < end; }
};

inline constexpr uint64_t SplitThreshold = 1u << 20;
inline constexpr uint64_t ChunkBytes = 512u << 10;
inline constexpr uint64_t FullPipelineLimit = 16u << 20;

// Bytes of function bodies (the code section without its framing).
uint64_t codeBytes(const wasm::Module &module);

// The level to compile at: `requested`, unless it is AutoOptLevel.
unsigned chooseOptLevel(const wasm::Module &module, unsigned requested);

// `chunkBytes` other than 0 replaces both SplitThreshold and ChunkBytes.
std::vector<Chunk> planChunks(const wasm::Module &module, uint64_t chunkBytes = 0);

} // namespace lucet::compiler
