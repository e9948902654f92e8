#include "platform/AddressReservation.h"

#include "platform/PageSize.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <utility>

namespace lucet::platform {

AddressReservation::AddressReservation(AddressReservation &&other) noexcept
    : base_(std::exchange(other.base_, nullptr)), size_(std::exchange(other.size_, 0)) {}

AddressReservation &AddressReservation::operator=(AddressReservation &&other) noexcept {
  if (this != &other) {
    release();
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Expected<AddressReservation> AddressReservation::reserve(uint64_t size) {
  if (size == 0) return Error("cannot reserve an empty address range");
  uint64_t rounded = roundUpToPage(size);
  if (rounded < size)
    return Error::format("cannot reserve {} bytes of address space: size overflows", size);
  // MAP_NORESERVE: the range is guard until made accessible, so it must not
  // count against the commit limit.
  void *p = mmap(nullptr, rounded, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return Error::format("cannot reserve {} bytes of address space: {}", rounded,
                         std::strerror(errno));
  AddressReservation r;
  r.base_ = static_cast<uint8_t *>(p);
  r.size_ = rounded;
  return r;
}

Status AddressReservation::protect(uint64_t offset, uint64_t length, int protection) {
  if (length == 0) return Status::ok();
  uint64_t page = pageSize();
  uint64_t begin = offset / page * page;
  uint64_t end = roundUpToPage(offset + length);
  if (offset > size_ || length > size_ - offset || end > size_)
    return Error::format("range [{:#x}, {:#x}) is outside a reservation of {:#x} bytes", offset,
                         offset + length, size_);
  if (mprotect(base_ + begin, end - begin, protection) != 0)
    return Error::format("cannot change the protection of {:#x} bytes of reserved memory: {}",
                         end - begin, std::strerror(errno));
  return Status::ok();
}

Status AddressReservation::makeAccessible(uint64_t offset, uint64_t length) {
  return protect(offset, length, PROT_READ | PROT_WRITE);
}

Status AddressReservation::makeInaccessible(uint64_t offset, uint64_t length) {
  return protect(offset, length, PROT_NONE);
}

void AddressReservation::release() {
  if (base_) munmap(base_, size_);
  base_ = nullptr;
  size_ = 0;
}

} // namespace lucet::platform
