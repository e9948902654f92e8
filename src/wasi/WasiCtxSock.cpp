// The sock_* operations of WasiCtx, on the sockets the host preopened and
// the connections accepted from them. Guests cannot create sockets.

#include "wasi/WasiCtx.h"

#include <cerrno>
#include <sys/socket.h>

namespace lucet::wasi {

namespace {

bool isSocket(const FdEntry &entry) {
  return entry.type == Filetype::SocketStream || entry.type == Filetype::SocketDgram;
}

// The entry for a sock_* call: BadF for no such fd, NotSock for one that is
// not a socket (checked before rights, which a file never has for
// sock_accept or sock_shutdown), NotCapable for a missing right.
ErrnoOr<FdEntry *> socketEntry(FdTable &fds, Fd fd, Rights required) {
  WASI_ASSIGN_OR_RETURN(entry, fds.get(fd));
  if (!isSocket(*entry)) return Errno::NotSock;
  if ((entry->rightsBase & required) != required) return Errno::NotCapable;
  return entry;
}

msghdr messageOf(std::span<const iovec> iovs) {
  msghdr msg{};
  msg.msg_iov = const_cast<iovec *>(iovs.data());
  msg.msg_iovlen = iovs.size();
  return msg;
}

} // namespace

ErrnoOr<Fd> WasiCtx::sockAccept(Fd fd, uint16_t flags) {
  WASI_ASSIGN_OR_RETURN(listener, socketEntry(fds_, fd, rights::SockAccept));
  if (flags & ~fdflags::Nonblock) return Errno::Inval;
  // Whether accept waits is the listener's own O_NONBLOCK; `flags` is for
  // the connection.
  int hostFlags = SOCK_CLOEXEC | ((flags & fdflags::Nonblock) ? SOCK_NONBLOCK : 0);
  // EINTR is not retried: it is how the runtime's kill switch ends a guest
  // blocked here (the run stops when this call returns).
  int conn = accept4(listener->hostFd, nullptr, nullptr, hostFlags);
  if (conn < 0) return lastHostErrno();
  return fds_.insert(
      FdEntry::owning(UniqueFd(conn), Filetype::SocketStream, rights::SocketConnection, 0));
}

ErrnoOr<WasiCtx::Received> WasiCtx::sockRecv(Fd fd, std::span<const iovec> iovs, uint16_t riflags) {
  WASI_ASSIGN_OR_RETURN(entry, socketEntry(fds_, fd, rights::FdRead));
  if (riflags & ~riflags::All) return Errno::Inval;
  int hostFlags = 0;
  if (riflags & riflags::RecvPeek) hostFlags |= MSG_PEEK;
  if (riflags & riflags::RecvWaitall) hostFlags |= MSG_WAITALL;
  msghdr msg = messageOf(iovs);
  ssize_t n = recvmsg(entry->hostFd, &msg, hostFlags);
  if (n < 0) return lastHostErrno();
  Received r;
  r.bytes = static_cast<size_t>(n);
  if (msg.msg_flags & MSG_TRUNC) r.roflags |= roflags::RecvDataTruncated;
  return r;
}

ErrnoOr<size_t> WasiCtx::sockSend(Fd fd, std::span<const iovec> iovs, uint16_t siflags) {
  WASI_ASSIGN_OR_RETURN(entry, socketEntry(fds_, fd, rights::FdWrite));
  // preview1 defines no send flags.
  if (siflags != 0) return Errno::Inval;
  msghdr msg = messageOf(iovs);
  // MSG_NOSIGNAL: a peer that went away is EPIPE for the guest, never a
  // SIGPIPE that would kill the host process.
  ssize_t n = sendmsg(entry->hostFd, &msg, MSG_NOSIGNAL);
  if (n < 0) return lastHostErrno();
  return static_cast<size_t>(n);
}

Errno WasiCtx::sockShutdown(Fd fd, uint8_t how) {
  WASI_ASSIGN_OR_RETURN(entry, socketEntry(fds_, fd, rights::SockShutdown));
  int hostHow;
  switch (how) {
  case sdflags::Rd:
    hostHow = SHUT_RD;
    break;
  case sdflags::Wr:
    hostHow = SHUT_WR;
    break;
  case sdflags::Rd | sdflags::Wr:
    hostHow = SHUT_RDWR;
    break;
  default:
    return Errno::Inval;
  }
  return shutdown(entry->hostFd, hostHow) == 0 ? Errno::Success : lastHostErrno();
}

} // namespace lucet::wasi
