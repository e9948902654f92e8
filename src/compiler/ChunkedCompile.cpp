#include "compiler/ChunkedCompile.h"

#include "compiler/ChunkPlan.h"
#include "compiler/CodeGenerator.h"
#include "compiler/ModuleEmitter.h"
#include "compiler/ParallelWork.h"
#include "compiler/SharedObjectLinker.h"
#include "compiler/SourceMapBuilder.h"
#include "support/FileIO.h"

#include <llvm/IR/LLVMContext.h>

#include <algorithm>
#include <malloc.h>
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

Status compileSharedObject(const wasm::Module &module, const CompileOptions &options,
                           const std::vector<std::string> &cpuFeatures,
                           const std::string &outputPath) {
  LUCET_ASSIGN_OR_RETURN(facts, analyzeModule(module));
  std::vector<Chunk> chunks = planChunks(module, options.chunkBytes);
  ObjectFiles objects(outputPath, chunks.size() + 1); // and the source map's
  std::vector<SourceMapPart> maps(chunks.size());
  // A worker process hands its parts of the source map on in the file
  // beside each object. What a chunk's LLVM context used stays with the
  // allocator for the next chunk: trimming it after each (malloc_trim) made
  // the kernel fault the same pages in again and cost a quarter of the
  // compile time.
  bool processes = options.workerProcesses && compileThreads(options, chunks.size()) > 1;
  auto work = [&](size_t k) -> Status {
    LUCET_ASSIGN_OR_RETURN(part,
                           compileChunk(module, facts, chunks, k, options, cpuFeatures, objects));
    if (processes) return writeFileAtomically(objects.sidePath(k), encodeSourceMapPart(part));
    maps[k] = std::move(part);
    return Status::ok();
  };
  auto functions = [&](size_t k) { return uint64_t(chunks[k].end - chunks[k].first); };
  auto progress = [&](uint64_t done) {
    if (options.progress) options.progress(uint32_t(done), uint32_t(module.functions.size()));
  };
  LUCET_TRY(forEachItem(chunks.size(), compileThreads(options, chunks.size()),
                        processes ? Workers::Processes : Workers::Threads, work, functions,
                        progress));
  for (size_t k = 0; processes && k < chunks.size(); ++k) {
    LUCET_ASSIGN_OR_RETURN(bytes, readFile(objects.sidePath(k)));
    LUCET_ASSIGN_OR_RETURN(part, decodeSourceMapPart(bytes));
    maps[k] = std::move(part);
    ::unlink(objects.sidePath(k).c_str());
  }
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
