#pragma once

// Collects a guest's arguments, environment, stdio and preopened directories,
// then opens everything at once in build(), so configuration errors surface
// before the guest starts.

#include "support/Expected.h"
#include "wasi/WasiCtx.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lucet::wasi {

class WasiCtxBuilder {
public:
  // The guest's argv, argv[0] included.
  WasiCtxBuilder &args(std::vector<std::string> args);
  // Adds KEY=VALUE to the guest's environment; repeatable, order kept.
  WasiCtxBuilder &env(std::string key, std::string value);
  // Guest fds 0, 1, 2 use the host's 0, 1, 2, which we never close. Without
  // this they read from and write to /dev/null.
  WasiCtxBuilder &inheritStdio();
  // Preopens the host directory `hostPath`, seen by the guest as `guestPath`,
  // as fd 3, 4, ... in call order.
  WasiCtxBuilder &preopenDir(std::string hostPath, std::string guestPath);

  // Errors name the host path and the reason:
  // "--dir: /nope: No such file or directory".
  Expected<std::unique_ptr<WasiCtx>> build();

private:
  std::vector<std::string> args_;
  std::vector<std::string> environ_;
  bool inheritStdio_ = false;
  std::vector<std::pair<std::string, std::string>> preopens_; // (host, guest)
};

} // namespace lucet::wasi
