#include "GuestBuilder.h"

#include "lucet/compile.hh"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace lucet::test {

GuestBuilder::GuestBuilder() {
  static int instances = 0;
  dir_ = fs::temp_directory_path() /
         ("lucet-api-" + std::to_string(::getpid()) + "-" + std::to_string(instances++));
  fs::create_directories(dir_);
}

GuestBuilder::~GuestBuilder() {
  fs::remove_all(dir_);
}

std::string GuestBuilder::build(const std::string &wat) {
  std::string base = (dir_ / ("guest" + std::to_string(counter_++))).string();
  std::ofstream(base + ".wat") << wat;
  auto compiled = lucet::compileFile(base + ".wat", base + ".so");
  if (!compiled) {
    ADD_FAILURE() << compiled.error().message();
    return "";
  }
  return base + ".so";
}

} // namespace lucet::test
