#pragma once

#include "support/Expected.h"
#include "wasi/TcpListener.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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
  std::vector<std::string> envs; // each --env, as typed
  bool inheritEnv = false;
  std::vector<std::string> tcpListens; // each --tcplisten, as typed
};

// One --dir: the guest sees hostPath under guestPath.
struct PreopenDir {
  std::string guestPath;
  std::string hostPath;
};

// Everything checked (but not yet opened or bound): sizes are page multiples and consistent, and
// every preopened host directory exists.
struct WasiOptions {
  std::string modulePath;
  std::vector<std::string> guestArgs;
  std::string entrypoint;
  uint64_t heapAddressSpace = 0;
  uint64_t maxHeapSize = 0;
  uint64_t stackSize = 0;
  std::vector<PreopenDir> preopens;
  // --env KEY=VALUE, in the order given.
  std::vector<std::pair<std::string, std::string>> env;
  bool inheritEnv = false;
  // --tcplisten HOST:PORT, in the order given; bound only when the guest is
  // about to run.
  std::vector<wasi::TcpListenAddress> tcpListeners;
};

// "GUEST:HOST", split at the first ':'; a path without ':' maps to itself.
// Fails on an empty guest or host path.
Expected<PreopenDir> parsePreopenDir(std::string_view spec);

// "KEY=VALUE", split at the first '=' (the value may contain more). Fails
// when there is no '=' or the key is empty.
Expected<std::pair<std::string, std::string>> parseEnvVar(std::string_view spec);

// The guest's environment: the host's `hostEnviron` (a NULL-terminated
// "KEY=VALUE" array, like ::environ) when options.inheritEnv, then each
// --env. A key given again replaces the earlier value where it stood, so a
// --env overrides an inherited variable and the last --env of a key wins.
// Host entries without '=' or with an empty key are skipped: the guest could
// not make sense of them.
std::vector<std::pair<std::string, std::string>> guestEnvironment(const WasiOptions &options,
                                                                  char **hostEnviron);

// Every error starts with the flag it concerns ("--max-heap-size: ..."),
// since these are usage errors the user fixes on the command line.
Expected<WasiOptions> validateArguments(const RawWasiArguments &raw);

} // namespace lucet::tools
