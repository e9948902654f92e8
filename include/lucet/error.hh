#pragma once

// Errors as values for the public API. No call into the library throws, and
// no exception ever crosses guest frames, so every fallible call returns a
// Result that must be looked at.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lucet {

// What went wrong, for a human. (Not `lucet::Error`: that name belongs to the
// internal layers, which the library is built with.)
class ApiError {
public:
  explicit ApiError(std::string message) : message_(std::move(message)) {}
  const std::string &message() const { return message_; }

private:
  std::string message_;
};

template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  Result(ApiError error) : storage_(std::in_place_index<1>, std::move(error)) {}

  explicit operator bool() const { return storage_.index() == 0; }
  bool ok() const { return storage_.index() == 0; }

  T &value() & {
    assert(ok());
    return std::get<0>(storage_);
  }
  const T &value() const & {
    assert(ok());
    return std::get<0>(storage_);
  }
  T &&value() && {
    assert(ok());
    return std::get<0>(std::move(storage_));
  }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  const ApiError &error() const {
    assert(!ok());
    return std::get<1>(storage_);
  }

private:
  std::variant<T, ApiError> storage_;
};

// Success or an ApiError.
template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(ApiError error) : error_(std::move(error)), failed_(true) {}

  explicit operator bool() const { return !failed_; }
  bool ok() const { return !failed_; }
  const ApiError &error() const {
    assert(failed_);
    return error_;
  }

private:
  ApiError error_{std::string()};
  bool failed_ = false;
};

} // namespace lucet
