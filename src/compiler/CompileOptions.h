#pragma once

#include "wasm/Features.h"

#include <cstdint>
#include <functional>
#include <string>

namespace lucet::compiler {

// What compileBytes writes: a loadable shared object, a relocatable object,
// LLVM IR, or the validated module itself in the binary format (a .wat
// converted to .wasm).
enum class EmitKind { SharedObject, Object, LlvmIr, Wasm };

// Native: use the features of the machine compiling (as Wasmtime does); the
// artifact then refuses to load on a CPU without them. Baseline: plain
// x86-64, runs anywhere.
enum class CpuTarget { Native, Baseline };

struct CompileOptions {
  // LLVM's optimisation level, 0-3, or AutoOptLevel: chosen for the module
  // by ChunkPlan.h's rule (2 unless the module is very large).
  static constexpr unsigned AutoOptLevel = ~0u;
  unsigned optLevel = AutoOptLevel;
  // The rules modules are read and validated under (wasm/Features.h).
  wasm::Features features = wasm::Features::wasm3();
  CpuTarget cpuTarget = CpuTarget::Native;
  EmitKind emit = EmitKind::SharedObject;
  // Threads compiling a shared object's chunks (ChunkPlan.h); 0 means one
  // per core. The output is the same whatever the number.
  unsigned threads = 0;
  // Compile the chunks in forked worker processes instead of threads
  // (ParallelWork.h says why). Only for a caller that has no other
  // threads, such as the lucetc tool: fork copies the calling thread only.
  bool workerProcesses = false;
  // 0: ChunkPlan.h's rule. Otherwise every module is split into chunks of
  // at most this many bytes of function bodies (for tests of split output).
  uint64_t chunkBytes = 0;
  // Called (from any compiling thread, one call at a time) as functions of
  // a shared object are done: how many of how many.
  std::function<void(uint32_t done, uint32_t total)> progress;
  // Lucet's heap model: the code may assume `reservedSize` bytes of address
  // space past the heap base followed by `guardSize` bytes of guard. When the
  // two cover every 32-bit address plus a 32-bit offset, no bounds checks are
  // emitted and out-of-bounds accesses fault in the guard.
  uint64_t reservedSize = 4ull << 30;
  uint64_t guardSize = 4ull << 30;

  bool needsBoundsChecks() const { return reservedSize + guardSize < (8ull << 30); }
};

// "lucetc 0.1.0 (LLVM 19.1.7)": part of every artifact and of cache keys.
std::string compilerVersion();

} // namespace lucet::compiler
