#pragma once

// A range of address space reserved with no access and no backing store.
// Linear memories live in one: a prefix is made readable and writable as the
// memory grows and the rest stays a guard that turns stray accesses into
// faults. The range never moves while the reservation lives.

#include "support/Expected.h"

#include <cstdint>

namespace lucet::platform {

class AddressReservation {
public:
  AddressReservation() = default;
  ~AddressReservation() { release(); }
  AddressReservation(AddressReservation &&other) noexcept;
  AddressReservation &operator=(AddressReservation &&other) noexcept;
  AddressReservation(const AddressReservation &) = delete;
  AddressReservation &operator=(const AddressReservation &) = delete;

  // Reserves `size` bytes (rounded up to whole pages), all inaccessible.
  static Expected<AddressReservation> reserve(uint64_t size);

  // Makes [offset, offset + length) readable and writable, or inaccessible
  // again. Both bounds are rounded out to whole pages.
  Status makeAccessible(uint64_t offset, uint64_t length);
  Status makeInaccessible(uint64_t offset, uint64_t length);

  // Returns the range to the system. Safe to call twice.
  void release();

  uint8_t *base() const { return base_; }
  uint64_t size() const { return size_; }
  bool contains(uintptr_t address) const {
    return address >= uintptr_t(base_) && address - uintptr_t(base_) < size_;
  }

private:
  Status protect(uint64_t offset, uint64_t length, int protection);

  uint8_t *base_ = nullptr;
  uint64_t size_ = 0;
};

} // namespace lucet::platform
