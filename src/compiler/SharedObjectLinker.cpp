#include "compiler/SharedObjectLinker.h"

#include "support/FileIO.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lucet::compiler {

namespace {

std::string findLinker() {
  if (const char *env = std::getenv("LUCET_LLD"); env && *env) return env;
  return LUCET_LLD_PATH;
}

std::string readAll(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, size_t(n));
  return out;
}

} // namespace

ObjectFiles::ObjectFiles(const std::string &outputPath, size_t count) {
  std::string base = outputPath + ".tmp." + std::to_string(::getpid());
  for (size_t i = 0; i < count; ++i) paths_.push_back(base + "." + std::to_string(i) + ".o");
}

ObjectFiles::~ObjectFiles() {
  for (size_t i = 0; i < paths_.size(); ++i) {
    ::unlink(paths_[i].c_str());
    ::unlink(sidePath(i).c_str());
  }
}

Status ObjectFiles::write(size_t index, const std::vector<char> &object) {
  return writeFileAtomically(
      paths_[index],
      std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(object.data()), object.size()));
}

Status linkSharedObject(const ObjectFiles &objects, const std::string &outputPath) {
  std::string linkedPath = temporaryPathFor(outputPath, ".so");
  std::string linker = findLinker();
  // Debug sections only served to build the source map; they are dropped.
  std::vector<std::string> args = {linker, "-shared", "--hash-style=gnu", "--strip-debug",
                                   // The unwinder finds a loaded object's frames
                                   // through this (wasm exceptions).
                                   "--eh-frame-hdr", "-z", "noexecstack", "-z", "now", "-z",
                                   "relro",
                                   // The code pointer arrays' relocations as a
                                   // bitmap (DT_RELR, glibc 2.36): about 1 bit
                                   // each instead of 24 bytes, and faster to load.
                                   "-z", "pack-relative-relocs", "-o", linkedPath};
  args.insert(args.end(), objects.paths().begin(), objects.paths().end());
  std::vector<char *> argv;
  for (auto &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0)
    return Error::format("cannot run the linker: pipe: {}", std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
  pid_t pid;
  int rc = posix_spawn(&pid, linker.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  if (rc != 0) {
    ::close(pipeFds[0]);
    return Error::format("cannot run the linker {}: {} (install lld-19 or set LUCET_LLD)", linker,
                         std::strerror(rc));
  }
  std::string output = readAll(pipeFds[0]);
  ::close(pipeFds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::unlink(linkedPath.c_str());
    return Error::format("the linker {} failed: {}", linker, output);
  }
  return moveIntoPlace(linkedPath, outputPath);
}

} // namespace lucet::compiler
