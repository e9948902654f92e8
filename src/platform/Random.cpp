#include "platform/Random.h"

#include <cerrno>
#include <cstring>
#include <sys/random.h>

namespace lucet::platform {

Status fillRandom(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    // getrandom returns at most 32 MiB per call and may be interrupted by a
    // signal for requests above 256 bytes, so loop until the span is full.
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::format("getrandom: {}", std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

} // namespace lucet::platform
