#pragma once

// A directory of its own for each test of a fixture: created under the
// system temp dir, named after the process and the test, removed with it.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace lucet::testing {

class TestDirectory {
public:
  explicit TestDirectory(const std::string &prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::create_directories(path_);
  }
  ~TestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestDirectory(const TestDirectory &) = delete;
  TestDirectory &operator=(const TestDirectory &) = delete;

  std::filesystem::path operator/(const std::string &name) const { return path_ / name; }
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace lucet::testing
