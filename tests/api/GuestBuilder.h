#pragma once

// Builds test guests: wasm text -> lucet::compileFile (which reads text) -> .so,
// in a temporary directory removed with the builder.

#include "lucet/lucet.hh"

#include <filesystem>
#include <string>

namespace lucet::test {

// Limits small enough for tests that make many instances: 1 MiB of heap,
// 8 GiB of heap address space, 256 KiB of stack.
lucet::InstanceLimits smallLimits();
lucet::InstanceOptions smallOptions();

class GuestBuilder {
public:
  GuestBuilder();
  ~GuestBuilder();
  // The .so's path, or "" after reporting a test failure.
  std::string build(const std::string &wat);
  // Builds and loads; reports a test failure when either fails.
  lucet::Module load(const std::string &wat);
  const std::filesystem::path &dir() const { return dir_; }

private:
  std::filesystem::path dir_;
  int counter_ = 0;
};

} // namespace lucet::test
