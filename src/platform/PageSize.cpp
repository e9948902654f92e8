#include "platform/PageSize.h"

#include <unistd.h>

namespace lucet::platform {

uint64_t pageSize() {
  static const uint64_t size = uint64_t(sysconf(_SC_PAGESIZE));
  return size;
}

} // namespace lucet::platform
