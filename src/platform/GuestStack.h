#pragma once

// A stack for guest code, with an inaccessible guard region below it so that
// running off the end faults (and becomes a StackOverflow trap) instead of
// overwriting whatever lies below.

#include "support/Expected.h"

#include <cstdint>

namespace lucet::platform {

class GuestStack {
public:
  // Big enough that a single large frame is unlikely to jump over it.
  static constexpr uint64_t DefaultGuardSize = 64 * 1024;
  // Stack that host code called from the guest may use. Every stack has this
  // much on top of the size asked for, so that the guest still gets all of
  // that size, and entries into the host refuse to run with less left.
  static constexpr uint64_t HostReserve = 64 * 1024;

  GuestStack() = default;
  ~GuestStack() { release(); }
  GuestStack(GuestStack &&other) noexcept;
  GuestStack &operator=(GuestStack &&other) noexcept;
  GuestStack(const GuestStack &) = delete;
  GuestStack &operator=(const GuestStack &) = delete;

  // `size` usable bytes (rounded up to pages) plus HostReserve, above
  // `guardSize` guard bytes.
  static Expected<GuestStack> allocate(uint64_t size, uint64_t guardSize = DefaultGuardSize);
  // A view of a stack someone else owns (an instance slot's): `base` is the
  // start of its guard. release() only forgets it.
  static GuestStack borrow(uint8_t *base, uint64_t size, uint64_t guardSize);
  void release();

  // The initial stack pointer: the highest address, 16-byte aligned.
  uint8_t *top() const { return base_ + guardSize_ + size_; }
  uintptr_t guardBegin() const { return uintptr_t(base_); }
  uintptr_t guardEnd() const { return uintptr_t(base_) + guardSize_; }
  bool inGuard(uintptr_t address) const { return address >= guardBegin() && address < guardEnd(); }
  uint64_t size() const { return size_; }

private:
  uint8_t *base_ = nullptr; // lowest address: start of the guard
  uint64_t size_ = 0;
  uint64_t guardSize_ = 0;
  bool owned_ = false;
};

} // namespace lucet::platform
