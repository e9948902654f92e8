#include "wasi/WasiCtxBuilder.h"

#include "wasi/FiletypeMapping.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

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

// What a guest may do with a stream the host shares with others: read,
// write and ask about it, nothing that changes the file or the shared
// description.
constexpr Rights SharedStreamRights =
    rights::RegularFile &
    ~(rights::FdSeek | rights::FdTell | rights::FdAdvise | rights::FdAllocate |
      rights::FdFilestatSetSize | rights::FdFilestatSetTimes);

// The WASI status flags a host fd has now (0 if it is not open).
uint16_t hostStatusFlags(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return 0;
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= fdflags::Append;
  if (fl & O_NONBLOCK) flags |= fdflags::Nonblock;
  return flags;
}

constexpr const char *StreamNames[3] = {"stdin", "stdout", "stderr"};

// A stream given by the embedder goes one way: stdin is never written and
// stdout/stderr are never read.
Rights oneWay(Rights r, int stdFd) {
  return stdFd == 0 ? r & ~rights::Modifying : r & ~rights::FdRead;
}

// A memory file holding `data`, positioned at its start.
Expected<UniqueFd> memoryFileWith(const std::string &data) {
  UniqueFd fd(memfd_create("lucet-wasi-stdin", MFD_CLOEXEC));
  if (!fd) return Error::format("stdin: cannot create a memory file: {}", std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::format("stdin: cannot fill a memory file: {}", std::strerror(errno));
    done += size_t(n);
  }
  if (lseek(fd.get(), 0, SEEK_SET) != 0)
    return Error::format("stdin: cannot rewind a memory file: {}", std::strerror(errno));
  return fd;
}

// The entry for guest fd `stdFd` (0, 1 or 2), from the parts of a
// StdioStream: its kind, the host fd it was given, its path or bytes, and
// its capture.
Expected<FdEntry> stdioEntry(int stdFd, StdioStream::Kind kind, UniqueFd given,
                             const std::string &text,
                             const std::shared_ptr<OutputCapture> &capture) {
  const char *name = StreamNames[stdFd];
  UniqueFd fd;
  switch (kind) {
  case StdioStream::Kind::Inherit: {
    // The host's own stdio shares its open file description with whoever
    // started us (a shell's `>> app.log`), and changes to it outlive the
    // guest. So the guest gets stream rights only: no seeking (fd_pread
    // and fd_pwrite need it), truncating, times or allocation, and its
    // status flags live in the entry, starting as the host's.
    Filetype type = filetypeOfHostFd(stdFd);
    FdEntry entry = FdEntry::stdio(stdFd, type, SharedStreamRights, 0);
    entry.emulatedFlags = hostStatusFlags(stdFd);
    return entry;
  }
  case StdioStream::Kind::Null: {
    // Every guest shares the process's /dev/null, which is never closed:
    // opening one per guest would cost more than the rest of a WASI context.
    // Its flags live in the entry, and it has no rights that would change
    // the host's device node (times, size).
    static const int devNull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devNull < 0) return Error::format("/dev/null: {}", std::strerror(errno));
    FdEntry entry = FdEntry::stdio(devNull, Filetype::CharacterDevice, SharedStreamRights, 0);
    entry.emulatedFlags = 0;
    return entry;
  }
  case StdioStream::Kind::HostFd:
    if (!given) return Error::format("{}: no host descriptor (given to build() twice?)", name);
    fd = std::move(given);
    break;
  case StdioStream::Kind::Path:
    fd.reset(stdFd == 0 ? open(text.c_str(), O_RDONLY | O_CLOEXEC)
                        : open(text.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!fd) return Error::format("{}: {}: {}", name, text, std::strerror(errno));
    break;
  case StdioStream::Kind::Bytes: {
    if (stdFd != 0) return Error::format("{}: bytes can only be given to stdin", name);
    auto file = memoryFileWith(text);
    if (!file) return file.error();
    fd = std::move(*file);
    break;
  }
  case StdioStream::Kind::Capture: {
    if (stdFd == 0) return Error("stdin: output can only be captured from stdout or stderr");
    if (!capture) return Error::format("{}: no capture given", name);
    fd.reset(memfd_create(stdFd == 1 ? "lucet-wasi-stdout" : "lucet-wasi-stderr", MFD_CLOEXEC));
    if (!fd)
      return Error::format("{}: cannot create a memory file: {}", name, std::strerror(errno));
    UniqueFd reader(fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!reader) return Error::format("{}: {}", name, std::strerror(errno));
    capture->attach(std::move(reader));
    break;
  }
  }
  Filetype type = filetypeOfHostFd(fd.get());
  Rights r = oneWay(stdioRights(type), stdFd);
  return FdEntry::owning(std::move(fd), type, r, 0);
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
  for (StdioStream &s : stdio_) s = StdioStream::inherit();
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::stdinStream(StdioStream stream) {
  stdio_[0] = std::move(stream);
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::stdoutStream(StdioStream stream) {
  stdio_[1] = std::move(stream);
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::stderrStream(StdioStream stream) {
  stdio_[2] = std::move(stream);
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::preopenDir(std::string hostPath, std::string guestPath,
                                           DirAccess access) {
  preopens_.push_back(DirPreopen{std::move(hostPath), std::move(guestPath), access});
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::preopenTcpListener(TcpListenAddress address) {
  sockets_.push_back(SocketPreopen{std::move(address), UniqueFd()});
  return *this;
}

WasiCtxBuilder &WasiCtxBuilder::preopenSocket(UniqueFd listeningSocket) {
  sockets_.push_back(SocketPreopen{TcpListenAddress{}, std::move(listeningSocket)});
  return *this;
}

Expected<std::unique_ptr<WasiCtx>> WasiCtxBuilder::build() {
  auto ctx = std::make_unique<WasiCtx>(args_, environ_);
  FdTable &fds = ctx->fds();

  for (int stdFd = 0; stdFd < 3; ++stdFd) {
    StdioStream &stream = stdio_[size_t(stdFd)];
    auto entry =
        stdioEntry(stdFd, stream.kind_, std::move(stream.fd_), stream.text_, stream.capture_);
    if (!entry) return entry.error();
    fds.insertAt(static_cast<Fd>(stdFd), std::move(*entry));
  }

  for (const DirPreopen &dir : preopens_) {
    // Readable (not O_PATH) so fd_readdir works on the preopen itself.
    int fd = open(dir.hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error::format("--dir: {}: {}", dir.hostPath, std::strerror(errno));
    Rights base = rights::Directory;
    Rights inheriting = rights::DirectoryInheriting;
    if (dir.access == DirAccess::ReadOnly) {
      base &= ~rights::Modifying;
      inheriting &= ~rights::Modifying;
    }
    FdEntry entry = FdEntry::owning(UniqueFd(fd), Filetype::Directory, base, inheriting);
    entry.preopenName = dir.guestPath;
    fds.insert(std::move(entry));
  }

  // After the directories, unlike Wasmtime (bytecodealliance/wasmtime#3936):
  // wasi-libc finds preopened directories by asking fd 3, 4, ... until one
  // is not a preopen, so a socket before them would hide them.
  for (SocketPreopen &socket : sockets_) {
    UniqueFd fd;
    if (socket.given) {
      fd = std::move(socket.given);
    } else {
      auto listening = listenTcp(socket.address);
      if (!listening) return listening.error().withContext("--tcplisten");
      fd = std::move(*listening);
    }
    Filetype type = filetypeOfHostFd(fd.get());
    if (type != Filetype::SocketStream && type != Filetype::SocketDgram)
      return Error::format("preopened socket: host fd {} is not a socket", fd.get());
    fds.insert(FdEntry::owning(std::move(fd), type, rights::SocketListener, 0));
  }
  return ctx;
}

} // namespace lucet::wasi
