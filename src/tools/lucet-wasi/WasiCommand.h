#pragma once

#include "support/Expected.h"
#include "tools/lucet-wasi/WasiOptions.h"

#include <optional>
#include <string>

namespace lucet::tools {

// The exit status for a trapped guest: 128 + SIGABRT, what a shell shows
// for a native program that aborted, and outside the 0..125 range guests
// usually pick for proc_exit.
constexpr int TrapExitStatus = 134;

struct WasiOutcome {
  // The guest's proc_exit code (0 when the entrypoint returned), or
  // TrapExitStatus.
  int exitStatus = 0;
  // Trap::describe() when the guest trapped.
  std::optional<std::string> trap;
  // Something the user should know about how the run ended.
  std::optional<std::string> note;
};

// Loads the module (compiling a .wasm through the cache first), gives it
// WASI with the arguments and preopens in `options`, and runs the
// entrypoint. An Error means the guest never ran: the module could not be
// read, compiled, loaded or instantiated, or has no such entrypoint, or a
// --tcplisten address could not be listened on.
Expected<WasiOutcome> runWasiCommand(const WasiOptions &options);

} // namespace lucet::tools
