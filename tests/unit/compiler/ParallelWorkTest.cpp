// forEachItem, on threads and on processes: every item once, over several
// workers; the smallest failing item's error; progress adds up the items'
// weights. With processes: a worker that dies is an error that names it, not
// a hang or a silent gap, also when the caller ignores SIGCHLD.
#include "compiler/ParallelWork.h"

#include "TestDirectory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <unistd.h>

namespace lucet::compiler {
namespace {

namespace fs = std::filesystem;

class ParallelWorkTest : public ::testing::Test {
protected:
  const fs::path &dir() const { return dir_.path(); }
  lucet::testing::TestDirectory dir_{"lucet-workers"};
};

class EachKindOfWorker : public ParallelWorkTest, public ::testing::WithParamInterface<Workers> {};

// Which worker runs this: the process and the thread.
std::string workerName() {
  return std::to_string(::getpid()) + "-" +
         std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
}

TEST_P(EachKindOfWorker, EveryItemRunsOnceAcrossTheWorkers) {
  const size_t count = 40;
  std::string caller = workerName();
  auto work = [&](size_t k) -> Status {
    // A file per item, named by the worker that ran it.
    std::ofstream(dir() / (std::to_string(k) + "." + workerName()));
    ::usleep(2000);
    return Status::ok();
  };
  std::vector<uint64_t> reported;
  auto status = forEachItem(
      count, 3, GetParam(), work, [](size_t k) { return k + 1; },
      [&](uint64_t done) { reported.push_back(done); });
  ASSERT_TRUE(status) << status.error().message();
  std::vector<int> runs(count, 0);
  std::set<std::string> workers;
  for (const auto &entry : fs::directory_iterator(dir())) {
    std::string name = entry.path().filename().string();
    runs[std::stoul(name.substr(0, name.find('.')))]++;
    workers.insert(name.substr(name.find('.') + 1));
  }
  for (size_t k = 0; k < count; ++k) EXPECT_EQ(runs[k], 1) << "item " << k;
  EXPECT_GT(workers.size(), 1u) << "every item ran in one worker";
  EXPECT_TRUE(workers.count(caller)) << "the calling thread takes items too";
  ASSERT_FALSE(reported.empty());
  EXPECT_TRUE(std::is_sorted(reported.begin(), reported.end()));
  EXPECT_EQ(reported.back(), count * (count + 1) / 2);
}

// A caller that ignores SIGCHLD (lucetc inherits that from a parent that
// does) still learns how each worker ended, and keeps its disposition.
TEST_F(ParallelWorkTest, ProcessesWorkWhenTheCallerIgnoresSigchld) {
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
  auto ok = forEachItem(
      6, 2, Workers::Processes, work, [](size_t) { return 1; }, [](uint64_t) {});
  auto failed = forEachItem(
      20, 2, Workers::Processes, work, [](size_t) { return 1; }, [](uint64_t) {});
  ::sigaction(SIGCHLD, nullptr, &after);
  ::sigaction(SIGCHLD, &saved, nullptr);
  EXPECT_TRUE(ok) << ok.error().message();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message().rfind("item 7 failed", 0), 0u) << failed.error().message();
  EXPECT_EQ(after.sa_handler, SIG_IGN);
}

TEST_P(EachKindOfWorker, TheFailingItemsErrorComesBack) {
  auto work = [](size_t k) -> Status {
    ::usleep(1000);
    if (k == 13) return Error("item 13 cannot be compiled");
    return Status::ok();
  };
  auto status = forEachItem(
      30, 2, GetParam(), work, [](size_t) { return 1; }, [](uint64_t) {});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message(), "item 13 cannot be compiled");
}

TEST_F(ParallelWorkTest, AWorkerProcessThatDiesIsAnError) {
  pid_t parent = ::getpid();
  auto work = [&](size_t) -> Status {
    if (::getpid() != parent) ::raise(SIGKILL);
    ::usleep(100'000); // leaves items for the workers
    return Status::ok();
  };
  auto status = forEachItem(
      6, 2, Workers::Processes, work, [](size_t) { return 1; }, [](uint64_t) {});
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("killed by signal 9"), std::string::npos)
      << status.error().message();
}

INSTANTIATE_TEST_SUITE_P(Workers, EachKindOfWorker,
                         ::testing::Values(Workers::Threads, Workers::Processes),
                         [](const auto &info) {
                           return info.param == Workers::Threads ? "Threads" : "Processes";
                         });

} // namespace
} // namespace lucet::compiler
