#include "platform/PageOps.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace lucet::platform {
namespace {

Error systemError(const char *what, uint64_t length) {
  return Error::format("cannot {} {:#x} bytes of instance memory: {}", what, length,
                       std::strerror(errno));
}

} // namespace

Status makePagesAccessible(void *begin, uint64_t length) {
  if (length == 0) return Status::ok();
  if (mprotect(begin, length, PROT_READ | PROT_WRITE) != 0)
    return systemError("make accessible", length);
  return Status::ok();
}

Status makePagesInaccessible(void *begin, uint64_t length) {
  if (length == 0) return Status::ok();
  if (mprotect(begin, length, PROT_NONE) != 0) return systemError("protect", length);
  return Status::ok();
}

Status discardPages(void *begin, uint64_t length) {
  if (length == 0) return Status::ok();
  if (madvise(begin, length, MADV_DONTNEED) != 0) return systemError("discard", length);
  return Status::ok();
}

Status resetToReserved(void *begin, uint64_t length) {
  if (length == 0) return Status::ok();
  void *p = mmap(begin, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                 -1, 0);
  if (p == MAP_FAILED) return systemError("reset", length);
  return Status::ok();
}

Status mapFilePrivately(void *begin, uint64_t length, int fd) {
  if (length == 0) return Status::ok();
  void *p = mmap(begin, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return systemError("map the initial image over", length);
  return Status::ok();
}

Expected<UniqueFd> createMemoryFile(const char *name, std::span<const uint8_t> bytes,
                                    uint64_t size) {
  UniqueFd fd(memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd) return Error::format("cannot create an in-memory file: {}", std::strerror(errno));
  if (ftruncate(fd.get(), off_t(std::max<uint64_t>(size, bytes.size()))) != 0)
    return Error::format("cannot size an in-memory file to {} bytes: {}", size,
                         std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = pwrite(fd.get(), bytes.data() + done, bytes.size() - done, off_t(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::format("cannot write an in-memory file: {}", std::strerror(errno));
    done += size_t(n);
  }
  // Nothing may change the image once instances map it.
  if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    return Error::format("cannot seal an in-memory file: {}", std::strerror(errno));
  return fd;
}

} // namespace lucet::platform
