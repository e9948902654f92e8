#include "compiler/ChunkPlan.h"

namespace lucet::compiler {

uint64_t codeBytes(const wasm::Module &module) {
  uint64_t total = 0;
  for (const auto &f : module.functions) total += f.bodyEnd - f.bodyOffset;
  return total;
}

unsigned chooseOptLevel(const wasm::Module &module, unsigned requested) {
  if (requested != CompileOptions::AutoOptLevel) return requested;
  return codeBytes(module) <= FullPipelineLimit ? 2 : 0;
}

std::vector<Chunk> planChunks(const wasm::Module &module, uint64_t chunkBytes) {
  uint64_t threshold = chunkBytes ? chunkBytes : SplitThreshold;
  uint64_t limit = chunkBytes ? chunkBytes : ChunkBytes;
  auto count = uint32_t(module.functions.size());
  uint64_t total = codeBytes(module);
  if (total <= threshold || count < 2) return {Chunk{0, count, true, false}};
  // Even chunks: as many as `limit` requires, each about the same size.
  uint64_t pieces = (total + limit - 1) / limit;
  uint64_t target = (total + pieces - 1) / pieces;
  // The main chunk's size grows with the number of functions, not their
  // code: it has none, so that it starts first and runs beside one other.
  std::vector<Chunk> chunks{Chunk{0, 0, true, true}};
  uint32_t first = 0;
  uint64_t size = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t body = module.functions[i].bodyEnd - module.functions[i].bodyOffset;
    if (i > first && size + body > target) {
      chunks.push_back(Chunk{first, i, false, true});
      first = i;
      size = 0;
    }
    size += body;
  }
  chunks.push_back(Chunk{first, count, false, true});
  return chunks;
}

} // namespace lucet::compiler
