#pragma once

// A module's linear memory as instantiation leaves it, before the start
// function runs: its active data segments laid out in an in-memory file.
// Instance slots map it copy-on-write, so instantiating copies no data and
// resetting a slot (discarding its private pages) brings the image back.

#include "abi/Metadata.h"
#include "support/UniqueFd.h"

#include <cstdint>
#include <memory>

namespace lucet::rt {

class MemoryImage {
public:
  // The image of `module`'s memory 0, or nullptr when it cannot have one:
  // the memory is imported or absent, a segment's offset is not a constant,
  // a segment does not fit the initial memory (instantiation must fail
  // then), or there is no data at all.
  static std::shared_ptr<const MemoryImage> build(const abi::Metadata &module);

  int fd() const { return fd_.get(); }
  // Bytes to map from the start of the memory: a whole number of host
  // pages, no more than the initial memory.
  uint64_t size() const { return size_; }

private:
  MemoryImage() = default;
  UniqueFd fd_;
  uint64_t size_ = 0;
};

} // namespace lucet::rt
