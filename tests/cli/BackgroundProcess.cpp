#include "BackgroundProcess.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lucet::clitest {

namespace {

using Clock = std::chrono::steady_clock;

void closeFd(int &fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<char *> cStrings(const std::vector<std::string> &strings) {
  std::vector<char *> result;
  for (const std::string &s : strings) result.push_back(const_cast<char *>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

} // namespace

std::unique_ptr<BackgroundProcess>
BackgroundProcess::start(const std::vector<std::string> &argv,
                         const std::vector<std::string> &environment) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<char *> args = cStrings(argv);
  std::vector<char *> envp = cStrings(environment);
  std::unique_ptr<BackgroundProcess> p(new BackgroundProcess);
  int rc = ::posix_spawn(&p->pid_, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  p->stdin_ = in[1];
  p->stdout_ = out[0];
  p->stderr_ = err[0];
  if (rc != 0) {
    p->reaped_ = true;
    ADD_FAILURE() << "cannot run " << argv[0] << ": " << std::strerror(rc);
    return nullptr;
  }
  // A process that stopped reading must not block the test on a write.
  ::fcntl(p->stdin_, F_SETFL, O_NONBLOCK);
  return p;
}

BackgroundProcess::~BackgroundProcess() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  closeFd(stdin_);
  closeFd(stdout_);
  closeFd(stderr_);
}

void BackgroundProcess::pump(std::chrono::milliseconds wait) {
  pollfd fds[2];
  int *owners[2];
  std::string *texts[2];
  nfds_t count = 0;
  if (stdout_ >= 0) {
    fds[count] = {stdout_, POLLIN, 0};
    owners[count] = &stdout_;
    texts[count++] = &out_;
  }
  if (stderr_ >= 0) {
    fds[count] = {stderr_, POLLIN, 0};
    owners[count] = &stderr_;
    texts[count++] = &err_;
  }
  if (count == 0) return;
  if (::poll(fds, count, static_cast<int>(wait.count())) <= 0) return;
  char buffer[4096];
  for (nfds_t i = 0; i < count; ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
    if (n > 0)
      texts[i]->append(buffer, size_t(n));
    else if (n == 0 || errno != EINTR)
      closeFd(*owners[i]);
  }
}

bool BackgroundProcess::waitForStdout(const std::string &text, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (out_.find(text) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || (stdout_ < 0 && stderr_ < 0)) return false;
    pump(std::min(left, std::chrono::milliseconds(100)));
  }
  return true;
}

bool BackgroundProcess::writeStdin(const std::string &text) {
  size_t done = 0;
  // Bounded: at most ~5 s of a full pipe.
  for (int tries = 0; done < text.size() && stdin_ >= 0 && tries < 500; ++tries) {
    ssize_t n = ::write(stdin_, text.data() + done, text.size() - done);
    if (n > 0) {
      done += size_t(n);
    } else if (n < 0 && errno == EAGAIN) {
      pump(std::chrono::milliseconds(10));
    } else if (n < 0 && errno != EINTR) {
      return false;
    }
  }
  return done == text.size();
}

void BackgroundProcess::closeStdin() {
  closeFd(stdin_);
}

tools::ProcessResult BackgroundProcess::finish(std::chrono::milliseconds timeout, bool *timedOut) {
  closeStdin();
  auto deadline = Clock::now() + timeout;
  int status = 0;
  bool killed = false;
  while (!reaped_) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      break;
    }
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      reaped_ = killed = true;
      break;
    }
    pump(std::chrono::milliseconds(20));
  }
  // The pipes are closed once the process is gone (unless it left children
  // holding them, which ours do not): read what is left, boundedly.
  for (int i = 0; i < 100 && (stdout_ >= 0 || stderr_ >= 0); ++i)
    pump(std::chrono::milliseconds(20));
  if (timedOut) *timedOut = killed;
  tools::ProcessResult result;
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exitStatus = 128 + WTERMSIG(status);
  } else {
    result.exitStatus = WEXITSTATUS(status);
  }
  result.stdoutText = out_;
  result.stderrText = err_;
  return result;
}

} // namespace lucet::clitest
