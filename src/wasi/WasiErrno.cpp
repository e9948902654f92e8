#include "wasi/WasiErrno.h"

#include <cerrno>

namespace lucet::wasi {

Errno errnoFromHost(int hostErrno) {
  switch (hostErrno) {
  case 0:
    return Errno::Success;
#define HOST_ERRNO(HostName, WasiName)                                                             \
  case HostName:                                                                                   \
    return Errno::WasiName;
#include "wasi/HostErrno.def"
  default:
    return Errno::Io;
  }
}

Errno lastHostErrno() {
  return errnoFromHost(errno);
}

std::string_view errnoName(Errno e) {
  switch (e) {
#define WASI_ERRNO(Name, Value, Description)                                                       \
  case Errno::Name:                                                                                \
    return #Name;
#include "wasi/WasiErrno.def"
  }
  return "unknown";
}

std::string_view errnoDescription(Errno e) {
  switch (e) {
#define WASI_ERRNO(Name, Value, Description)                                                       \
  case Errno::Name:                                                                                \
    return Description;
#include "wasi/WasiErrno.def"
  }
  return "unknown errno";
}

} // namespace lucet::wasi
