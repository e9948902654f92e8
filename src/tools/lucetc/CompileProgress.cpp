#include "tools/lucetc/CompileProgress.h"

#include <fmt/format.h>

#include <unistd.h>

namespace lucet::tools {

CompileProgress::CompileProgress(std::string input, bool onTty)
    : input_(std::move(input)), start_(std::chrono::steady_clock::now()) {
  if (::isatty(STDERR_FILENO)) {
    out_ = stderr;
  } else if (onTty) {
    out_ = std::fopen("/dev/tty", "we");
    ownsOut_ = out_ != nullptr;
  }
}

CompileProgress::~CompileProgress() {
  if (shown_) {
    fmt::print(out_, "\r\033[K");
    std::fflush(out_);
  }
  if (ownsOut_) std::fclose(out_);
}

std::function<void(uint32_t, uint32_t)> CompileProgress::callback() {
  if (!out_) return {};
  return [this](uint32_t done, uint32_t total) { update(done, total); };
}

void CompileProgress::update(uint32_t done, uint32_t total) {
  std::lock_guard lock(mutex_);
  if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
  shown_ = true;
  fmt::print(out_, "\r\033[Klucetc: compiling {}: {}/{} functions", input_, done, total);
  std::fflush(out_);
}

} // namespace lucet::tools
