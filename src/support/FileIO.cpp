#include "support/FileIO.h"

#include "support/UniqueFd.h"

#include <cerrno>
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
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
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
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return Error::format("{}: cannot rename into place: {}", path, std::strerror(err));
  }
  return Status::ok();
}

} // namespace lucet
