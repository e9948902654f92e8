#include "runtime/Region.h"

#include "platform/PageOps.h"
#include "platform/PageSize.h"
#include "runtime/LoadedModule.h"

#include <algorithm>

namespace lucet::rt {
namespace {

constexpr uint64_t WasmPageSize = 64 * 1024;
// As for a memory with its own reservation (see Memory::create): an access
// that starts just below the end of the address space stays in the slot.
constexpr uint64_t AccessTailGuard = 64 * 1024;

uint64_t roundUp(uint64_t n, uint64_t to) {
  return (n + to - 1) / to * to;
}

} // namespace

RegionSlot::~RegionSlot() {
  if (region_) region_->release(index_);
}

uint64_t RegionSlot::heapAccessible() const {
  return region_->slots_[index_].accessible;
}

Status RegionSlot::growHeap(uint64_t bytes) {
  Region::SlotState &slot = region_->slots_[index_];
  if (bytes <= slot.accessible) return Status::ok();
  if (bytes > heapReservedSize_) return Error("memory.grow beyond the slot's heap");
  LUCET_TRY(platform::makePagesAccessible(heapBase_ + slot.accessible, bytes - slot.accessible));
  slot.accessible = bytes;
  return Status::ok();
}

Status RegionSlot::reset(const LoadedModule &module) {
  LUCET_TRY(region_->discard(index_));
  LUCET_TRY(region_->prepareFor(index_, module));
  hasImage_ = module.memoryImage() != nullptr;
  return Status::ok();
}

platform::GuestStack RegionSlot::stack() const {
  return platform::GuestStack::borrow(heapBase_ + heapReservedSize_, region_->stackSize_,
                                      region_->stackGuard_);
}

Expected<std::shared_ptr<Region>> Region::create(const InstanceLimits &limits, uint32_t slotCount) {
  if (slotCount == 0) return Error("a region needs at least one slot");
  if (limits.heapAddressSpace == 0) return Error("the heap address space must not be empty");
  if (limits.stackSize == 0) return Error("the guest stack size must not be zero");
  std::shared_ptr<Region> region(new Region());
  Region &r = *region;
  r.limits_ = limits;
  uint64_t page = platform::pageSize();
  r.heapSpan_ = roundUp(limits.heapAddressSpace + AccessTailGuard, page);
  r.stackGuard_ = platform::GuestStack::DefaultGuardSize;
  r.stackSize_ = roundUp(limits.stackSize, page) + platform::GuestStack::HostReserve;
  r.slotSize_ = r.heapSpan_ + r.stackGuard_ + r.stackSize_;
  uint64_t total = r.slotSize_ * slotCount;
  if (total / slotCount != r.slotSize_)
    return Error::format("a region of {} slots of {:#x} bytes overflows the address space",
                         slotCount, r.slotSize_);
  auto reservation = platform::AddressReservation::reserve(total);
  if (!reservation)
    return reservation.error().withContext(
        fmt::format("region of {} slots of {} MiB", slotCount, r.slotSize_ >> 20));
  r.reservation_ = std::move(*reservation);
  r.slots_.resize(slotCount);
  r.free_.reserve(slotCount);
  for (uint32_t i = slotCount; i-- > 0;) {
    // Stacks stay accessible for the region's whole life; their guards and
    // the heaps stay reserved until an instance needs them.
    LUCET_TRY(
        platform::makePagesAccessible(r.slotBase(i) + r.heapSpan_ + r.stackGuard_, r.stackSize_));
    r.free_.push_back(i);
  }
  return region;
}

Region::~Region() = default;

uint32_t Region::slotsInUse() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return uint32_t(slots_.size() - free_.size());
}

Status Region::prepareHeap(SlotState &slot, uint8_t *heap,
                           const std::shared_ptr<const MemoryImage> &image, uint64_t initial) {
  if (slot.image != image) {
    // Another module's image (or none) is mapped: start from bare address
    // space and map this module's.
    uint64_t mapped = std::max(slot.accessible, slot.image ? slot.image->size() : 0);
    slot.image.reset();
    slot.accessible = 0;
    LUCET_TRY(platform::resetToReserved(heap, mapped));
    if (image) {
      LUCET_TRY(platform::mapFilePrivately(heap, image->size(), image->fd()));
      slot.accessible = image->size();
    }
    slot.image = image;
  }
  if (slot.accessible < initial)
    LUCET_TRY(platform::makePagesAccessible(heap + slot.accessible, initial - slot.accessible));
  else if (slot.accessible > initial)
    LUCET_TRY(platform::makePagesInaccessible(heap + initial, slot.accessible - initial));
  slot.accessible = initial;
  return Status::ok();
}

Status Region::prepareFor(uint32_t index, const LoadedModule &module) {
  const abi::Metadata &m = module.metadata();
  uint64_t initial = 0;
  if (m.memories.size() == 1) initial = std::min(m.memories[0].min * WasmPageSize, heapSpan_);
  SlotState &slot = slots_[index];
  uint8_t *heap = slotBase(index);
  Status ready = prepareHeap(slot, heap, module.memoryImage(), initial);
  if (!ready) {
    // Leave the slot as bare address space, which is always a clean state.
    (void)platform::resetToReserved(heap, heapSpan_);
    slot.image.reset();
    slot.accessible = 0;
  }
  return ready;
}

Status Region::discard(uint32_t index) {
  // Stack pages are kept as they are (as Wasmtime's pooling allocator does by
  // default): guest code cannot address its native stack, and compiled code
  // never reads a slot it has not written, so nothing on it can leak to the
  // next instance. Keeping them saves the next run its page faults.
  return platform::discardPages(slotBase(index), slots_[index].accessible);
}

Expected<std::shared_ptr<RegionSlot>> Region::acquire(const LoadedModule &module) {
  uint32_t index;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return Error::format("all {} slots of the region are in use", slots_.size());
    index = free_.back();
    free_.pop_back();
    slots_[index].inUse = true;
  }
  if (Status ready = prepareFor(index, module); !ready) {
    release(index);
    return ready.error();
  }
  std::shared_ptr<RegionSlot> lease(new RegionSlot());
  lease->region_ = shared_from_this();
  lease->index_ = index;
  lease->heapBase_ = slotBase(index);
  lease->heapReservedSize_ = heapSpan_;
  lease->hasImage_ = module.memoryImage() != nullptr;
  return lease;
}

void Region::release(uint32_t index) {
  // A slot that cannot be cleaned is not reused.
  bool clean = bool(discard(index));
  std::lock_guard<std::mutex> lock(mutex_);
  slots_[index].inUse = false;
  if (clean) free_.push_back(index);
}

} // namespace lucet::rt
