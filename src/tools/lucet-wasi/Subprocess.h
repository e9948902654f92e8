#pragma once

#include "support/Expected.h"

#include <optional>
#include <string>
#include <vector>

namespace lucet::tools {

struct ProcessResult {
  // The exit status when the process exited, else 128 + the signal number,
  // as a shell reports it.
  int exitStatus = 0;
  bool signaled = false;
  std::string stdoutText;
  std::string stderrText;
};

// Runs `argv[0]` (a path, not searched in PATH) with `argv`, capturing its
// stdout and stderr, and waits for it. `environment` replaces the inherited
// environment when given. Fails only when the process cannot be started.
Expected<ProcessResult>
runProcess(const std::vector<std::string> &argv,
           const std::optional<std::vector<std::string>> &environment = std::nullopt);

} // namespace lucet::tools
