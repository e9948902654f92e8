#pragma once

// wasi_snapshot_preview1 as host functions: each decodes its arguments from
// guest memory (bounds-checked; Fault and nothing written when a pointer is
// out of range), calls the WasiCtx in vmctx->hostData, and writes results
// back.

#include "abi/InstanceContext.h"
#include "runtime/HostFunction.h"

#include <cstdint>

namespace lucet::wasi {

// Registers every wasi_snapshot_preview1 function under that module name;
// proc_raise, the one we do not implement, returns NoSys.
void addWasiSnapshotPreview1(rt::HostFunctionRegistry &registry);

// Registers the older wasi_unstable (snapshot 0) functions under that module
// name, so that binaries from older toolchains run: the preview1 code where
// the two agree, adapters in the `unstable` namespace where they do not, and
// no sock_accept, which snapshot 0 lacks.
void addWasiUnstable(rt::HostFunctionRegistry &registry);

// The host functions themselves, named as the guest imports them, with the
// guest calling convention (HostFunction.h). Exposed for tests.
namespace preview1 {
using I32 = int32_t;
using I64 = int64_t;
using Void = void;
#define WASI_PARAMS(...) abi::VMContext *vmctx __VA_OPT__(, ) __VA_ARGS__
#define WASI_FUNCTION(Name, Result, Params) Result Name(WASI_PARAMS Params) noexcept;
#include "wasi/WasiFunctions.def"
#undef WASI_PARAMS
} // namespace preview1

// The wasi_unstable functions whose encoding differs from preview1's; the
// rest of wasi_unstable is the preview1 functions above.
namespace unstable {
using preview1::I32;
using preview1::I64;
// whence is CUR=0, END=1, SET=2.
I32 fd_seek(abi::VMContext *vmctx, I32 fd, I64 offset, I32 whence, I32 newOffsetPtr) noexcept;
// The 56-byte filestat with a 32-bit nlink.
I32 fd_filestat_get(abi::VMContext *vmctx, I32 fd, I32 statPtr) noexcept;
I32 path_filestat_get(abi::VMContext *vmctx, I32 fd, I32 flags, I32 path, I32 pathLen,
                      I32 statPtr) noexcept;
// 56-byte subscriptions (clock ones carry an identifier); events as preview1.
I32 poll_oneoff(abi::VMContext *vmctx, I32 in, I32 out, I32 nsubscriptions,
                I32 neventsPtr) noexcept;
} // namespace unstable

} // namespace lucet::wasi
