#pragma once

// Every linear memory's reserved address range, for the signal handler: a
// guest may call another instance's function, whose code then faults in
// that instance's memory, not in the memory of the instance the call
// entered. Registration happens when a memory is created and ends when it
// is destroyed; lookups are lock-free and async-signal-safe.

#include "support/Expected.h"

#include <cstddef>
#include <cstdint>

namespace lucet::rt {

// Live memories at once, per process.
constexpr size_t MaxRegisteredHeaps = 65536;

class HeapRegistration {
public:
  HeapRegistration() = default;
  // Registers [begin, end). Fails when MaxRegisteredHeaps are live.
  static Expected<HeapRegistration> add(uintptr_t begin, uintptr_t end);
  ~HeapRegistration();
  HeapRegistration(HeapRegistration &&other) noexcept;
  HeapRegistration &operator=(HeapRegistration &&other) noexcept;
  HeapRegistration(const HeapRegistration &) = delete;
  HeapRegistration &operator=(const HeapRegistration &) = delete;

private:
  size_t slot_ = SIZE_MAX;
};

// Whether `address` lies in a registered memory's reservation.
bool inRegisteredHeap(uintptr_t address);

} // namespace lucet::rt
