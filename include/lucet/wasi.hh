#pragma once

// What a WASI guest sees of the host: arguments, environment, stdio and
// preopened directories. Plain configuration: everything is opened when an
// instance is created with it, and errors (a preopen that does not exist)
// come back from Instance::create.

#include <string>
#include <utility>
#include <vector>

namespace lucet {

class WasiConfig {
public:
  // The guest's argv, argv[0] included.
  WasiConfig &args(std::vector<std::string> args) {
    args_ = std::move(args);
    return *this;
  }
  WasiConfig &env(std::string key, std::string value) {
    env_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  // Guest fds 0, 1, 2 are the host's; otherwise they are /dev/null.
  WasiConfig &inheritStdio(bool inherit = true) {
    inheritStdio_ = inherit;
    return *this;
  }
  // Host directory `hostPath` as `guestPath`, as fd 3, 4, ... in call order.
  // The guest can reach nothing outside it.
  WasiConfig &preopenDir(std::string hostPath, std::string guestPath) {
    preopens_.emplace_back(std::move(hostPath), std::move(guestPath));
    return *this;
  }

  const std::vector<std::string> &args() const { return args_; }
  const std::vector<std::pair<std::string, std::string>> &env() const { return env_; }
  bool inheritsStdio() const { return inheritStdio_; }
  const std::vector<std::pair<std::string, std::string>> &preopens() const { return preopens_; }

private:
  std::vector<std::string> args_;
  std::vector<std::pair<std::string, std::string>> env_;
  bool inheritStdio_ = false;
  std::vector<std::pair<std::string, std::string>> preopens_; // (host, guest)
};

} // namespace lucet
