#pragma once

// WASI errno values and the translation from host errno values.

#include <cstdint>
#include <string_view>

namespace lucet::wasi {

enum class Errno : uint16_t {
#define WASI_ERRNO(Name, Value, Description) Name = Value,
#include "wasi/WasiErrno.def"
};

// The WASI value for a host errno, one host value at a time (HostErrno.def).
// A host value with no entry there becomes Io: it can only come from a
// kernel path we did not anticipate, and Io is the value that tells the
// guest "the host failed" without claiming a more specific cause.
Errno errnoFromHost(int hostErrno);

// errnoFromHost(errno), for the line right after a failed call.
Errno lastHostErrno();

// "NoEnt: no such file or directory", for logs and test failures.
std::string_view errnoName(Errno e);
std::string_view errnoDescription(Errno e);

} // namespace lucet::wasi
