#pragma once

// What the wasi_snapshot_preview1 and wasi_unstable bindings share: getting
// at the WasiCtx and guest memory from a VMContext, checking guest pointers,
// and describing a C++ host function to the registry. Internal to src/wasi.

#include "abi/InstanceContext.h"
#include "runtime/GuestMemory.h"
#include "runtime/HostFunction.h"
#include "runtime/Instance.h"
#include "wasi/WasiCtx.h"

#include <cstdint>
#include <type_traits>

namespace lucet::wasi::binding {

inline int32_t ret(Errno e) {
  return static_cast<int32_t>(e);
}
constexpr int32_t Ok = 0;

inline WasiCtx &ctxOf(abi::VMContext *vmctx) {
  return *static_cast<WasiCtx *>(vmctx->hostData);
}
inline rt::GuestMemory memOf(abi::VMContext *vmctx) {
  return rt::GuestMemory::fromVMContext(vmctx);
}

// Guest pointers and lengths are i32 values meant as unsigned.
inline uint32_t u32(int32_t v) {
  return static_cast<uint32_t>(v);
}

template <typename T> bool fits(const rt::GuestMemory &mem, int32_t ptr) {
  return mem.inBounds(u32(ptr), sizeof(T));
}

// Writes the value of a successful operation to `ptr` (checked beforehand).
template <typename T, typename V>
int32_t finish(const rt::GuestMemory &mem, int32_t ptr, const ErrnoOr<V> &result) {
  if (!result) return ret(result.error());
  mem.write<T>(u32(ptr), static_cast<T>(*result));
  return Ok;
}

template <typename T> constexpr abi::ValTypeCode wasmType() {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>,
                "WASI functions take and return only i32 and i64");
  return std::is_same_v<T, int32_t> ? 0x7f : 0x7e;
}

// How each binding reaches the guest: the call itself, then a stop if the
// run was interrupted meanwhile (kill switch or deadline; a blocking call
// returns EINTR for that). The binding's frame, with its destructors, is
// gone by then. The wasm type comes from the C++ declaration, so the
// registry and the code cannot disagree.
template <auto Fn> struct Binding;
template <typename R, typename... A, R (*Fn)(abi::VMContext *, A...) noexcept> struct Binding<Fn> {
  static R call(abi::VMContext *vmctx, A... args) noexcept {
    rt::Instance::ensureHostStackHeadroom();
    if (!vmctx->hostData)
      rt::Instance::trapFromHost(vmctx, abi::TrapCode::HostError,
                                 "a WASI function was called by an instance that has no WASI "
                                 "context");
    if constexpr (std::is_void_v<R>) {
      Fn(vmctx, args...);
      rt::Instance::stopIfInterrupted();
    } else {
      R result = Fn(vmctx, args...);
      rt::Instance::stopIfInterrupted();
      return result;
    }
  }
  static rt::HostFunction describe() {
    rt::HostFunction f;
    f.type.params = {wasmType<A>()...};
    if constexpr (!std::is_void_v<R>) f.type.results = {wasmType<R>()};
    f.code = reinterpret_cast<void *>(&call);
    return f;
  }
};

template <auto Fn> rt::HostFunction hostFunction() {
  return Binding<Fn>::describe();
}

} // namespace lucet::wasi::binding
