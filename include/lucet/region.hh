#pragma once

// A region of instance slots, for servers that start a fresh instance per
// request. The address space for every slot (heap, guard and stack) is
// reserved once, when the region is made; an instance created in a region
// takes a free slot and maps nothing new, and deleting it gives the slot
// back cleaned. The next instance of the same module finds its initial
// memory in place (the data segments are mapped copy-on-write), so
// instantiation costs microseconds. Thread-safe; copies share the region,
// which lives as long as any copy or any instance in it.
//
//   auto region = lucet::Region::create(limits, 64);
//   lucet::InstanceOptions options;
//   options.region = *region;
//   auto instance = lucet::Instance::create(module, linker, options);

#include "lucet/error.hh"
#include "lucet/export.h"
#include "lucet/limits.hh"

#include <cstdint>
#include <memory>

namespace lucet {

class LUCET_API Region {
public:
  // Fails when the address space cannot be reserved (slots × (heap address
  // space + stack) must fit in the process's).
  static Result<Region> create(const InstanceLimits &limits, uint32_t slots);

  const InstanceLimits &limits() const;
  uint32_t capacity() const;
  uint32_t slotsInUse() const;

  struct Impl;
  const Impl &impl() const { return *impl_; }

private:
  explicit Region(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

} // namespace lucet
