#pragma once

// The host functions instances may import, by (module, name). Functions are
// ordinary C++ callables: their parameter and result types (int32_t,
// uint32_t, int64_t, uint64_t, float, double; void or one result) give the
// wasm type, and a first parameter `lucet::Caller &` gives access to the
// calling guest's memory:
//
//   linker.func("env", "add", [](int32_t a, int32_t b) { return a + b; });
//   linker.func("env", "log", [](lucet::Caller &c, uint32_t ptr, uint32_t len) {
//     if (auto s = c.string(ptr, len)) puts(std::string(*s).c_str());
//     else c.trap("log: string out of bounds");
//   });
//
// Host functions must not let C++ exceptions escape (one that does becomes a
// HostError trap); to throw a wasm exception the guest can catch, they use
// Caller::throwException. Copies of a Linker share their definitions.

#include "lucet/caller.hh"
#include "lucet/error.hh"
#include "lucet/export.h"
#include "lucet/tag.hh"
#include "lucet/value.hh"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

namespace lucet {

// A host function with its type given at run time: reads args (of the
// declared types) and writes every result.
using HostCallback = std::function<void(Caller &, std::span<const Val>, std::span<Val>)>;

namespace detail {

template <typename T> struct WasmType;
template <> struct WasmType<int32_t> { static constexpr ValType type = ValType::I32; };
template <> struct WasmType<uint32_t> { static constexpr ValType type = ValType::I32; };
template <> struct WasmType<int64_t> { static constexpr ValType type = ValType::I64; };
template <> struct WasmType<uint64_t> { static constexpr ValType type = ValType::I64; };
template <> struct WasmType<float> { static constexpr ValType type = ValType::F32; };
template <> struct WasmType<double> { static constexpr ValType type = ValType::F64; };

template <typename T> T fromVal(const Val &v) {
  if constexpr (std::is_same_v<T, float>)
    return v.f32();
  else if constexpr (std::is_same_v<T, double>)
    return v.f64();
  else if constexpr (sizeof(T) == 4)
    return T(v.i32());
  else
    return T(v.i64());
}
template <typename T> Val toVal(T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>)
    return Val(v);
  else if constexpr (sizeof(T) == 4)
    return Val(int32_t(v));
  else
    return Val(int64_t(v));
}

template <typename... T> struct TypeList {};

template <typename F> struct CallableTraits : CallableTraits<decltype(&F::operator())> {};
template <typename R, typename... A> struct CallableTraits<R (*)(A...)> {
  using Result = R;
  using Args = TypeList<A...>;
};
template <typename R, typename... A>
struct CallableTraits<R(A...)> : CallableTraits<R (*)(A...)> {};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) const> : CallableTraits<R (*)(A...)> {};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...)> : CallableTraits<R (*)(A...)> {};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) noexcept> : CallableTraits<R (*)(A...)> {};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) const noexcept> : CallableTraits<R (*)(A...)> {};

template <bool WithCaller, typename R, typename... A> struct Typed {
  template <typename F> static std::pair<FuncType, HostCallback> make(F f) {
    FuncType type{{WasmType<std::decay_t<A>>::type...}, {}};
    if constexpr (!std::is_void_v<R>) type.results.push_back(WasmType<R>::type);
    HostCallback cb = [f = std::move(f)](Caller &caller, std::span<const Val> args,
                                         std::span<Val> results) mutable {
      call(f, caller, args, results, std::index_sequence_for<A...>());
    };
    return {std::move(type), std::move(cb)};
  }
  template <typename F, size_t... I>
  static void call(F &f, Caller &caller, std::span<const Val> args, std::span<Val> results,
                   std::index_sequence<I...>) {
    auto invoke = [&]() -> decltype(auto) {
      if constexpr (WithCaller)
        return f(caller, fromVal<std::decay_t<A>>(args[I])...);
      else
        return f(fromVal<std::decay_t<A>>(args[I])...);
    };
    if constexpr (std::is_void_v<R>)
      invoke();
    else
      results[0] = toVal<R>(invoke());
  }
};

template <typename R, typename Args> struct SplitCaller;
template <typename R, typename... A> struct SplitCaller<R, TypeList<Caller &, A...>> {
  using Type = Typed<true, R, A...>;
};
template <typename R, typename... A> struct SplitCaller<R, TypeList<A...>> {
  using Type = Typed<false, R, A...>;
};

} // namespace detail

class LUCET_API Linker {
public:
  Linker();
  ~Linker();
  Linker(const Linker &);
  Linker &operator=(const Linker &);

  // Defines (or replaces) module.name. Fails for types host functions cannot
  // have here: several results, or more than 5 integer or 8 floating-point
  // parameters.
  Result<void> defineFunc(const std::string &module, const std::string &name, FuncType type,
                          HostCallback callback);

  // Defines (or replaces) module.name as an exception tag for guests to
  // import (tag.hh).
  Result<void> defineTag(const std::string &module, const std::string &name, const Tag &tag);

  // Typed registration: the wasm type comes from the callable's signature.
  template <typename F> Result<void> func(const std::string &module, const std::string &name, F f) {
    using Traits = detail::CallableTraits<std::remove_pointer_t<std::decay_t<F>>>;
    using Typed =
        typename detail::SplitCaller<typename Traits::Result, typename Traits::Args>::Type;
    auto [type, callback] = Typed::make(std::move(f));
    return defineFunc(module, name, std::move(type), std::move(callback));
  }

  struct Impl;
  const Impl &impl() const { return *impl_; }

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace lucet
