#include "platform/GuestStack.h"

#include "platform/PageSize.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <utility>

namespace lucet::platform {

GuestStack::GuestStack(GuestStack &&other) noexcept
    : base_(std::exchange(other.base_, nullptr)), size_(std::exchange(other.size_, 0)),
      guardSize_(std::exchange(other.guardSize_, 0)), owned_(std::exchange(other.owned_, false)) {}

GuestStack &GuestStack::operator=(GuestStack &&other) noexcept {
  if (this != &other) {
    release();
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    guardSize_ = std::exchange(other.guardSize_, 0);
    owned_ = std::exchange(other.owned_, false);
  }
  return *this;
}

Expected<GuestStack> GuestStack::allocate(uint64_t size, uint64_t guardSize) {
  if (size == 0) return Error("the guest stack size must not be zero");
  uint64_t usable = roundUpToPage(size) + HostReserve;
  uint64_t guard = roundUpToPage(guardSize == 0 ? pageSize() : guardSize);
  uint64_t total = usable + guard;
  void *p = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return Error::format("cannot allocate a guest stack of {} bytes: {}", total,
                         std::strerror(errno));
  auto *base = static_cast<uint8_t *>(p);
  if (mprotect(base + guard, usable, PROT_READ | PROT_WRITE) != 0) {
    int err = errno;
    munmap(p, total);
    return Error::format("cannot allocate a guest stack of {} bytes: {}", total,
                         std::strerror(err));
  }
  GuestStack s;
  s.base_ = base;
  s.size_ = usable;
  s.guardSize_ = guard;
  s.owned_ = true;
  return s;
}

GuestStack GuestStack::borrow(uint8_t *base, uint64_t size, uint64_t guardSize) {
  GuestStack s;
  s.base_ = base;
  s.size_ = size;
  s.guardSize_ = guardSize;
  return s;
}

void GuestStack::release() {
  if (base_ && owned_) munmap(base_, guardSize_ + size_);
  base_ = nullptr;
  size_ = 0;
  guardSize_ = 0;
  owned_ = false;
}

} // namespace lucet::platform
