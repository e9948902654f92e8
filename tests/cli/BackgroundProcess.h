#pragma once

// A process the test talks to while it runs: its stdin is a pipe the test
// writes, its stdout and stderr are collected as they come. Every wait is
// bounded; the destructor kills a process still running, so a test that
// fails half-way never leaves one behind or hangs.

#include "tools/lucet-wasi/Subprocess.h"

#include <chrono>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lucet::clitest {

class BackgroundProcess {
public:
  // Starts argv[0] (a path) with `environment`. Fails the current test and
  // returns nullptr when it cannot be started.
  static std::unique_ptr<BackgroundProcess> start(const std::vector<std::string> &argv,
                                                  const std::vector<std::string> &environment);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess &) = delete;
  BackgroundProcess &operator=(const BackgroundProcess &) = delete;

  // Reads output until stdout contains `text` or `timeout` passes (or the
  // process closes its stdout); true when it appeared.
  bool waitForStdout(const std::string &text, std::chrono::milliseconds timeout);
  // Writes `text` to its stdin; false when the pipe is closed.
  bool writeStdin(const std::string &text);
  void closeStdin();
  // Waits up to `timeout` for the process to end, killing it (SIGKILL) if it
  // has not, and returns its status and all its output. `timedOut` says
  // whether it had to be killed.
  tools::ProcessResult finish(std::chrono::milliseconds timeout, bool *timedOut = nullptr);

  const std::string &stdoutSoFar() const { return out_; }
  const std::string &stderrSoFar() const { return err_; }

private:
  BackgroundProcess() = default;
  // Moves whatever is ready (waiting at most `wait`) into out_ and err_.
  void pump(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string out_;
  std::string err_;
  bool reaped_ = false;
};

} // namespace lucet::clitest
