#include "compiler/ParallelWork.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <string>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace lucet::compiler {

namespace {

// What the workers share (with processes: in one anonymous shared page).
struct SharedCounters {
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0}; // sum of the weights of the items done
  std::atomic<bool> failed{false};
};
static_assert(std::atomic<size_t>::is_always_lock_free &&
              std::atomic<uint64_t>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

struct Failure {
  size_t k;
  std::string message;
};

// Keeps the failure of the smallest item.
void keepFirst(std::optional<Failure> &first, std::optional<Failure> failure) {
  if (failure && (!first || failure->k < first->k)) first = std::move(failure);
}

// Takes items until none are left or one fails; the first failure is kept.
std::optional<Failure> takeItems(SharedCounters &shared, size_t count,
                                 const std::function<Status(size_t)> &work,
                                 const std::function<uint64_t(size_t)> &weight,
                                 const std::function<void()> &afterEach) {
  for (size_t k; !shared.failed && (k = shared.next++) < count;) {
    Status status = work(k);
    if (!status) {
      shared.failed = true;
      return Failure{k, status.error().message()};
    }
    shared.done += weight(k);
    afterEach();
  }
  return std::nullopt;
}

// A forked copy: its failure goes to `pipe` as "k message".
[[noreturn]] void runCopy(SharedCounters &shared, size_t count,
                          const std::function<Status(size_t)> &work,
                          const std::function<uint64_t(size_t)> &weight, int pipe) {
  auto failure = takeItems(shared, count, work, weight, [] {});
  if (failure) {
    // Within PIPE_BUF: the parent reads only once this process has ended.
    std::string text = (std::to_string(failure->k) + " " + failure->message).substr(0, 4000);
    size_t at = 0;
    while (at < text.size()) {
      ssize_t n = ::write(pipe, text.data() + at, text.size() - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      at += size_t(n);
    }
  }
  ::_exit(failure ? 1 : 0);
}

struct Copy {
  pid_t pid = -1;
  int pipe = -1; // read end
};

// The failure a finished copy reported, or why it ended abnormally.
std::optional<Failure> collect(const Copy &copy, int status) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(copy.pipe, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buffer, size_t(n));
  }
  ::close(copy.pipe);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
  if (size_t space = text.find(' '); !text.empty() && space != std::string::npos)
    return Failure{std::stoull(text.substr(0, space)), text.substr(space + 1)};
  std::string why = WIFSIGNALED(status)
                        ? "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                              ::strsignal(WTERMSIG(status)) + ")"
                        : "exited with status " + std::to_string(WEXITSTATUS(status));
  return Failure{~size_t(0), "a compiling process (pid " + std::to_string(copy.pid) + ") " + why};
}

Status onProcesses(size_t count, unsigned workers, const std::function<Status(size_t)> &work,
                   const std::function<uint64_t(size_t)> &weight,
                   const std::function<void(uint64_t)> &progress) {
  void *page = ::mmap(nullptr, sizeof(SharedCounters), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED)
    return Error::format("cannot map memory shared with the compiling processes: {}",
                         std::strerror(errno));
  auto *shared = new (page) SharedCounters;
  // With SIGCHLD ignored (inherited across exec from a parent that ignores
  // it) the copies would be reaped unseen and waitpid could not tell how
  // they ended; the default action for the duration.
  struct sigaction defaultAction = {};
  struct sigaction savedAction = {};
  defaultAction.sa_handler = SIG_DFL;
  ::sigemptyset(&defaultAction.sa_mask);
  ::sigaction(SIGCHLD, &defaultAction, &savedAction);
  std::vector<Copy> copies;
  std::optional<Failure> first;
  auto keep = [&](std::optional<Failure> failure) { keepFirst(first, std::move(failure)); };
  for (unsigned w = 1; w < workers; ++w) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) break; // fewer processes, same result
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      runCopy(*shared, count, work, weight, fds[1]);
    }
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      break;
    }
    copies.push_back({pid, fds[0]});
  }
  uint64_t reported = 0;
  auto report = [&] {
    if (uint64_t done = shared->done; done != reported) progress(reported = done);
  };
  keep(takeItems(*shared, count, work, weight, report));
  // Wait for the copies, reporting their progress meanwhile.
  for (size_t waiting = copies.size(); waiting > 0;) {
    for (Copy &copy : copies) {
      if (copy.pid < 0) continue;
      int status = 0;
      pid_t r = ::waitpid(copy.pid, &status, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) continue;
      if (r == copy.pid) {
        keep(collect(copy, status));
      } else {
        ::close(copy.pipe);
        keep(Failure{~size_t(0), "cannot wait for a compiling process (pid " +
                                     std::to_string(copy.pid) + "): " + std::strerror(errno)});
      }
      // A copy that died cannot say which item it was on: stop the others.
      if (first) shared->failed = true;
      copy.pid = -1;
      --waiting;
    }
    report();
    if (waiting > 0) ::usleep(50'000);
  }
  ::sigaction(SIGCHLD, &savedAction, nullptr);
  ::munmap(page, sizeof(SharedCounters));
  if (first) return Error(first->message);
  return Status::ok();
}

Status onThreads(size_t count, unsigned workers, const std::function<Status(size_t)> &work,
                 const std::function<uint64_t(size_t)> &weight,
                 const std::function<void(uint64_t)> &progress) {
  SharedCounters shared;
  std::mutex mutex; // for progress and first
  std::optional<Failure> first;
  auto run = [&] {
    auto failure = takeItems(shared, count, work, weight, [&] {
      std::lock_guard lock(mutex);
      progress(shared.done);
    });
    std::lock_guard lock(mutex);
    keepFirst(first, std::move(failure));
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(run);
  run();
  for (auto &thread : pool) thread.join();
  if (first) return Error(first->message);
  return Status::ok();
}

} // namespace

Status forEachItem(size_t count, unsigned workers, Workers kind,
                   const std::function<Status(size_t k)> &work,
                   const std::function<uint64_t(size_t k)> &weight,
                   const std::function<void(uint64_t done)> &progress) {
  return kind == Workers::Processes ? onProcesses(count, workers, work, weight, progress)
                                    : onThreads(count, workers, work, weight, progress);
}

} // namespace lucet::compiler
