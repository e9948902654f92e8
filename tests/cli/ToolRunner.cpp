#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace lucet::clitest {

std::string guestPath(const std::string &name, const std::string &extension) {
  return std::string(LUCET_GUEST_DIR) + "/" + name + extension;
}

namespace {

const std::filesystem::path &processCacheDir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "lucet-cli-cache.XXXXXX");
    if (!::mkdtemp(pattern.data())) std::abort();
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// Removes the shared cache directory when the test process ends.
struct CacheDirCleanup {
  ~CacheDirCleanup() {
    std::error_code ignored;
    std::filesystem::remove_all(processCacheDir(), ignored);
  }
} cacheDirCleanup;

} // namespace

std::vector<std::string> defaultEnvironment() {
  std::string lucetcDir = std::filesystem::path(LUCETC_EXE).parent_path().string();
  return {"PATH=" + lucetcDir + ":/usr/local/bin:/usr/bin:/bin",
          "LUCET_CACHE_DIR=" + processCacheDir().string()};
}

ProcessResult runLucetWasi(const std::vector<std::string> &args) {
  return runLucetWasi(args, defaultEnvironment());
}

ProcessResult runLucetWasi(const std::vector<std::string> &args,
                           const std::vector<std::string> &environment) {
  std::vector<std::string> argv = {LUCET_WASI_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = tools::runProcess(argv, environment);
  if (!result) {
    ADD_FAILURE() << result.error().message();
    return {};
  }
  // Whatever the input, lucet-wasi reports errors; it never dies of a signal.
  EXPECT_FALSE(result->signaled) << "lucet-wasi was killed by a signal; stderr:\n"
                                 << result->stderrText;
  return std::move(*result);
}

ProcessResult runProgram(const std::vector<std::string> &argv) {
  auto result = tools::runProcess(argv);
  if (!result) {
    ADD_FAILURE() << result.error().message();
    return {};
  }
  return std::move(*result);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "lucet-cli-test.XXXXXX");
  if (!::mkdtemp(pattern.data())) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string readText(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const std::filesystem::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

} // namespace lucet::clitest
