// The fd_* operations of WasiCtx.

#include "wasi/FiletypeMapping.h"
#include "wasi/HostStat.h"
#include "wasi/WasiCtx.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lucet::wasi {

WasiCtx::WasiCtx(std::vector<std::string> args, std::vector<std::string> env)
    : args_(std::move(args)), environ_(std::move(env)) {}

namespace {

ErrnoOr<size_t> hostResult(ssize_t n) {
  if (n < 0) return lastHostErrno();
  return static_cast<size_t>(n);
}

Errno hostStatus(int rc) {
  return rc == 0 ? Errno::Success : lastHostErrno();
}

int iovCount(std::span<const iovec> iovs) {
  return static_cast<int>(iovs.size());
}

// One buffer (what wasi-libc's read() and write() pass) goes through the
// plain call: Linux's vectored calls cost about 130 ns more each.
ssize_t readBuffers(int fd, std::span<const iovec> iovs) {
  if (iovs.size() == 1) return read(fd, iovs[0].iov_base, iovs[0].iov_len);
  return readv(fd, iovs.data(), iovCount(iovs));
}

ssize_t writeBuffers(int fd, std::span<const iovec> iovs) {
  if (iovs.size() == 1) return write(fd, iovs[0].iov_base, iovs[0].iov_len);
  return writev(fd, iovs.data(), iovCount(iovs));
}

ssize_t preadBuffers(int fd, std::span<const iovec> iovs, off_t offset) {
  if (iovs.size() == 1) return pread(fd, iovs[0].iov_base, iovs[0].iov_len, offset);
  return preadv(fd, iovs.data(), iovCount(iovs), offset);
}

ssize_t pwriteBuffers(int fd, std::span<const iovec> iovs, off_t offset) {
  if (iovs.size() == 1) return pwrite(fd, iovs[0].iov_base, iovs[0].iov_len, offset);
  return pwritev(fd, iovs.data(), iovCount(iovs), offset);
}

// For an entry whose Nonblock flag is emulated: Again unless the host fd is
// ready for `events` now, so the guest does not block on a description it
// must not make non-blocking. (Someone else sharing the description may take
// the data between the poll and the read; then the read blocks, as it would
// for any other process that shares a stream.)
Errno readyOrAgain(const FdEntry &entry, short events) {
  if (!entry.emulatedFlags || !(*entry.emulatedFlags & fdflags::Nonblock)) return Errno::Success;
  pollfd p{entry.hostFd, events, 0};
  int n = poll(&p, 1, 0);
  if (n < 0) return lastHostErrno();
  return n == 0 ? Errno::Again : Errno::Success;
}

} // namespace

ErrnoOr<size_t> WasiCtx::fdRead(Fd fd, std::span<const iovec> iovs) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdRead));
  WASI_TRY(readyOrAgain(*entry, POLLIN));
  return hostResult(readBuffers(entry->hostFd, iovs));
}

ErrnoOr<size_t> WasiCtx::fdWrite(Fd fd, std::span<const iovec> iovs) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdWrite));
  WASI_TRY(readyOrAgain(*entry, POLLOUT));
  if (entry->type == Filetype::SocketStream || entry->type == Filetype::SocketDgram) {
    // As sock_send: a closed peer is EPIPE, not a SIGPIPE for the host.
    msghdr msg{};
    msg.msg_iov = const_cast<iovec *>(iovs.data());
    msg.msg_iovlen = iovs.size();
    return hostResult(sendmsg(entry->hostFd, &msg, MSG_NOSIGNAL));
  }
  return hostResult(writeBuffers(entry->hostFd, iovs));
}

ErrnoOr<size_t> WasiCtx::fdPread(Fd fd, std::span<const iovec> iovs, uint64_t offset) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdRead | rights::FdSeek));
  if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  return hostResult(preadBuffers(entry->hostFd, iovs, static_cast<off_t>(offset)));
}

ErrnoOr<size_t> WasiCtx::fdPwrite(Fd fd, std::span<const iovec> iovs, uint64_t offset) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdWrite | rights::FdSeek));
  if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  return hostResult(pwriteBuffers(entry->hostFd, iovs, static_cast<off_t>(offset)));
}

Errno WasiCtx::fdClose(Fd fd) {
  return fds_.close(fd);
}

Errno WasiCtx::fdRenumber(Fd from, Fd to) {
  return fds_.renumber(from, to);
}

ErrnoOr<uint64_t> WasiCtx::fdSeek(Fd fd, int64_t offset, uint8_t whence) {
  int hostWhence;
  switch (static_cast<Whence>(whence)) {
  case Whence::Set:
    hostWhence = SEEK_SET;
    break;
  case Whence::Cur:
    hostWhence = SEEK_CUR;
    break;
  case Whence::End:
    hostWhence = SEEK_END;
    break;
  default:
    return Errno::Inval;
  }
  // Asking where we are is fd_tell in disguise and needs only that right.
  Rights needed = (offset == 0 && hostWhence == SEEK_CUR) ? rights::FdTell : rights::FdSeek;
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, needed));
  off_t pos = lseek(entry->hostFd, static_cast<off_t>(offset), hostWhence);
  if (pos < 0) return lastHostErrno();
  return static_cast<uint64_t>(pos);
}

ErrnoOr<uint64_t> WasiCtx::fdTell(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdTell));
  off_t pos = lseek(entry->hostFd, 0, SEEK_CUR);
  if (pos < 0) return lastHostErrno();
  return static_cast<uint64_t>(pos);
}

ErrnoOr<FdStat> WasiCtx::fdFdstatGet(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd));
  if (entry->emulatedFlags) {
    FdStat st{};
    st.filetype = entry->type;
    st.flags = *entry->emulatedFlags;
    st.rightsBase = entry->rightsBase;
    st.rightsInheriting = entry->rightsInheriting;
    return st;
  }
  int fl = fcntl(entry->hostFd, F_GETFL);
  if (fl < 0) return lastHostErrno();
  FdStat st{};
  st.filetype = entry->type;
  if (fl & O_APPEND) st.flags |= fdflags::Append;
  if (fl & O_NONBLOCK) st.flags |= fdflags::Nonblock;
  // O_SYNC includes the O_DSYNC bit on Linux, and O_RSYNC equals O_SYNC.
  if ((fl & O_SYNC) == O_SYNC)
    st.flags |= fdflags::Sync | fdflags::Rsync;
  else if (fl & O_DSYNC)
    st.flags |= fdflags::Dsync;
  st.rightsBase = entry->rightsBase;
  st.rightsInheriting = entry->rightsInheriting;
  return st;
}

Errno WasiCtx::fdFdstatSetFlags(Fd fd, uint16_t flags) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdFdstatSetFlags));
  if (flags & ~fdflags::All) return Errno::Inval;
  // A socket has only one flag to change (as in Wasmtime).
  bool socket = entry->type == Filetype::SocketStream || entry->type == Filetype::SocketDgram;
  if (socket && (flags & ~fdflags::Nonblock)) return Errno::Inval;
  // Linux cannot change the synchronisation flags of an open file.
  if (flags & (fdflags::Dsync | fdflags::Rsync | fdflags::Sync)) return Errno::NotSup;
  if (entry->emulatedFlags) {
    entry->emulatedFlags = uint16_t(flags & (fdflags::Append | fdflags::Nonblock));
    return Errno::Success;
  }
  int fl = fcntl(entry->hostFd, F_GETFL);
  if (fl < 0) return lastHostErrno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflags::Append) fl |= O_APPEND;
  if (flags & fdflags::Nonblock) fl |= O_NONBLOCK;
  return hostStatus(fcntl(entry->hostFd, F_SETFL, fl));
}

Errno WasiCtx::fdFdstatSetRights(Fd fd, Rights base, Rights inheriting) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd));
  // Rights can only be dropped, never gained.
  if ((base & ~entry->rightsBase) || (inheriting & ~entry->rightsInheriting))
    return Errno::NotCapable;
  entry->rightsBase = base;
  entry->rightsInheriting = inheriting;
  return Errno::Success;
}

ErrnoOr<uint32_t> WasiCtx::fdPrestatGet(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd));
  // wasi-libc scans fds from 3 until BadF to find the preopens.
  if (!entry->preopenName) return Errno::BadF;
  return static_cast<uint32_t>(entry->preopenName->size());
}

ErrnoOr<std::string_view> WasiCtx::fdPrestatDirName(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd));
  if (!entry->preopenName) return Errno::BadF;
  return std::string_view(*entry->preopenName);
}

ErrnoOr<FileStat> WasiCtx::fdFilestatGet(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdFilestatGet));
  struct stat st;
  if (fstat(entry->hostFd, &st) != 0) return lastHostErrno();
  FileStat fs = fileStatFromHost(st);
  // Keep the finer socket kind the table knows.
  if (entry->type == Filetype::SocketDgram) fs.filetype = entry->type;
  return fs;
}

Errno WasiCtx::fdFilestatSetSize(Fd fd, uint64_t size) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdFilestatSetSize));
  if (size > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  return hostStatus(ftruncate(entry->hostFd, static_cast<off_t>(size)));
}

Errno WasiCtx::fdFilestatSetTimes(Fd fd, Timestamp atim, Timestamp mtim, uint16_t flags) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdFilestatSetTimes));
  WASI_ASSIGN_OR_RETURN(times, timesFromWasi(atim, mtim, flags));
  return hostStatus(futimens(entry->hostFd, times.times));
}

namespace {

// The kernel's directory record, as getdents64 returns it.
struct LinuxDirent64 {
  uint64_t ino;
  int64_t off;
  uint16_t reclen;
  uint8_t type;
  char name[];
};

} // namespace

ErrnoOr<uint32_t> WasiCtx::fdReaddir(Fd fd, std::span<uint8_t> out, uint64_t cookie) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdReaddir));
  if (entry->type != Filetype::Directory) return Errno::NotDir;
  if (cookie > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  // A cookie is a directory position: the d_off the kernel gave the entry
  // before, which lseek on the directory accepts. 0 is the start.
  if (lseek(entry->hostFd, static_cast<off_t>(cookie), SEEK_SET) < 0) return lastHostErrno();

  size_t used = 0;
  alignas(8) char buffer[16 * 1024];
  while (used < out.size()) {
    long n = syscall(SYS_getdents64, entry->hostFd, buffer, sizeof(buffer));
    if (n < 0) return lastHostErrno();
    if (n == 0) break;
    for (long pos = 0; pos < n && used < out.size();) {
      const auto *d = reinterpret_cast<const LinuxDirent64 *>(buffer + pos);
      pos += d->reclen;
      size_t nameLen = std::strlen(d->name);
      Dirent header{};
      header.next = static_cast<uint64_t>(d->off);
      header.ino = d->ino;
      header.namlen = static_cast<uint32_t>(nameLen);
      header.type = filetypeFromDirentType(d->type);
      // An entry that does not fit is written up to the end of the buffer;
      // the guest sees a full buffer and asks again from this entry's cookie.
      size_t take = std::min(sizeof(header), out.size() - used);
      std::memcpy(out.data() + used, &header, take);
      used += take;
      take = std::min(nameLen, out.size() - used);
      std::memcpy(out.data() + used, d->name, take);
      used += take;
    }
  }
  return static_cast<uint32_t>(used);
}

Errno WasiCtx::fdSync(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdSync));
  return hostStatus(fsync(entry->hostFd));
}

Errno WasiCtx::fdDatasync(Fd fd) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdDatasync));
  return hostStatus(fdatasync(entry->hostFd));
}

Errno WasiCtx::fdAdvise(Fd fd, uint64_t offset, uint64_t len, uint8_t advice) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdAdvise));
  int hostAdvice;
  switch (static_cast<Advice>(advice)) {
  case Advice::Normal:
    hostAdvice = POSIX_FADV_NORMAL;
    break;
  case Advice::Sequential:
    hostAdvice = POSIX_FADV_SEQUENTIAL;
    break;
  case Advice::Random:
    hostAdvice = POSIX_FADV_RANDOM;
    break;
  case Advice::WillNeed:
    hostAdvice = POSIX_FADV_WILLNEED;
    break;
  case Advice::DontNeed:
    hostAdvice = POSIX_FADV_DONTNEED;
    break;
  case Advice::NoReuse:
    hostAdvice = POSIX_FADV_NOREUSE;
    break;
  default:
    return Errno::Inval;
  }
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  // posix_fadvise returns the error instead of setting errno.
  return errnoFromHost(posix_fadvise(entry->hostFd, static_cast<off_t>(offset),
                                     static_cast<off_t>(len), hostAdvice));
}

Errno WasiCtx::fdAllocate(Fd fd, uint64_t offset, uint64_t len) {
  WASI_ASSIGN_OR_RETURN(entry, fds_.get(fd, rights::FdAllocate));
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  // posix_fallocate returns the error instead of setting errno.
  return errnoFromHost(
      posix_fallocate(entry->hostFd, static_cast<off_t>(offset), static_cast<off_t>(len)));
}

} // namespace lucet::wasi
