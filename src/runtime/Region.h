#pragma once

// A region of instance slots, reserved once. Each slot holds one instance's
// heap address space (with its guard) and its stack (with its guard), so
// creating an instance in a slot maps nothing new: the slot's heap already
// has the module's initial memory (its data image mapped copy-on-write and
// zeros after it), and giving the slot back discards what the instance
// wrote. That is what makes instantiation take microseconds, and it is safe
// from many threads at once.
//
//   | heap: addressSpace + tail guard | stack guard | stack | ... next slot
//
// A slot keeps the last module's image mapped, so the next instance of the
// same module finds its memory ready without a single mapping call.

#include "platform/AddressReservation.h"
#include "platform/GuestStack.h"
#include "runtime/InstanceLimits.h"
#include "runtime/MemoryImage.h"
#include "support/Expected.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace lucet::rt {

class LoadedModule;
class Region;

// One slot lent to one instance; goes back to its region, cleaned, when the
// last owner (the instance, or its memory if exported) lets go.
class RegionSlot {
public:
  ~RegionSlot();
  RegionSlot(const RegionSlot &) = delete;
  RegionSlot &operator=(const RegionSlot &) = delete;

  uint8_t *heapBase() const { return heapBase_; }
  // The heap's whole reservation (address space plus a tail guard).
  uint64_t heapReservedSize() const { return heapReservedSize_; }
  // Bytes from heapBase() that are accessible now.
  uint64_t heapAccessible() const;
  // Whether the heap already holds the module's data segments.
  bool heapHasImage() const { return hasImage_; }
  // memory.grow: opens up [heapAccessible(), bytes).
  Status growHeap(uint64_t bytes);
  platform::GuestStack stack() const;
  // Cleans the slot for a new instance of `module`, as if it had just been
  // acquired for it.
  Status reset(const LoadedModule &module);

private:
  friend class Region;
  RegionSlot() = default;
  std::shared_ptr<Region> region_;
  uint32_t index_ = 0;
  uint8_t *heapBase_ = nullptr;
  uint64_t heapReservedSize_ = 0;
  bool hasImage_ = false;
};

class Region : public std::enable_shared_from_this<Region> {
public:
  // Reserves `slotCount` slots sized by `limits`.
  static Expected<std::shared_ptr<Region>> create(const InstanceLimits &limits, uint32_t slotCount);
  ~Region();
  Region(const Region &) = delete;
  Region &operator=(const Region &) = delete;

  const InstanceLimits &limits() const { return limits_; }
  uint32_t capacity() const { return uint32_t(slots_.size()); }
  uint32_t slotsInUse() const;

  // A free slot whose heap holds `module`'s initial memory: its initial
  // pages accessible, the data image in place when the module has one. An
  // error when every slot is in use.
  Expected<std::shared_ptr<RegionSlot>> acquire(const LoadedModule &module);

private:
  friend class RegionSlot;
  struct SlotState {
    std::shared_ptr<const MemoryImage> image; // mapped at the heap's start
    uint64_t accessible = 0;                  // heap bytes accessible
    bool inUse = false;
  };
  Region() = default;
  uint8_t *slotBase(uint32_t index) const { return reservation_.base() + index * slotSize_; }
  Status prepareHeap(SlotState &slot, uint8_t *heap,
                     const std::shared_ptr<const MemoryImage> &image, uint64_t initial);
  Status prepareFor(uint32_t index, const LoadedModule &module);
  // Discards everything an instance wrote to its heap: pages revert to the
  // image or to zeros.
  Status discard(uint32_t index);
  void release(uint32_t index);

  InstanceLimits limits_;
  platform::AddressReservation reservation_;
  uint64_t slotSize_ = 0, heapSpan_ = 0, stackGuard_ = 0, stackSize_ = 0;
  mutable std::mutex mutex_;
  std::vector<SlotState> slots_;
  std::vector<uint32_t> free_; // a stack: the most recently cleaned slot first
};

} // namespace lucet::rt
