#include "support/FileIO.h"

#include "support/UniqueFd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lucet {

Expected<std::vector<uint8_t>> readFile(const std::string &path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::format("{}: cannot open: {}", path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return Error::format("{}: cannot stat: {}", path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Error::format("{}: is a directory", path);
  std::vector<uint8_t> bytes;
  bytes.reserve(size_t(st.st_size));
  uint8_t buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::format("{}: cannot read: {}", path, std::strerror(errno));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
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
