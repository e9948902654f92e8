#include "runtime/MemoryImage.h"

#include "platform/PageOps.h"
#include "platform/PageSize.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace lucet::rt {

std::shared_ptr<const MemoryImage> MemoryImage::build(const abi::Metadata &m) {
  constexpr uint64_t WasmPageSize = 64 * 1024;
  if (m.memories.size() != 1) return nullptr;
  for (const auto &imp : m.imports)
    if (imp.kind == abi::ExternKindCode::Memory) return nullptr;
  uint64_t initial = m.memories[0].min * WasmPageSize;
  uint64_t end = 0;
  for (const abi::DataDesc &d : m.datas) {
    if (d.mode != abi::SegmentModeCode::Active) continue;
    if (d.offset.kind != abi::InitExpr::Kind::I32Const) return nullptr;
    uint64_t offset = uint32_t(d.offset.bits);
    if (offset + d.bytes.size() > initial) return nullptr;
    if (!d.bytes.empty()) end = std::max(end, offset + d.bytes.size());
  }
  if (end == 0) return nullptr;
  uint64_t size = std::min(platform::roundUpToPage(end), initial);
  std::vector<uint8_t> bytes(end);
  for (const abi::DataDesc &d : m.datas) {
    if (d.mode != abi::SegmentModeCode::Active || d.bytes.empty()) continue;
    std::memcpy(bytes.data() + uint32_t(d.offset.bits), d.bytes.data(), d.bytes.size());
  }
  auto fd = platform::createMemoryFile("lucet-memory-image", bytes, size);
  if (!fd) return nullptr; // instantiation copies the segments instead
  std::shared_ptr<MemoryImage> image(new MemoryImage());
  image->fd_ = std::move(*fd);
  image->size_ = size;
  return image;
}

} // namespace lucet::rt
