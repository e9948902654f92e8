#include "support/FileIO.h"

#include "support/UniqueFd.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lucet {

const char *describeFileType(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "a regular file";
  case S_IFDIR:
    return "a directory";
  case S_IFIFO:
    return "a FIFO";
  case S_IFCHR:
    return "a character device";
  case S_IFBLK:
    return "a block device";
  case S_IFSOCK:
    return "a socket";
  case S_IFLNK:
    return "a symbolic link";
  default:
    return "not a regular file";
  }
}

Expected<UniqueFd> openRegularFile(const std::string &path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return Error::format("{}: cannot open: {}", path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return Error::format("{}: cannot stat: {}", path, std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return Error::format("{}: is {}, not a regular file", path, describeFileType(st.st_mode));
  return fd;
}

namespace {

Expected<size_t> readSome(int fd, const std::string &path, uint8_t *buffer, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return size_t(n);
    if (errno != EINTR) return Error::format("{}: cannot read: {}", path, std::strerror(errno));
  }
}

} // namespace

Expected<std::vector<uint8_t>> readFile(const std::string &path, uint64_t maxSize) {
  LUCET_ASSIGN_OR_RETURN(fd, openRegularFile(path));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return Error::format("{}: cannot stat: {}", path, std::strerror(errno));
  auto tooLarge = [&] { return Error::format("{}: too large: more than {} bytes", path, maxSize); };
  if (uint64_t(st.st_size) > maxSize) return tooLarge();
  std::vector<uint8_t> bytes;
  bytes.reserve(size_t(st.st_size));
  uint8_t buffer[65536];
  for (;;) {
    LUCET_ASSIGN_OR_RETURN(n, readSome(fd.get(), path, buffer, sizeof buffer));
    if (n == 0) break;
    // The file may grow while it is read.
    if (n > maxSize - bytes.size()) return tooLarge();
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  return bytes;
}

Expected<std::vector<uint8_t>> readFileHead(const std::string &path, size_t count) {
  LUCET_ASSIGN_OR_RETURN(fd, openRegularFile(path));
  std::vector<uint8_t> bytes(count);
  size_t done = 0;
  while (done < count) {
    LUCET_ASSIGN_OR_RETURN(n, readSome(fd.get(), path, bytes.data() + done, count - done));
    if (n == 0) break;
    done += n;
  }
  bytes.resize(done);
  return bytes;
}

Status writeFileAtomically(const std::string &path, std::span<const uint8_t> bytes) {
  std::string temp = temporaryPathFor(path);
  // Never through a file or link someone left at that name (the name is
  // predictable, and may be in a shared directory): a stale one is removed.
  auto create = [&] {
    return UniqueFd(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  };
  UniqueFd fd = create();
  if (!fd && errno == EEXIST && ::unlink(temp.c_str()) == 0) fd = create();
  if (!fd) return Error::format("{}: cannot create: {}", temp, std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::unlink(temp.c_str());
      return Error::format("{}: cannot write: {}", temp, std::strerror(err));
    }
    done += size_t(n);
  }
  fd.reset();
  return moveIntoPlace(temp, path);
}

namespace {

bool isDeviceOrFifo(const std::string &path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

// Writes all of `from`'s bytes to `to`.
Status copyInto(int from, int to, const std::string &toPath) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(from, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::format("{}: cannot read back: {}", toPath, std::strerror(errno));
    if (n == 0) return Status::ok();
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to, buffer + done, size_t(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return Error::format("{}: cannot write: {}", toPath, std::strerror(errno));
      done += w;
    }
  }
}

} // namespace

std::string temporaryPathFor(const std::string &path, const std::string &suffix) {
  std::string unique = ".tmp." + std::to_string(::getpid()) + suffix;
  if (!isDeviceOrFifo(path)) return path + unique;
  const char *dir = std::getenv("TMPDIR");
  std::string base = path.substr(path.find_last_of('/') + 1);
  return std::string(dir && *dir ? dir : "/tmp") + "/lucet-" + base + unique;
}

Status moveIntoPlace(const std::string &temp, const std::string &path) {
  struct stat st {};
  bool special = ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  if (!special) {
    if (::rename(temp.c_str(), path.c_str()) == 0) return Status::ok();
    int err = errno;
    ::unlink(temp.c_str());
    return Error::format("{}: cannot rename into place: {}", path, std::strerror(err));
  }
  Status status = Status::ok();
  if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    status = Error::format("{}: cannot write: it is {}, not a regular file", path,
                           describeFileType(st.st_mode));
  } else {
    UniqueFd in(::open(temp.c_str(), O_RDONLY | O_CLOEXEC));
    UniqueFd out(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!in)
      status = Error::format("{}: cannot read back: {}", temp, std::strerror(errno));
    else if (!out)
      status = Error::format("{}: cannot open: {}", path, std::strerror(errno));
    else
      status = copyInto(in.get(), out.get(), path);
  }
  ::unlink(temp.c_str());
  return status;
}

} // namespace lucet
