#pragma once

// Host clocks in nanoseconds, for WASI's clock_time_get and clock_res_get
// and for the runtime's own timing.

#include "support/Expected.h"

#include <cstdint>

namespace lucet::platform {

enum class ClockId : uint8_t {
  Realtime,       // wall-clock time since the Unix epoch
  Monotonic,      // never goes backwards; arbitrary origin
  ProcessCpuTime, // CPU time consumed by this process
  ThreadCpuTime,  // CPU time consumed by the calling thread
};

// The current value of `clock` in nanoseconds.
Expected<uint64_t> clockTime(ClockId clock);

// The resolution of `clock` in nanoseconds (at least 1).
Expected<uint64_t> clockResolution(ClockId clock);

} // namespace lucet::platform
