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

lucet::Module GuestBuilder::load(const std::string &wat) {
  auto module = lucet::Module::load(build(wat));
  EXPECT_TRUE(module) << (module ? "" : module.error().message());
  return std::move(module).value();
}

lucet::InstanceLimits smallLimits() {
  lucet::InstanceLimits limits;
  limits.heapSize = 1 << 20;
  limits.heapAddressSpace = 8ull << 30;
  limits.stackSize = 256 << 10;
  return limits;
}

lucet::InstanceOptions smallOptions() {
  lucet::InstanceOptions options;
  options.limits = smallLimits();
  return options;
}

} // namespace lucet::test
