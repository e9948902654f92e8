#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

namespace lucet {

// An error carried as a value. The message is complete and meant for a human:
// it says what went wrong, where, and why.
class Error {
public:
  explicit Error(std::string message) : message_(std::move(message)) {}

  template <typename... Args>
  static Error format(fmt::format_string<Args...> fmtString, Args &&...args) {
    return Error(fmt::format(fmtString, std::forward<Args>(args)...));
  }

  const std::string &message() const { return message_; }

  // Adds context in front of the message ("foo.wasm: " + message).
  Error withContext(const std::string &context) const { return Error(context + ": " + message_); }

private:
  std::string message_;
};

} // namespace lucet
