// wasi_unstable (snapshot 0) as adapters over the same WasiCtx: only the
// functions whose guest encoding differs have code here; the others are the
// preview1 functions, registered under the older module name.

#include "wasi/BindingSupport.h"
#include "wasi/WasiBindings.h"

#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

namespace lucet::wasi {

using namespace binding;

namespace {

ErrnoOr<snapshot0::FileStat> toSnapshot0(const FileStat &st) {
  // Snapshot 0 has no way to say more links than fit in 32 bits; Wasmtime's
  // adapter reports Overflow too rather than a wrong count.
  if (st.nlink > std::numeric_limits<uint32_t>::max()) return Errno::Overflow;
  snapshot0::FileStat out{};
  out.dev = st.dev;
  out.ino = st.ino;
  out.filetype = st.filetype;
  out.nlink = static_cast<uint32_t>(st.nlink);
  out.size = st.size;
  out.atim = st.atim;
  out.mtim = st.mtim;
  out.ctim = st.ctim;
  return out;
}

int32_t writeFileStat(const rt::GuestMemory &mem, int32_t statPtr, const ErrnoOr<FileStat> &st) {
  if (!st) return ret(st.error());
  auto old = toSnapshot0(*st);
  if (!old) return ret(old.error());
  mem.write(u32(statPtr), *old);
  return Ok;
}

Subscription toPreview1(const snapshot0::Subscription &old) {
  Subscription sub{};
  sub.userdata = old.userdata;
  sub.tag = old.tag;
  if (old.tag == EventType::Clock) {
    sub.u.clock.id = old.u.clock.id;
    sub.u.clock.timeout = old.u.clock.timeout;
    sub.u.clock.precision = old.u.clock.precision;
    sub.u.clock.flags = old.u.clock.flags;
  } else {
    sub.u.fdReadwrite.fd = old.u.fdReadwrite.fd;
  }
  return sub;
}

} // namespace

namespace unstable {

I32 fd_seek(abi::VMContext *vmctx, I32 fd, I64 offset, I32 whence, I32 newOffsetPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<uint64_t>(mem, newOffsetPtr)) return ret(Errno::Fault);
  Whence current;
  switch (u32(whence)) {
  case static_cast<uint32_t>(snapshot0::Whence::Cur):
    current = Whence::Cur;
    break;
  case static_cast<uint32_t>(snapshot0::Whence::End):
    current = Whence::End;
    break;
  case static_cast<uint32_t>(snapshot0::Whence::Set):
    current = Whence::Set;
    break;
  default:
    return ret(Errno::Inval);
  }
  return finish<uint64_t>(mem, newOffsetPtr,
                          ctxOf(vmctx).fdSeek(u32(fd), offset, static_cast<uint8_t>(current)));
}

I32 fd_filestat_get(abi::VMContext *vmctx, I32 fd, I32 statPtr) noexcept {
  auto mem = memOf(vmctx);
  if (!fits<snapshot0::FileStat>(mem, statPtr)) return ret(Errno::Fault);
  return writeFileStat(mem, statPtr, ctxOf(vmctx).fdFilestatGet(u32(fd)));
}

I32 path_filestat_get(abi::VMContext *vmctx, I32 fd, I32 flags, I32 path, I32 pathLen,
                      I32 statPtr) noexcept {
  auto mem = memOf(vmctx);
  auto p = mem.string(u32(path), u32(pathLen));
  if (!p) return ret(Errno::Fault);
  if (!fits<snapshot0::FileStat>(mem, statPtr)) return ret(Errno::Fault);
  return writeFileStat(mem, statPtr, ctxOf(vmctx).pathFilestatGet(u32(fd), u32(flags), *p));
}

I32 poll_oneoff(abi::VMContext *vmctx, I32 in, I32 out, I32 nsubscriptions,
                I32 neventsPtr) noexcept {
  auto mem = memOf(vmctx);
  uint32_t n = u32(nsubscriptions);
  if (!mem.inBounds(u32(in), uint64_t(n) * sizeof(snapshot0::Subscription)) ||
      !mem.inBounds(u32(out), uint64_t(n) * sizeof(Event)) || !fits<uint32_t>(mem, neventsPtr))
    return ret(Errno::Fault);
  std::vector<Subscription> subs(n);
  for (uint32_t i = 0; i < n; ++i)
    subs[i] = toPreview1(*mem.read<snapshot0::Subscription>(
        u32(in) + i * static_cast<uint32_t>(sizeof(snapshot0::Subscription))));
  auto events = ctxOf(vmctx).pollOneoff(subs);
  if (!events) return ret(events.error());
  if (!events->empty())
    std::memcpy(mem.base() + u32(out), events->data(), events->size() * sizeof(Event));
  mem.write<uint32_t>(u32(neventsPtr), static_cast<uint32_t>(events->size()));
  return Ok;
}

} // namespace unstable

namespace {

// The functions whose snapshot-0 encoding differs (registered from
// `unstable`), and sock_accept, which snapshot 0 does not have.
bool differsInUnstable(std::string_view name) {
  return name == "fd_seek" || name == "fd_filestat_get" || name == "path_filestat_get" ||
         name == "poll_oneoff" || name == "sock_accept";
}

} // namespace

void addWasiUnstable(rt::HostFunctionRegistry &registry) {
  constexpr const char *Module = "wasi_unstable";
#define WASI_FUNCTION(Name, Result, Params)                                                        \
  if (!differsInUnstable(#Name)) registry.define(Module, #Name, hostFunction<&preview1::Name>());
#include "wasi/WasiFunctions.def"
  registry.define(Module, "fd_seek", hostFunction<&unstable::fd_seek>());
  registry.define(Module, "fd_filestat_get", hostFunction<&unstable::fd_filestat_get>());
  registry.define(Module, "path_filestat_get", hostFunction<&unstable::path_filestat_get>());
  registry.define(Module, "poll_oneoff", hostFunction<&unstable::poll_oneoff>());
}

} // namespace lucet::wasi
