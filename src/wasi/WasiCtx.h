#pragma once

// The state of one WASI guest (arguments, environment, file descriptors) and
// the wasi_snapshot_preview1 operations on it, in host terms: spans, strings
// and integers in, WASI errno values out. Nothing here knows about guest
// memory or the runtime; WasiBindings.cpp decodes guest memory and calls in.
//
// Made by WasiCtxBuilder. Not thread-safe: one guest uses it at a time.

#include "wasi/ErrnoOr.h"
#include "wasi/FdTable.h"
#include "wasi/WasiTypes.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <sys/uio.h>
#include <vector>

namespace lucet::wasi {

class WasiCtx {
public:
  WasiCtx(std::vector<std::string> args, std::vector<std::string> env);

  // argv[0] first.
  const std::vector<std::string> &args() const { return args_; }
  // "KEY=VALUE" strings, in the order given.
  const std::vector<std::string> &environ() const { return environ_; }
  FdTable &fds() { return fds_; }

  // fd_*
  ErrnoOr<size_t> fdRead(Fd fd, std::span<const iovec> iovs);
  ErrnoOr<size_t> fdWrite(Fd fd, std::span<const iovec> iovs);
  ErrnoOr<size_t> fdPread(Fd fd, std::span<const iovec> iovs, uint64_t offset);
  ErrnoOr<size_t> fdPwrite(Fd fd, std::span<const iovec> iovs, uint64_t offset);
  Errno fdClose(Fd fd);
  Errno fdRenumber(Fd from, Fd to);
  ErrnoOr<uint64_t> fdSeek(Fd fd, int64_t offset, uint8_t whence);
  ErrnoOr<uint64_t> fdTell(Fd fd);
  ErrnoOr<FdStat> fdFdstatGet(Fd fd);
  Errno fdFdstatSetFlags(Fd fd, uint16_t flags);
  Errno fdFdstatSetRights(Fd fd, Rights base, Rights inheriting);
  // The length of the preopen's guest name; BadF for other fds.
  ErrnoOr<uint32_t> fdPrestatGet(Fd fd);
  ErrnoOr<std::string_view> fdPrestatDirName(Fd fd);
  ErrnoOr<FileStat> fdFilestatGet(Fd fd);
  Errno fdFilestatSetSize(Fd fd, uint64_t size);
  Errno fdFilestatSetTimes(Fd fd, Timestamp atim, Timestamp mtim, uint16_t flags);
  // Fills `out` with dirents starting at `cookie` (0 = the start); the last
  // one is cut where `out` ends. Returns the bytes used: less than
  // out.size() means the end of the directory was reached.
  ErrnoOr<uint32_t> fdReaddir(Fd fd, std::span<uint8_t> out, uint64_t cookie);
  Errno fdSync(Fd fd);
  Errno fdDatasync(Fd fd);
  Errno fdAdvise(Fd fd, uint64_t offset, uint64_t len, uint8_t advice);
  Errno fdAllocate(Fd fd, uint64_t offset, uint64_t len);

  // path_*
  ErrnoOr<Fd> pathOpen(Fd dirFd, uint32_t lookupFlags, std::string_view path, uint16_t oflags,
                       Rights rightsBase, Rights rightsInheriting, uint16_t fdFlags);
  ErrnoOr<FileStat> pathFilestatGet(Fd dirFd, uint32_t lookupFlags, std::string_view path);
  Errno pathFilestatSetTimes(Fd dirFd, uint32_t lookupFlags, std::string_view path, Timestamp atim,
                             Timestamp mtim, uint16_t flags);
  Errno pathCreateDirectory(Fd dirFd, std::string_view path);
  Errno pathRemoveDirectory(Fd dirFd, std::string_view path);
  Errno pathUnlinkFile(Fd dirFd, std::string_view path);
  Errno pathRename(Fd oldDirFd, std::string_view oldPath, Fd newDirFd, std::string_view newPath);
  Errno pathLink(Fd oldDirFd, uint32_t oldLookupFlags, std::string_view oldPath, Fd newDirFd,
                 std::string_view newPath);
  Errno pathSymlink(std::string_view target, Fd dirFd, std::string_view linkPath);
  // Copies the link's target into `out`, cut to its size; returns bytes used.
  ErrnoOr<uint32_t> pathReadlink(Fd dirFd, std::string_view path, std::span<uint8_t> out);

  // sock_* (WasiCtxSock.cpp): only on socket descriptors, else NotSock.
  // A new descriptor for the next connection on listening socket `fd`;
  // `flags` may only be fdflags::Nonblock, for the new connection.
  ErrnoOr<Fd> sockAccept(Fd fd, uint16_t flags);
  struct Received {
    size_t bytes = 0;
    uint16_t roflags = 0;
  };
  ErrnoOr<Received> sockRecv(Fd fd, std::span<const iovec> iovs, uint16_t riflags);
  ErrnoOr<size_t> sockSend(Fd fd, std::span<const iovec> iovs, uint16_t siflags);
  // `how` is sdflags::Rd, sdflags::Wr or both.
  Errno sockShutdown(Fd fd, uint8_t how);

  // clocks, randomness, scheduling
  ErrnoOr<Timestamp> clockTimeGet(uint32_t clockId, Timestamp precision);
  ErrnoOr<Timestamp> clockResGet(uint32_t clockId);
  Errno randomGet(std::span<uint8_t> out);
  Errno schedYield();
  // Waits until at least one subscription is ready; returns its events.
  ErrnoOr<std::vector<Event>> pollOneoff(std::span<const Subscription> subscriptions);

private:
  std::vector<std::string> args_;
  std::vector<std::string> environ_;
  FdTable fds_;
};

} // namespace lucet::wasi
