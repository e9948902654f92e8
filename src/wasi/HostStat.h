#pragma once

// Host struct stat as a WASI filestat, and WASI timestamps as timespecs.

#include "wasi/ErrnoOr.h"
#include "wasi/WasiTypes.h"

#include <sys/stat.h>
#include <time.h>

namespace lucet::wasi {

FileStat fileStatFromHost(const struct stat &st);

struct TimesPair {
  timespec times[2];
};

// The utimensat/futimens times for a WASI (atim, mtim, fstflags) triple;
// Inval when a time is both given and "now".
ErrnoOr<TimesPair> timesFromWasi(Timestamp atim, Timestamp mtim, uint16_t flags);

} // namespace lucet::wasi
