#pragma once

// A value or a WASI errno: the result of every WASI operation that produces
// something. Failures are ordinary guest-visible outcomes, not host errors,
// so they are not lucet::Error.

#include "wasi/WasiErrno.h"

#include <cassert>
#include <utility>
#include <variant>

namespace lucet::wasi {

template <typename T> class [[nodiscard]] ErrnoOr {
public:
  ErrnoOr(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  ErrnoOr(Errno error) : storage_(std::in_place_index<1>, error) {
    assert(error != Errno::Success);
  }

  explicit operator bool() const { return storage_.index() == 0; }
  T &operator*() { return std::get<0>(storage_); }
  const T &operator*() const { return std::get<0>(storage_); }
  T *operator->() { return &std::get<0>(storage_); }
  const T *operator->() const { return &std::get<0>(storage_); }
  Errno error() const { return storage_.index() == 0 ? Errno::Success : std::get<1>(storage_); }

private:
  std::variant<T, Errno> storage_;
};

} // namespace lucet::wasi

// Declares `var` from an ErrnoOr<T> expression, or returns its errno.
#define WASI_ASSIGN_OR_RETURN(var, expr)                                                           \
  auto var##OrErrno_ = (expr);                                                                     \
  if (!var##OrErrno_) return var##OrErrno_.error();                                                \
  auto var = std::move(*var##OrErrno_)

// Returns the errno of an expression producing Errno, unless it is Success.
#define WASI_TRY(expr)                                                                             \
  do {                                                                                             \
    ::lucet::wasi::Errno wasiTryErrno_ = (expr);                                                   \
    if (wasiTryErrno_ != ::lucet::wasi::Errno::Success) return wasiTryErrno_;                      \
  } while (0)
