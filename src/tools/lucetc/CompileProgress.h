#pragma once

// lucetc's progress line: "lucetc: compiling app.wasm: 1234/5678 functions",
// rewritten in place on a terminal once a compile has taken more than a
// second, and erased when it ends. Nothing is written when there is no
// terminal: on stderr if it is one, or on /dev/tty when asked to (lucet-wasi
// captures lucetc's stderr but wants its user to see the progress).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace lucet::tools {

class CompileProgress {
public:
  CompileProgress(std::string input, bool onTty);
  ~CompileProgress();
  CompileProgress(const CompileProgress &) = delete;
  CompileProgress &operator=(const CompileProgress &) = delete;

  // For CompileOptions::progress; empty when there is nowhere to show it.
  std::function<void(uint32_t, uint32_t)> callback();

private:
  void update(uint32_t done, uint32_t total);

  std::string input_;
  std::FILE *out_ = nullptr;
  bool ownsOut_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

} // namespace lucet::tools
