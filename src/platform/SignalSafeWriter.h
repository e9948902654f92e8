#pragma once

// Formats a message without allocating and writes it with write(2): what a
// signal handler may do before it aborts the process.

#include <cstddef>
#include <cstdint>
#include <unistd.h>

namespace lucet::platform {

class SignalSafeWriter {
public:
  SignalSafeWriter &text(const char *s) {
    while (s && *s && length_ < sizeof buffer_) buffer_[length_++] = *s++;
    return *this;
  }
  SignalSafeWriter &hex(uint64_t value) {
    char digits[16];
    int n = 0;
    do {
      digits[n++] = "0123456789abcdef"[value & 15];
      value >>= 4;
    } while (value);
    text("0x");
    while (n > 0 && length_ < sizeof buffer_) buffer_[length_++] = digits[--n];
    return *this;
  }
  SignalSafeWriter &decimal(uint64_t value) {
    char digits[20];
    int n = 0;
    do {
      digits[n++] = char('0' + value % 10);
      value /= 10;
    } while (value);
    while (n > 0 && length_ < sizeof buffer_) buffer_[length_++] = digits[--n];
    return *this;
  }
  void writeTo(int fd) {
    size_t done = 0;
    while (done < length_) {
      ssize_t n = ::write(fd, buffer_ + done, length_ - done);
      if (n <= 0) return;
      done += size_t(n);
    }
  }

private:
  char buffer_[1024];
  size_t length_ = 0;
};

} // namespace lucet::platform
