#pragma once

// Builds test guests: wasm text -> lucet::compileFile (which reads text) -> .so,
// in a temporary directory removed with the builder.

#include <filesystem>
#include <string>

namespace lucet::test {

class GuestBuilder {
public:
  GuestBuilder();
  ~GuestBuilder();
  // The .so's path, or "" after reporting a test failure.
  std::string build(const std::string &wat);
  const std::filesystem::path &dir() const { return dir_; }

private:
  std::filesystem::path dir_;
  int counter_ = 0;
};

} // namespace lucet::test
