#include "wasi/PathResolver.h"

#include <atomic>
#include <cerrno>
#include <deque>
#include <fcntl.h>
#include <linux/openat2.h>
#include <optional>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace lucet::wasi {

namespace {

// The most symlinks one resolution may expand, as Linux and cap-std allow.
constexpr int MaxSymlinkExpansions = 40;
// openat2 reports EAGAIN when a rename raced with RESOLVE_BENEATH's checks.
constexpr int MaxOpenat2Retries = 4;

std::atomic<bool> forceWalk{false};
std::atomic<bool> openat2Missing{false};

Errno precheck(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) return Errno::Inval;
  if (path.empty()) return Errno::NoEnt;
  if (path.front() == '/') return Errno::NotCapable;
  return Errno::Success;
}

bool useOpenat2() {
  return !forceWalk.load() && !openat2Missing.load();
}

// nullopt: openat2 cannot be used here, take the walk instead.
std::optional<ErrnoOr<UniqueFd>> tryOpenat2(int baseDir, const std::string &path, int flags,
                                            mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  // openat2 refuses a mode unless a file may be created. O_TMPFILE contains
  // the O_DIRECTORY bit, so it must be tested as a whole.
  bool creates = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
  how.mode = creates ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < MaxOpenat2Retries; ++attempt) {
    long fd = syscall(SYS_openat2, baseDir, path.c_str(), &how, sizeof(how));
    if (fd >= 0) return ErrnoOr<UniqueFd>(UniqueFd(static_cast<int>(fd)));
    switch (errno) {
    case EAGAIN:
      continue;
    case ENOSYS:
      openat2Missing.store(true);
      return std::nullopt;
    case EPERM:
      // Possibly a seccomp filter refusing openat2; the walk gives the
      // real answer either way.
      return std::nullopt;
    case EXDEV:
      return ErrnoOr<UniqueFd>(Errno::NotCapable);
    default:
      return ErrnoOr<UniqueFd>(lastHostErrno());
    }
  }
  return ErrnoOr<UniqueFd>(Errno::Again);
}

ErrnoOr<std::string> readLinkAt(int dirFd, const std::string &name) {
  std::string target(256, '\0');
  for (;;) {
    ssize_t n = readlinkat(dirFd, name.c_str(), target.data(), target.size());
    if (n < 0) return lastHostErrno();
    if (static_cast<size_t>(n) < target.size()) {
      target.resize(static_cast<size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

void pushComponentsFront(std::deque<std::string> &work, std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) work.push_front(std::move(*it));
}

// A directory reached from the base: either the base itself or one we own.
struct Dir {
  UniqueFd owned;
  int fd;
};

// The walk: every component must be a directory or a symlink to one.
// `..` pops our own stack of opened directories; it is never looked up.
ErrnoOr<Dir> walkToDirectory(int baseDir, std::string_view path) {
  std::deque<std::string> work;
  pushComponentsFront(work, path);
  std::vector<UniqueFd> stack;
  int expansions = 0;
  while (!work.empty()) {
    std::string component = std::move(work.front());
    work.pop_front();
    if (component == ".") continue;
    if (component == "..") {
      if (stack.empty()) return Errno::NotCapable;
      stack.pop_back();
      continue;
    }
    int current = stack.empty() ? baseDir : stack.back().get();
    int fd = openat(current, component.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      stack.emplace_back(fd);
      continue;
    }
    int openErrno = errno;
    if (openErrno != ELOOP && openErrno != ENOTDIR && openErrno != EMLINK)
      return errnoFromHost(openErrno);
    auto target = readLinkAt(current, component);
    if (!target) {
      // Not a symlink after all: the open's own error is the answer.
      return target.error() == Errno::Inval ? errnoFromHost(openErrno) : target.error();
    }
    if (++expansions > MaxSymlinkExpansions) return Errno::Loop;
    if (target->empty()) return Errno::NoEnt;
    if (target->front() == '/') return Errno::NotCapable;
    pushComponentsFront(work, *target);
  }
  if (stack.empty()) return Dir{UniqueFd(), baseDir};
  UniqueFd top = std::move(stack.back());
  int fd = top.get();
  return Dir{std::move(top), fd};
}

ErrnoOr<Dir> openDirectoryBeneath(int baseDir, const std::string &path) {
  if (useOpenat2()) {
    auto fast = tryOpenat2(baseDir, path, O_PATH | O_DIRECTORY, 0);
    if (fast) {
      if (!*fast) return fast->error();
      int fd = (*fast)->get();
      return Dir{std::move(**fast), fd};
    }
  }
  return walkToDirectory(baseDir, path);
}

} // namespace

void setForceComponentWalk(bool force) {
  forceWalk.store(force);
}

ErrnoOr<ResolvedParent> resolveParent(int baseDir, std::string_view path, Follow follow) {
  WASI_TRY(precheck(path));
  std::string current(path);
  for (int expansions = 0;;) {
    bool trailingSlash = false;
    while (current.size() > 1 && current.back() == '/') {
      current.pop_back();
      trailingSlash = true;
    }
    size_t slash = current.rfind('/');
    std::string dirPart = slash == std::string::npos ? std::string() : current.substr(0, slash);
    std::string leaf = slash == std::string::npos ? current : current.substr(slash + 1);

    if (leaf == "." || leaf == "..") {
      // No name to act on: resolve the whole path as a directory and act on
      // "." inside it.
      WASI_ASSIGN_OR_RETURN(dir, openDirectoryBeneath(baseDir, current));
      return ResolvedParent{std::move(dir.owned), dir.fd, ".", true};
    }

    Dir dir{UniqueFd(), baseDir};
    if (!dirPart.empty()) {
      WASI_ASSIGN_OR_RETURN(opened, openDirectoryBeneath(baseDir, dirPart));
      dir = std::move(opened);
    }
    if (follow == Follow::No && !trailingSlash)
      return ResolvedParent{std::move(dir.owned), dir.fd, std::move(leaf), false};

    auto target = readLinkAt(dir.fd, leaf);
    if (!target) {
      // Not a symlink (Inval) or not there yet (NoEnt): the leaf stands.
      if (target.error() == Errno::Inval || target.error() == Errno::NoEnt)
        return ResolvedParent{std::move(dir.owned), dir.fd, std::move(leaf), trailingSlash};
      return target.error();
    }
    if (++expansions > MaxSymlinkExpansions) return Errno::Loop;
    if (target->empty()) return Errno::NoEnt;
    if (target->front() == '/') return Errno::NotCapable;
    // Re-resolve with the link replaced by its target; the directory part is
    // confined again on the next round, so `..` in the target cannot escape.
    current =
        (dirPart.empty() ? std::string() : dirPart + "/") + *target + (trailingSlash ? "/" : "");
  }
}

ErrnoOr<UniqueFd> openBeneath(int baseDir, std::string_view path, const OpenRequest &request) {
  WASI_TRY(precheck(path));
  int noFollow = request.follow == Follow::No ? O_NOFOLLOW : 0;
  if (useOpenat2()) {
    auto fast = tryOpenat2(baseDir, std::string(path), request.flags | noFollow, request.mode);
    if (fast) return std::move(*fast);
  }
  WASI_ASSIGN_OR_RETURN(parent, resolveParent(baseDir, path, request.follow));
  // resolveParent already expanded a final symlink we were to follow, so one
  // that appears now was put there concurrently: refuse it (ELOOP).
  int flags = request.flags | O_NOFOLLOW | O_CLOEXEC | (parent.trailingSlash ? O_DIRECTORY : 0);
  int fd = openat(parent.dirFd, parent.leaf.c_str(), flags, request.mode);
  if (fd < 0) return lastHostErrno();
  return UniqueFd(fd);
}

} // namespace lucet::wasi
