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
// those we do not implement return NoSys.
void addWasiSnapshotPreview1(rt::HostFunctionRegistry &registry);

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

} // namespace lucet::wasi
