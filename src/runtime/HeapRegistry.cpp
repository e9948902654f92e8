#include "runtime/HeapRegistry.h"

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

namespace lucet::rt {
namespace {

// A slot is free when its end is 0. Writers take the mutex; the signal
// handler reads without it, so begin and end are published end-last and
// retracted end-first.
struct Slot {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
};
Slot slots[MaxRegisteredHeaps];
// One past the highest slot ever used: bounds the handler's scan.
std::atomic<size_t> highWater{0};
std::mutex writers;
// Slots below highWater that were released, for reuse (under `writers`).
std::vector<size_t> &freeSlots() {
  static std::vector<size_t> slots;
  return slots;
}

} // namespace

Expected<HeapRegistration> HeapRegistration::add(uintptr_t begin, uintptr_t end) {
  std::lock_guard<std::mutex> lock(writers);
  size_t i;
  if (!freeSlots().empty()) {
    i = freeSlots().back();
    freeSlots().pop_back();
  } else if ((i = highWater.load(std::memory_order_relaxed)) < MaxRegisteredHeaps) {
    highWater.store(i + 1, std::memory_order_release);
  } else {
    return Error::format("too many linear memories: at most {} may exist at once",
                         MaxRegisteredHeaps);
  }
  slots[i].begin.store(begin, std::memory_order_relaxed);
  slots[i].end.store(end, std::memory_order_release);
  HeapRegistration r;
  r.slot_ = i;
  return r;
}

HeapRegistration::~HeapRegistration() {
  if (slot_ == SIZE_MAX) return;
  std::lock_guard<std::mutex> lock(writers);
  slots[slot_].end.store(0, std::memory_order_release);
  slots[slot_].begin.store(0, std::memory_order_relaxed);
  freeSlots().push_back(slot_);
}

HeapRegistration::HeapRegistration(HeapRegistration &&other) noexcept
    : slot_(std::exchange(other.slot_, SIZE_MAX)) {}

HeapRegistration &HeapRegistration::operator=(HeapRegistration &&other) noexcept {
  if (this != &other) {
    HeapRegistration old(std::move(*this));
    slot_ = std::exchange(other.slot_, SIZE_MAX);
  }
  return *this;
}

bool inRegisteredHeap(uintptr_t address) {
  size_t count = highWater.load(std::memory_order_acquire);
  for (size_t i = 0; i < count; ++i) {
    uintptr_t end = slots[i].end.load(std::memory_order_acquire);
    if (end == 0) continue;
    uintptr_t begin = slots[i].begin.load(std::memory_order_relaxed);
    if (address >= begin && address < end) return true;
  }
  return false;
}

} // namespace lucet::rt
