#pragma once

#include "support/Error.h"

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace lucet {

// Either a value or an Error. A small stand-in for C++23's std::expected.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}

  explicit operator bool() const { return storage_.index() == 0; }
  bool hasValue() const { return storage_.index() == 0; }

  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  T &value() & {
    assert(hasValue());
    return std::get<0>(storage_);
  }
  const T &value() const & {
    assert(hasValue());
    return std::get<0>(storage_);
  }
  T &&value() && {
    assert(hasValue());
    return std::get<0>(std::move(storage_));
  }
  const Error &error() const {
    assert(!hasValue());
    return std::get<1>(storage_);
  }
  Error takeError() { return std::get<1>(std::move(storage_)); }

private:
  std::variant<T, Error> storage_;
};

// Success or an Error.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status ok() { return Status(); }

  explicit operator bool() const { return !error_.has_value(); }
  const Error &error() const { return *error_; }
  Error takeError() { return std::move(*error_); }

private:
  std::optional<Error> error_;
};

} // namespace lucet

// Propagates an error from an expression producing Status or Expected<T>.
#define LUCET_TRY(expr)                                                                            \
  do {                                                                                             \
    auto lucetTryResult_ = (expr);                                                                 \
    if (!lucetTryResult_) return lucetTryResult_.takeError();                                      \
  } while (0)

// Declares `var` from an Expected<T> expression, or propagates its error.
#define LUCET_ASSIGN_OR_RETURN(var, expr)                                                          \
  auto var##Expected_ = (expr);                                                                    \
  if (!var##Expected_) return var##Expected_.takeError();                                          \
  auto var = std::move(*var##Expected_)
