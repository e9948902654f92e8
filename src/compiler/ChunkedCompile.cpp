#include "compiler/ChunkedCompile.h"

#include "compiler/ChunkPlan.h"
#include "compiler/CodeGenerator.h"
#include "compiler/ModuleEmitter.h"
#include "compiler/SharedObjectLinker.h"
#include "compiler/SourceMapBuilder.h"
#include "compiler/WorkerProcesses.h"
#include "support/FileIO.h"

#include <llvm/IR/LLVMContext.h>

#include <algorithm>
#include <atomic>
#include <malloc.h>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace lucet::compiler {

namespace {

// One chunk from wasm to an object file; returns its part of the source map.
Expected<SourceMapPart> compileChunk(const wasm::Module &module, const ModuleFacts &facts,
                                     std::span<const Chunk> plan, size_t index,
                                     const CompileOptions &options,
                                     const std::vector<std::string> &cpuFeatures,
                                     ObjectFiles &objects) {
  const Chunk &chunk = plan[index];
  llvm::LLVMContext context;
  LUCET_ASSIGN_OR_RETURN(llvmModule,
                         emitChunk(module, facts, plan, index, options, cpuFeatures, context));
  LUCET_ASSIGN_OR_RETURN(object, generateObject(*llvmModule, options.optLevel, cpuFeatures));
  llvmModule.reset();
  LUCET_ASSIGN_OR_RETURN(entries, buildSourceMap(object, module, chunk.first, chunk.end));
  LUCET_TRY(objects.write(index, object));
  return entries;
}

} // namespace

unsigned compileThreads(const CompileOptions &options, size_t chunks) {
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  return unsigned(std::clamp<size_t>(threads, 1, std::max<size_t>(chunks, 1)));
}

namespace {

// The chunks on threads of this process; each part of the source map into
// `maps`.
Status compileOnThreads(const wasm::Module &module, const ModuleFacts &facts,
                        std::span<const Chunk> chunks, const CompileOptions &options,
                        const std::vector<std::string> &cpuFeatures, ObjectFiles &objects,
                        std::vector<SourceMapPart> &maps) {
  std::vector<std::optional<Error>> errors(chunks.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex progressMutex;
  uint32_t done = 0;
  auto compileOne = [&](size_t k) {
    auto compiled = compileChunk(module, facts, chunks, k, options, cpuFeatures, objects);
    if (options.progress) {
      std::lock_guard lock(progressMutex);
      done += chunks[k].end - chunks[k].first;
      options.progress(done, uint32_t(module.functions.size()));
    }
    // What the chunk's LLVM context used stays with the allocator for the
    // next chunk: trimming it here (malloc_trim) made the kernel fault the
    // same pages in again and cost a quarter of the compile time.
    if (compiled) {
      maps[k] = std::move(*compiled);
    } else {
      errors[k] = compiled.takeError();
      failed = true;
    }
  };
  auto work = [&] {
    for (size_t k; !failed && (k = next++) < chunks.size();) compileOne(k);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < compileThreads(options, chunks.size()); ++t) pool.emplace_back(work);
  work();
  for (auto &thread : pool) thread.join();
  // The first failing chunk's error, whichever thread saw it first.
  for (auto &error : errors)
    if (error) return std::move(*error);
  return Status::ok();
}

// The chunks in worker processes (WorkerProcesses.h); each hands its part
// of the source map on in the file beside its object.
Status compileInProcesses(const wasm::Module &module, const ModuleFacts &facts,
                          std::span<const Chunk> chunks, const CompileOptions &options,
                          const std::vector<std::string> &cpuFeatures, ObjectFiles &objects,
                          std::vector<SourceMapPart> &maps) {
  auto work = [&](size_t k) -> Status {
    LUCET_ASSIGN_OR_RETURN(part,
                           compileChunk(module, facts, chunks, k, options, cpuFeatures, objects));
    return writeFileAtomically(objects.sidePath(k), encodeSourceMapPart(part));
  };
  auto functions = [&](size_t k) { return uint64_t(chunks[k].end - chunks[k].first); };
  auto progress = [&](uint64_t done) {
    if (options.progress) options.progress(uint32_t(done), uint32_t(module.functions.size()));
  };
  LUCET_TRY(forEachInWorkerProcesses(chunks.size(), compileThreads(options, chunks.size()), work,
                                     functions, progress));
  for (size_t k = 0; k < chunks.size(); ++k) {
    LUCET_ASSIGN_OR_RETURN(bytes, readFile(objects.sidePath(k)));
    LUCET_ASSIGN_OR_RETURN(part, decodeSourceMapPart(bytes));
    maps[k] = std::move(part);
    ::unlink(objects.sidePath(k).c_str());
  }
  return Status::ok();
}

} // namespace

Status compileSharedObject(const wasm::Module &module, const CompileOptions &options,
                           const std::vector<std::string> &cpuFeatures,
                           const std::string &outputPath) {
  LUCET_ASSIGN_OR_RETURN(facts, analyzeModule(module));
  std::vector<Chunk> chunks = planChunks(module, options.chunkBytes);
  ObjectFiles objects(outputPath, chunks.size() + 1); // and the source map's
  std::vector<SourceMapPart> maps(chunks.size());
  bool processes = options.workerProcesses && compileThreads(options, chunks.size()) > 1;
  LUCET_TRY(processes
                ? compileInProcesses(module, facts, chunks, options, cpuFeatures, objects, maps)
                : compileOnThreads(module, facts, chunks, options, cpuFeatures, objects, maps));
  {
    LUCET_ASSIGN_OR_RETURN(sourceMapObject,
                           emitSourceMapObject(uint32_t(module.functions.size()), std::move(maps)));
    LUCET_TRY(objects.write(chunks.size(), sourceMapObject));
  }
  // The linker's memory adds to ours: give back what the source map used.
  ::malloc_trim(0);
  return linkSharedObject(objects, outputPath);
}

} // namespace lucet::compiler
