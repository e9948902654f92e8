#include "wasi/WasiBindings.h"

#include "wasi/BindingSupport.h"

#include <array>
#include <cstring>
#include <span>
#include <vector>

namespace lucet::wasi {

namespace {

// writev and readv refuse more buffers than this (IOV_MAX on Linux).
constexpr uint32_t MaxIovecs = 1024;

using namespace binding;

// A call's guest iovecs as host ones: a few live on the stack (no
// allocation on the hot fd_write/fd_read path), more on the heap.
class HostIovecs {
public:
  HostIovecs() = default;
  HostIovecs(const HostIovecs &) = delete;
  HostIovecs &operator=(const HostIovecs &) = delete;

  Errno decode(const rt::GuestMemory &mem, int32_t iovs, int32_t count) {
    uint32_t n = u32(count);
    if (!mem.inBounds(u32(iovs), uint64_t(n) * sizeof(CIovec))) return Errno::Fault;
    if (n > MaxIovecs) return Errno::Inval;
    if (n > small_.size()) {
      large_.resize(n);
      data_ = large_.data();
    }
    for (uint32_t i = 0; i < n; ++i) {
      CIovec v = *mem.read<CIovec>(u32(iovs) + i * sizeof(CIovec));
      auto bytes = mem.slice(v.buf, v.bufLen);
      if (!bytes) return Errno::Fault;
      data_[i] = iovec{bytes->data(), bytes->size()};
    }
    size_ = n;
    return Errno::Success;
  }
  std::span<const iovec> span() const { return {data_, size_}; }

private:
  std::array<iovec, 8> small_;
  std::vector<iovec> large_;
  iovec *data_ = small_.data();
  size_t size_ = 0;
};

ErrnoOr<std::string_view> guestString(const rt::GuestMemory &mem, int32_t ptr, int32_t len) {
  auto s = mem.string(u32(ptr), u32(len));
  if (!s) return Errno::Fault;
  return *s;
}

// args_sizes_get and environ_sizes_get: count and bytes with terminators.
int32_t stringListSizes(abi::VMContext *vmctx, const std::vector<std::string> &list,
                        int32_t countPtr, int32_t bufSizePtr) {
  auto mem = memOf(vmctx);
  if (!fits<uint32_t>(mem, countPtr) || !fits<uint32_t>(mem, bufSizePtr)) return ret(Errno::Fault);
  uint64_t bytes = 0;
  for (const auto &s : list) bytes += s.size() + 1;
  mem.write<uint32_t>(u32(countPtr), static_cast<uint32_t>(list.size()));
  mem.write<uint32_t>(u32(bufSizePtr), static_cast<uint32_t>(bytes));
  return Ok;
}

// args_get and environ_get: NUL-terminated strings packed into `buf`, with a
// pointer to each in `ptrs`.
int32_t stringListGet(abi::VMContext *vmctx, const std::vector<std::string> &list, int32_t ptrs,
                      int32_t buf) {
  auto mem = memOf(vmctx);
  uint64_t bytes = 0;
  for (const auto &s : list) bytes += s.size() + 1;
  if (!mem.inBounds(u32(ptrs), uint64_t(list.size()) * 4) || !mem.inBounds(u32(buf), bytes))
    return ret(Errno::Fault);
  uint32_t at = u32(buf);
  for (size_t i = 0; i < list.size(); ++i) {
    mem.write<uint32_t>(u32(ptrs) + static_cast<uint32_t>(i * 4), at);
    std::memcpy(mem.base() + at, list[i].data(), list[i].size());
    mem.base()[at + list[i].size()] = 0;
    at += static_cast<uint32_t>(list[i].size() + 1);
  }
  return Ok;
}

} // namespace

namespace preview1 {

// Arguments and environment.

I32 args_get(abi::VMContext *vmctx, I32 argv, I32 argvBuf) noexcept {
  return stringListGet(vmctx, ctxOf(vmctx).args(), argv, argvBuf);
}

I32 args_sizes_get(abi::VMContext *vmctx, I32 argcPtr, I32 argvBufSizePtr) noexcept {
  return stringListSizes(vmctx, ctxOf(vmctx).args(), argcPtr, argvBufSizePtr);
}

I32 environ_get(abi::VMContext *vmctx, I32 environPtrs, I32 environBuf) noexcept {
  return stringListGet(vmctx, ctxOf(vmctx).environ(), environPtrs, environBuf);
}

I32 environ_sizes_get(abi::VMContext *vmctx, I32 countPtr, I32 bufSizePtr) noexcept {
  return stringListSizes(vmctx, ctxOf(vmctx).environ(), countPtr, bufSizePtr);
}

// Clocks, randomness, scheduling.

I32 clock_res_get(abi::VMContext *vmctx, I32 clockId, I32 resolutionPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<uint64_t>(mem, resolutionPtr)) return ret(Errno::Fault);
  return finish<uint64_t>(mem, resolutionPtr, ctxOf(vmctx).clockResGet(u32(clockId)));
}

I32 clock_time_get(abi::VMContext *vmctx, I32 clockId, I64 precision, I32 timePtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<uint64_t>(mem, timePtr)) return ret(Errno::Fault);
  return finish<uint64_t>(
      mem, timePtr, ctxOf(vmctx).clockTimeGet(u32(clockId), static_cast<uint64_t>(precision)));
}

I32 random_get(abi::VMContext *vmctx, I32 buf, I32 bufLen) noexcept {
  auto bytes = memOf(vmctx).slice(u32(buf), u32(bufLen));
  if (!bytes) return ret(Errno::Fault);
  return ret(ctxOf(vmctx).randomGet(*bytes));
}

I32 sched_yield(abi::VMContext *vmctx) noexcept {
  return ret(ctxOf(vmctx).schedYield());
}

I32 poll_oneoff(abi::VMContext *vmctx, I32 in, I32 out, I32 nsubscriptions,
                I32 neventsPtr) noexcept {
  auto mem = memOf(vmctx);
  uint32_t n = u32(nsubscriptions);
  if (!mem.inBounds(u32(in), uint64_t(n) * sizeof(Subscription)) ||
      !mem.inBounds(u32(out), uint64_t(n) * sizeof(Event)) || !fits<uint32_t>(mem, neventsPtr))
    return ret(Errno::Fault);
  std::vector<Subscription> subs(n);
  if (n) std::memcpy(subs.data(), mem.base() + u32(in), n * sizeof(Subscription));
  auto events = ctxOf(vmctx).pollOneoff(subs);
  if (!events) return ret(events.error());
  // At most one event per subscription, so they fit where the guest said.
  if (!events->empty())
    std::memcpy(mem.base() + u32(out), events->data(), events->size() * sizeof(Event));
  mem.write<uint32_t>(u32(neventsPtr), static_cast<uint32_t>(events->size()));
  return Ok;
}

// File descriptors.

I32 fd_advise(abi::VMContext *vmctx, I32 fd, I64 offset, I64 len, I32 advice) noexcept {
  return ret(ctxOf(vmctx).fdAdvise(u32(fd), static_cast<uint64_t>(offset),
                                   static_cast<uint64_t>(len), static_cast<uint8_t>(advice)));
}

I32 fd_allocate(abi::VMContext *vmctx, I32 fd, I64 offset, I64 len) noexcept {
  return ret(
      ctxOf(vmctx).fdAllocate(u32(fd), static_cast<uint64_t>(offset), static_cast<uint64_t>(len)));
}

I32 fd_close(abi::VMContext *vmctx, I32 fd) noexcept {
  return ret(ctxOf(vmctx).fdClose(u32(fd)));
}

I32 fd_datasync(abi::VMContext *vmctx, I32 fd) noexcept {
  return ret(ctxOf(vmctx).fdDatasync(u32(fd)));
}

I32 fd_fdstat_get(abi::VMContext *vmctx, I32 fd, I32 statPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<FdStat>(mem, statPtr)) return ret(Errno::Fault);
  auto st = ctxOf(vmctx).fdFdstatGet(u32(fd));
  if (!st) return ret(st.error());
  mem.write(u32(statPtr), *st);
  return Ok;
}

I32 fd_fdstat_set_flags(abi::VMContext *vmctx, I32 fd, I32 flags) noexcept {
  if (u32(flags) > 0xffff) return ret(Errno::Inval);
  return ret(ctxOf(vmctx).fdFdstatSetFlags(u32(fd), static_cast<uint16_t>(flags)));
}

I32 fd_fdstat_set_rights(abi::VMContext *vmctx, I32 fd, I64 rightsBase,
                         I64 rightsInheriting) noexcept {
  return ret(ctxOf(vmctx).fdFdstatSetRights(u32(fd), static_cast<Rights>(rightsBase),
                                            static_cast<Rights>(rightsInheriting)));
}

I32 fd_filestat_get(abi::VMContext *vmctx, I32 fd, I32 statPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<FileStat>(mem, statPtr)) return ret(Errno::Fault);
  auto st = ctxOf(vmctx).fdFilestatGet(u32(fd));
  if (!st) return ret(st.error());
  mem.write(u32(statPtr), *st);
  return Ok;
}

I32 fd_filestat_set_size(abi::VMContext *vmctx, I32 fd, I64 size) noexcept {
  return ret(ctxOf(vmctx).fdFilestatSetSize(u32(fd), static_cast<uint64_t>(size)));
}

I32 fd_filestat_set_times(abi::VMContext *vmctx, I32 fd, I64 atim, I64 mtim,
                          I32 fstFlags) noexcept {
  return ret(ctxOf(vmctx).fdFilestatSetTimes(u32(fd), static_cast<Timestamp>(atim),
                                             static_cast<Timestamp>(mtim),
                                             static_cast<uint16_t>(fstFlags)));
}

I32 fd_pread(abi::VMContext *vmctx, I32 fd, I32 iovs, I32 iovsLen, I64 offset,
             I32 nreadPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, iovs, iovsLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, nreadPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(
      mem, nreadPtr, ctxOf(vmctx).fdPread(u32(fd), host.span(), static_cast<uint64_t>(offset)));
}

I32 fd_prestat_get(abi::VMContext *vmctx, I32 fd, I32 prestatPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<Prestat>(mem, prestatPtr)) return ret(Errno::Fault);
  auto nameLen = ctxOf(vmctx).fdPrestatGet(u32(fd));
  if (!nameLen) return ret(nameLen.error());
  Prestat p{};
  p.tag = PreopenTypeDir;
  p.nameLen = *nameLen;
  mem.write(u32(prestatPtr), p);
  return Ok;
}

I32 fd_prestat_dir_name(abi::VMContext *vmctx, I32 fd, I32 path, I32 pathLen) noexcept {
  auto mem = memOf(vmctx);
  auto name = ctxOf(vmctx).fdPrestatDirName(u32(fd));
  if (!name) return ret(name.error());
  if (u32(pathLen) < name->size()) return ret(Errno::NameTooLong);
  auto bytes = mem.slice(u32(path), static_cast<uint32_t>(name->size()));
  if (!bytes) return ret(Errno::Fault);
  std::memcpy(bytes->data(), name->data(), name->size());
  return Ok;
}

I32 fd_pwrite(abi::VMContext *vmctx, I32 fd, I32 iovs, I32 iovsLen, I64 offset,
              I32 nwrittenPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, iovs, iovsLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, nwrittenPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(
      mem, nwrittenPtr, ctxOf(vmctx).fdPwrite(u32(fd), host.span(), static_cast<uint64_t>(offset)));
}

I32 fd_read(abi::VMContext *vmctx, I32 fd, I32 iovs, I32 iovsLen, I32 nreadPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, iovs, iovsLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, nreadPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(mem, nreadPtr, ctxOf(vmctx).fdRead(u32(fd), host.span()));
}

I32 fd_readdir(abi::VMContext *vmctx, I32 fd, I32 buf, I32 bufLen, I64 cookie,
               I32 bufusedPtr) noexcept {
  auto mem = memOf(vmctx);
  auto bytes = mem.slice(u32(buf), u32(bufLen));
  if (!bytes || !fits<uint32_t>(mem, bufusedPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(mem, bufusedPtr,
                          ctxOf(vmctx).fdReaddir(u32(fd), *bytes, static_cast<uint64_t>(cookie)));
}

I32 fd_renumber(abi::VMContext *vmctx, I32 fd, I32 to) noexcept {
  return ret(ctxOf(vmctx).fdRenumber(u32(fd), u32(to)));
}

I32 fd_seek(abi::VMContext *vmctx, I32 fd, I64 offset, I32 whence, I32 newOffsetPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<uint64_t>(mem, newOffsetPtr)) return ret(Errno::Fault);
  if (u32(whence) > 0xff) return ret(Errno::Inval);
  return finish<uint64_t>(mem, newOffsetPtr,
                          ctxOf(vmctx).fdSeek(u32(fd), offset, static_cast<uint8_t>(whence)));
}

I32 fd_sync(abi::VMContext *vmctx, I32 fd) noexcept {
  return ret(ctxOf(vmctx).fdSync(u32(fd)));
}

I32 fd_tell(abi::VMContext *vmctx, I32 fd, I32 offsetPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<uint64_t>(mem, offsetPtr)) return ret(Errno::Fault);
  return finish<uint64_t>(mem, offsetPtr, ctxOf(vmctx).fdTell(u32(fd)));
}

I32 fd_write(abi::VMContext *vmctx, I32 fd, I32 iovs, I32 iovsLen, I32 nwrittenPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, iovs, iovsLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, nwrittenPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(mem, nwrittenPtr, ctxOf(vmctx).fdWrite(u32(fd), host.span()));
}

// Paths.

I32 path_create_directory(abi::VMContext *vmctx, I32 fd, I32 path, I32 pathLen) noexcept {
  auto p = guestString(memOf(vmctx), path, pathLen);
  if (!p) return ret(p.error());
  return ret(ctxOf(vmctx).pathCreateDirectory(u32(fd), *p));
}

I32 path_filestat_get(abi::VMContext *vmctx, I32 fd, I32 flags, I32 path, I32 pathLen,
                      I32 statPtr) noexcept {
  auto mem = memOf(vmctx);
  auto p = guestString(mem, path, pathLen);
  if (!p) return ret(p.error());
  if (!fits<FileStat>(mem, statPtr)) return ret(Errno::Fault);
  auto st = ctxOf(vmctx).pathFilestatGet(u32(fd), u32(flags), *p);
  if (!st) return ret(st.error());
  mem.write(u32(statPtr), *st);
  return Ok;
}

I32 path_filestat_set_times(abi::VMContext *vmctx, I32 fd, I32 flags, I32 path, I32 pathLen,
                            I64 atim, I64 mtim, I32 fstFlags) noexcept {
  auto p = guestString(memOf(vmctx), path, pathLen);
  if (!p) return ret(p.error());
  return ret(ctxOf(vmctx).pathFilestatSetTimes(
      u32(fd), u32(flags), *p, static_cast<Timestamp>(atim), static_cast<Timestamp>(mtim),
      static_cast<uint16_t>(fstFlags)));
}

I32 path_link(abi::VMContext *vmctx, I32 oldFd, I32 oldFlags, I32 oldPath, I32 oldPathLen,
              I32 newFd, I32 newPath, I32 newPathLen) noexcept {
  auto mem = memOf(vmctx);
  auto from = guestString(mem, oldPath, oldPathLen);
  auto to = guestString(mem, newPath, newPathLen);
  if (!from || !to) return ret(Errno::Fault);
  return ret(ctxOf(vmctx).pathLink(u32(oldFd), u32(oldFlags), *from, u32(newFd), *to));
}

I32 path_open(abi::VMContext *vmctx, I32 fd, I32 dirFlags, I32 path, I32 pathLen, I32 oflags,
              I64 rightsBase, I64 rightsInheriting, I32 fdFlags, I32 openedFdPtr) noexcept {
  auto mem = memOf(vmctx);
  auto p = guestString(mem, path, pathLen);
  if (!p) return ret(p.error());
  // Checked before opening so that a bad pointer leaks no descriptor.
  if (!fits<uint32_t>(mem, openedFdPtr)) return ret(Errno::Fault);
  if (u32(oflags) > 0xffff || u32(fdFlags) > 0xffff) return ret(Errno::Inval);
  return finish<uint32_t>(
      mem, openedFdPtr,
      ctxOf(vmctx).pathOpen(u32(fd), u32(dirFlags), *p, static_cast<uint16_t>(oflags),
                            static_cast<Rights>(rightsBase), static_cast<Rights>(rightsInheriting),
                            static_cast<uint16_t>(fdFlags)));
}

I32 path_readlink(abi::VMContext *vmctx, I32 fd, I32 path, I32 pathLen, I32 buf, I32 bufLen,
                  I32 bufusedPtr) noexcept {
  auto mem = memOf(vmctx);
  auto p = guestString(mem, path, pathLen);
  auto out = mem.slice(u32(buf), u32(bufLen));
  if (!p || !out || !fits<uint32_t>(mem, bufusedPtr)) return ret(Errno::Fault);
  return finish<uint32_t>(mem, bufusedPtr, ctxOf(vmctx).pathReadlink(u32(fd), *p, *out));
}

I32 path_remove_directory(abi::VMContext *vmctx, I32 fd, I32 path, I32 pathLen) noexcept {
  auto p = guestString(memOf(vmctx), path, pathLen);
  if (!p) return ret(p.error());
  return ret(ctxOf(vmctx).pathRemoveDirectory(u32(fd), *p));
}

I32 path_rename(abi::VMContext *vmctx, I32 fd, I32 oldPath, I32 oldPathLen, I32 newFd, I32 newPath,
                I32 newPathLen) noexcept {
  auto mem = memOf(vmctx);
  auto from = guestString(mem, oldPath, oldPathLen);
  auto to = guestString(mem, newPath, newPathLen);
  if (!from || !to) return ret(Errno::Fault);
  return ret(ctxOf(vmctx).pathRename(u32(fd), *from, u32(newFd), *to));
}

I32 path_symlink(abi::VMContext *vmctx, I32 oldPath, I32 oldPathLen, I32 fd, I32 newPath,
                 I32 newPathLen) noexcept {
  auto mem = memOf(vmctx);
  auto target = guestString(mem, oldPath, oldPathLen);
  auto link = guestString(mem, newPath, newPathLen);
  if (!target || !link) return ret(Errno::Fault);
  return ret(ctxOf(vmctx).pathSymlink(*target, u32(fd), *link));
}

I32 path_unlink_file(abi::VMContext *vmctx, I32 fd, I32 path, I32 pathLen) noexcept {
  auto p = guestString(memOf(vmctx), path, pathLen);
  if (!p) return ret(p.error());
  return ret(ctxOf(vmctx).pathUnlinkFile(u32(fd), *p));
}

// Signals are not provided.

I32 proc_raise(abi::VMContext *, I32) noexcept {
  return ret(Errno::NoSys);
}

// Sockets: only those the host preopened and the connections accepted on
// them.

I32 sock_accept(abi::VMContext *vmctx, I32 fd, I32 flags, I32 fdPtr) noexcept {
  auto mem = memOf(vmctx);
  // Checked before accepting so that a bad pointer loses no connection.
  if (!fits<uint32_t>(mem, fdPtr)) return ret(Errno::Fault);
  if (u32(flags) > 0xffff) return ret(Errno::Inval);
  return finish<uint32_t>(mem, fdPtr,
                          ctxOf(vmctx).sockAccept(u32(fd), static_cast<uint16_t>(flags)));
}

I32 sock_recv(abi::VMContext *vmctx, I32 fd, I32 riData, I32 riDataLen, I32 riFlags,
              I32 roDataLenPtr, I32 roFlagsPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, riData, riDataLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, roDataLenPtr) || !fits<uint16_t>(mem, roFlagsPtr))
    return ret(Errno::Fault);
  if (u32(riFlags) > 0xffff) return ret(Errno::Inval);
  auto received = ctxOf(vmctx).sockRecv(u32(fd), host.span(), static_cast<uint16_t>(riFlags));
  if (!received) return ret(received.error());
  mem.write<uint32_t>(u32(roDataLenPtr), static_cast<uint32_t>(received->bytes));
  mem.write<uint16_t>(u32(roFlagsPtr), received->roflags);
  return Ok;
}

I32 sock_send(abi::VMContext *vmctx, I32 fd, I32 siData, I32 siDataLen, I32 siFlags,
              I32 soDataLenPtr) noexcept {
  auto mem = memOf(vmctx);
  HostIovecs host;
  if (Errno e = host.decode(mem, siData, siDataLen); e != Errno::Success) return ret(e);
  if (!fits<uint32_t>(mem, soDataLenPtr)) return ret(Errno::Fault);
  if (u32(siFlags) > 0xffff) return ret(Errno::Inval);
  return finish<uint32_t>(
      mem, soDataLenPtr,
      ctxOf(vmctx).sockSend(u32(fd), host.span(), static_cast<uint16_t>(siFlags)));
}

I32 sock_shutdown(abi::VMContext *vmctx, I32 fd, I32 how) noexcept {
  if (u32(how) > 0xff) return ret(Errno::Inval);
  return ret(ctxOf(vmctx).sockShutdown(u32(fd), static_cast<uint8_t>(how)));
}

} // namespace preview1

void addWasiSnapshotPreview1(rt::HostFunctionRegistry &registry) {
#define WASI_FUNCTION(Name, Result, Params)                                                        \
  registry.define("wasi_snapshot_preview1", #Name, binding::hostFunction<&preview1::Name>());
#include "wasi/WasiFunctions.def"
}

} // namespace lucet::wasi
