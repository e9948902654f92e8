#include "wasi/WasiCtxBuilder.h"

#include "wasi/FiletypeMapping.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace lucet::wasi {

namespace {

// Rights for a stdio stream. wasi-libc's isatty() asks for a character
// device without seek and tell rights, so those are withheld from anything
// that cannot seek (terminals, pipes, sockets).
Rights stdioRights(Filetype type) {
  Rights r = rights::RegularFile;
  if (type != Filetype::RegularFile && type != Filetype::BlockDevice)
    r &= ~(rights::FdSeek | rights::FdTell);
  return r;
}

} // namespace

WasiCtxBuilder &WasiCtxBuilder::args(std::vector<std::string> args) {
  args_ = std::move(args);
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::env(std::string key, std::string value) {
  environ_.push_back(std::move(key) + "=" + value);
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::inheritStdio() {
  inheritStdio_ = true;
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::preopenDir(std::string hostPath, std::string guestPath) {
  preopens_.emplace_back(std::move(hostPath), std::move(guestPath));
  return *this;
}

Expected<std::unique_ptr<WasiCtx>> WasiCtxBuilder::build() {
  auto ctx = std::make_unique<WasiCtx>(args_, environ_);
  FdTable &fds = ctx->fds();

  for (int stdFd = 0; stdFd < 3; ++stdFd) {
    if (inheritStdio_) {
      Filetype type = filetypeOfHostFd(stdFd);
      fds.insertAt(static_cast<Fd>(stdFd), FdEntry::stdio(stdFd, type, stdioRights(type), 0));
      continue;
    }
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0) return Error::format("/dev/null: {}", std::strerror(errno));
    fds.insertAt(static_cast<Fd>(stdFd),
                 FdEntry::owning(UniqueFd(fd), Filetype::CharacterDevice,
                                 stdioRights(Filetype::CharacterDevice), 0));
  }

  for (const auto &[hostPath, guestPath] : preopens_) {
    // Readable (not O_PATH) so fd_readdir works on the preopen itself.
    int fd = open(hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error::format("--dir: {}: {}", hostPath, std::strerror(errno));
    FdEntry entry = FdEntry::owning(UniqueFd(fd), Filetype::Directory, rights::Directory,
                                    rights::DirectoryInheriting);
    entry.preopenName = guestPath;
    fds.insert(std::move(entry));
  }
  return ctx;
}

} // namespace lucet::wasi
