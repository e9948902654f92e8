// lucet-wasi gives the guest its own stdin, stdout and stderr, whose open
// file descriptions it shares with whoever started it (a shell's
// `>> app.log`). Guest stdio_shared tries to change them; here we check that
// nothing it did is left on the host: the log keeps its earlier line and
// O_APPEND, no description turned non-blocking, no size or time changed.
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

// Runs lucet-wasi with the given host fds as its 0, 1 and 2; the exit
// status, or -1 if it had to be killed after 60 s.
int runWithStdio(const std::vector<std::string> &args, int in, int out, int err) {
  std::vector<std::string> argv = {LUCET_WASI_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = defaultEnvironment();
  std::vector<char *> argvPtrs, envPtrs;
  for (auto &a : argv) argvPtrs.push_back(a.data());
  for (auto &e : env) envPtrs.push_back(e.data());
  argvPtrs.push_back(nullptr);
  envPtrs.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
    execve(argvPtrs[0], argvPtrs.data(), envPtrs.data());
    _exit(127);
  }
  if (pid < 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(InheritedStdioTest, GuestChangesNothingOfTheHostsStdio) {
  TempDir tmp;
  fs::path log = tmp.path() / "app.log";
  fs::path errFile = tmp.path() / "err.txt";
  writeText(log, "earlier line\n");
  writeText(errFile, "");
  // An mtime far in the past, which a write or set_times would move.
  timespec old[2] = {{946684800, 0}, {946684800, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, errFile.c_str(), old, 0), 0);

  int stdinPipe[2];
  ASSERT_EQ(pipe(stdinPipe), 0); // we keep both ends: the pipe stays empty
  int out = open(log.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  int err = open(errFile.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(out, 0);
  ASSERT_GE(err, 0);

  int status = runWithStdio({guestPath("stdio_shared")}, stdinPipe[0], out, err);
  // Before we read it, which moves the access time.
  struct stat st;
  ASSERT_EQ(fstat(err, &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, old[1].tv_sec);
  EXPECT_EQ(st.st_atim.tv_sec, old[0].tv_sec);
  EXPECT_EQ(st.st_size, 0);
  EXPECT_EQ(status, 0) << readText(log) << readText(errFile);
  EXPECT_EQ(readText(log), "earlier line\nguest line\nstdio: ok\n");

  // The descriptions we share with the guest have our flags, not its.
  EXPECT_EQ(fcntl(out, F_GETFL) & (O_APPEND | O_NONBLOCK), O_APPEND);
  EXPECT_EQ(fcntl(err, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);
  EXPECT_EQ(fcntl(stdinPipe[0], F_GETFL) & O_NONBLOCK, 0);

  close(stdinPipe[0]);
  close(stdinPipe[1]);
  close(out);
  close(err);
}

} // namespace
} // namespace lucet::clitest
