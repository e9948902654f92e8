#pragma once

// Spawns the built lucet-wasi and captures what it printed, for the
// end-to-end tests. Paths of the built tools and guests come from CMake.

#include "tools/lucet-wasi/Subprocess.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lucet::clitest {

using tools::ProcessResult;

// A compiled guest from tests/guests: "hello" -> .../guests/hello.so.
std::string guestPath(const std::string &name, const std::string &extension = ".so");

// The environment lucet-wasi runs with unless a test says otherwise: a PATH
// that finds the built lucetc, and a cache directory private to this test
// process.
std::vector<std::string> defaultEnvironment();

// Runs lucet-wasi with `args`. Fails the current test (and returns an empty
// result) when the process cannot be started.
ProcessResult runLucetWasi(const std::vector<std::string> &args);
ProcessResult runLucetWasi(const std::vector<std::string> &args,
                           const std::vector<std::string> &environment);

ProcessResult runProgram(const std::vector<std::string> &argv);

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::filesystem::path &path() const { return path_; }
  std::string str() const { return path_.string(); }

private:
  std::filesystem::path path_;
};

std::string readText(const std::filesystem::path &path);
void writeText(const std::filesystem::path &path, const std::string &text);

} // namespace lucet::clitest
