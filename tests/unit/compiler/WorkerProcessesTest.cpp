// forEachInWorkerProcesses: every item once, over several processes; the
// smallest failing item's error; a worker that dies is an error that names
// it, not a hang or a silent gap; progress adds up the items' weights.
#include "compiler/WorkerProcesses.h"

#include "TestDirectory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace lucet::compiler {
namespace {

namespace fs = std::filesystem;

class WorkerProcessesTest : public ::testing::Test {
protected:
  const fs::path &dir() const { return dir_.path(); }
  lucet::testing::TestDirectory dir_{"lucet-workers"};
};

TEST_F(WorkerProcessesTest, EveryItemRunsOnceAcrossTheProcesses) {
  const size_t count = 40;
  pid_t parent = ::getpid();
  auto work = [&](size_t k) -> Status {
    // A file per item, named by the process that ran it.
    std::ofstream(dir() / (std::to_string(k) + "." + std::to_string(::getpid())));
    ::usleep(2000);
    return Status::ok();
  };
  std::vector<uint64_t> reported;
  auto status = forEachInWorkerProcesses(
      count, 3, work, [](size_t k) { return k + 1; },
      [&](uint64_t done) { reported.push_back(done); });
  ASSERT_TRUE(status) << status.error().message();
  std::vector<int> runs(count, 0);
  std::set<std::string> pids;
  for (const auto &entry : fs::directory_iterator(dir())) {
    std::string name = entry.path().filename().string();
    runs[std::stoul(name.substr(0, name.find('.')))]++;
    pids.insert(name.substr(name.find('.') + 1));
  }
  for (size_t k = 0; k < count; ++k) EXPECT_EQ(runs[k], 1) << "item " << k;
  EXPECT_GT(pids.size(), 1u) << "every item ran in one process";
  EXPECT_TRUE(pids.count(std::to_string(parent)));
  ASSERT_FALSE(reported.empty());
  EXPECT_TRUE(std::is_sorted(reported.begin(), reported.end()));
  EXPECT_EQ(reported.back(), count * (count + 1) / 2);
}

// A caller that ignores SIGCHLD (lucetc inherits that from a parent that
// does) still learns how each worker ended, and keeps its disposition.
TEST_F(WorkerProcessesTest, WorksWhenTheCallerIgnoresSigchld) {
  struct sigaction ignore = {}, saved = {}, after = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGCHLD, &ignore, &saved), 0);
  pid_t parent = ::getpid();
  auto work = [&](size_t k) -> Status {
    ::usleep(5000);
    if (k == 7 && ::getpid() != parent) return Error("item 7 failed in a worker");
    if (k == 7) return Error("item 7 failed");
    return Status::ok();
  };
  auto ok = forEachInWorkerProcesses(
      6, 2, work, [](size_t) { return 1; }, [](uint64_t) {});
  auto failed = forEachInWorkerProcesses(
      20, 2, work, [](size_t) { return 1; }, [](uint64_t) {});
  ::sigaction(SIGCHLD, nullptr, &after);
  ::sigaction(SIGCHLD, &saved, nullptr);
  EXPECT_TRUE(ok) << ok.error().message();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message().rfind("item 7 failed", 0), 0u) << failed.error().message();
  EXPECT_EQ(after.sa_handler, SIG_IGN);
}

TEST_F(WorkerProcessesTest, TheFailingItemsErrorComesBack) {
  auto work = [](size_t k) -> Status {
    ::usleep(1000);
    if (k == 13) return Error("item 13 cannot be compiled");
    return Status::ok();
  };
  auto status = forEachInWorkerProcesses(
      30, 2, work, [](size_t) { return 1; }, [](uint64_t) {});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message(), "item 13 cannot be compiled");
}

TEST_F(WorkerProcessesTest, AWorkerThatDiesIsAnError) {
  pid_t parent = ::getpid();
  auto work = [&](size_t) -> Status {
    if (::getpid() != parent) ::raise(SIGKILL);
    ::usleep(100'000); // leaves items for the workers
    return Status::ok();
  };
  auto status = forEachInWorkerProcesses(
      6, 2, work, [](size_t) { return 1; }, [](uint64_t) {});
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("killed by signal 9"), std::string::npos)
      << status.error().message();
}

} // namespace
} // namespace lucet::compiler
