#include "tools/lucet-wasi/Subprocess.h"

#include "support/UniqueFd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lucet::tools {

namespace {

Expected<std::pair<UniqueFd, UniqueFd>> makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Error::format("cannot create a pipe: {}", std::strerror(errno));
  return std::pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

std::vector<char *> cStrings(const std::vector<std::string> &strings) {
  std::vector<char *> result;
  for (const std::string &s : strings) result.push_back(const_cast<char *>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

// Reads both pipes until they close; reading only one at a time could
// deadlock when the child fills the other.
void drain(UniqueFd &out, UniqueFd &err, std::string &outText, std::string &errText) {
  char buffer[65536];
  while (out || err) {
    pollfd fds[2];
    nfds_t count = 0;
    UniqueFd *owners[2];
    std::string *texts[2];
    if (out) {
      fds[count] = {out.get(), POLLIN, 0};
      owners[count] = &out;
      texts[count++] = &outText;
    }
    if (err) {
      fds[count] = {err.get(), POLLIN, 0};
      owners[count] = &err;
      texts[count++] = &errText;
    }
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0)
        texts[i]->append(buffer, size_t(n));
      else if (n == 0 || errno != EINTR)
        owners[i]->reset();
    }
  }
}

} // namespace

Expected<ProcessResult> runProcess(const std::vector<std::string> &argv,
                                   const std::optional<std::vector<std::string>> &environment) {
  if (argv.empty()) return Error("runProcess: no program given");
  LUCET_ASSIGN_OR_RETURN(outPipe, makePipe());
  LUCET_ASSIGN_OR_RETURN(errPipe, makePipe());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outPipe.second.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errPipe.second.get(), STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<char *> args = cStrings(argv);
  std::vector<char *> envp;
  if (environment) envp = cStrings(*environment);
  pid_t pid;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(),
                         environment ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error::format("cannot run {}: {}", argv[0], std::strerror(rc));

  outPipe.second.reset();
  errPipe.second.reset();
  ProcessResult result;
  drain(outPipe.first, errPipe.first, result.stdoutText, result.stderrText);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Error::format("waiting for {}: {}", argv[0], std::strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exitStatus = 128 + WTERMSIG(status);
  } else {
    result.exitStatus = WEXITSTATUS(status);
  }
  return result;
}

} // namespace lucet::tools
