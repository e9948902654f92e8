#pragma once

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lucet::tools {

// The command line as typed, before any value is interpreted.
struct RawWasiArguments {
  std::string modulePath;
  std::vector<std::string> guestArgs;
  std::string entrypoint = "_start";
  std::string heapAddressSpace = "8 GiB";
  std::string maxHeapSize = "4 GiB";
  std::string stackSize = "8 MiB";
  std::vector<std::string> dirs;
};

// One --dir: the guest sees hostPath under guestPath.
struct PreopenDir {
  std::string guestPath;
  std::string hostPath;
};

// Everything checked: sizes are page multiples and consistent, and every
// preopened host directory exists.
struct WasiOptions {
  std::string modulePath;
  std::vector<std::string> guestArgs;
  std::string entrypoint;
  uint64_t heapAddressSpace = 0;
  uint64_t maxHeapSize = 0;
  uint64_t stackSize = 0;
  std::vector<PreopenDir> preopens;
};

// "GUEST:HOST", split at the first ':'; a path without ':' maps to itself.
// Fails on an empty guest or host path.
Expected<PreopenDir> parsePreopenDir(std::string_view spec);

// Every error starts with the flag it concerns ("--max-heap-size: ..."),
// since these are usage errors the user fixes on the command line.
Expected<WasiOptions> validateArguments(const RawWasiArguments &raw);

} // namespace lucet::tools
