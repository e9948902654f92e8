#pragma once

// Collects a guest's arguments, environment, stdio and preopened directories,
// then opens everything at once in build(), so configuration errors surface
// before the guest starts.

#include "support/Expected.h"
#include "support/UniqueFd.h"
#include "wasi/StdioStream.h"
#include "wasi/TcpListener.h"
#include "wasi/WasiCtx.h"

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lucet::wasi {

// What the guest may do beneath a preopened directory.
enum class DirAccess {
  ReadWrite,
  // Read, list and stat only: no right that writes, creates, removes,
  // renames, links or changes times, on the directory or anything opened
  // beneath it (ENOTCAPABLE).
  ReadOnly,
};

class WasiCtxBuilder {
public:
  // The guest's argv, argv[0] included.
  WasiCtxBuilder &args(std::vector<std::string> args);
  // Adds KEY=VALUE to the guest's environment; repeatable, order kept.
  WasiCtxBuilder &env(std::string key, std::string value);
  // Guest fds 0, 1, 2 use the host's 0, 1, 2, which we never close. Without
  // this (or stdin/stdout/stderr) they read from and write to /dev/null.
  // Their open file descriptions are shared with the host, so the guest may
  // only read, write and stat them, and the flags it sets are its own.
  WasiCtxBuilder &inheritStdio();
  // One stream each. stdin gets no write rights and stdout/stderr no read
  // right, except for null() and inherit(), which keep the stream rights
  // of a terminal (no seek, truncation or times). bytes() is for stdin and
  // capture() for stdout/stderr only; build() refuses the other way round.
  WasiCtxBuilder &stdinStream(StdioStream stream);
  WasiCtxBuilder &stdoutStream(StdioStream stream);
  WasiCtxBuilder &stderrStream(StdioStream stream);
  // Preopens the host directory `hostPath`, seen by the guest as `guestPath`,
  // as fd 3, 4, ... in call order.
  WasiCtxBuilder &preopenDir(std::string hostPath, std::string guestPath,
                             DirAccess access = DirAccess::ReadWrite);
  // Listens on `address` in build() and gives the guest the listening
  // socket. Sockets come after every preopened directory, in call order
  // (wasi-libc stops looking for directories at the first descriptor that
  // is not one).
  WasiCtxBuilder &preopenTcpListener(TcpListenAddress address);
  // Gives the guest a socket the embedder already listens on; the guest may
  // only accept connections on it. Placed like preopenTcpListener's.
  WasiCtxBuilder &preopenSocket(UniqueFd listeningSocket);

  // Opens everything; call it once (streams given as host fds are moved
  // into the context). Errors name the host path or address and the reason:
  // "--dir: /nope: No such file or directory",
  // "--tcplisten: 127.0.0.1:80: cannot bind: Permission denied".
  Expected<std::unique_ptr<WasiCtx>> build();

private:
  std::vector<std::string> args_;
  std::vector<std::string> environ_;
  std::array<StdioStream, 3> stdio_ = {StdioStream::null(), StdioStream::null(),
                                       StdioStream::null()};
  struct DirPreopen {
    std::string hostPath;
    std::string guestPath;
    DirAccess access;
  };
  std::vector<DirPreopen> preopens_;
  // Each preopened socket: an address to listen on, or a socket given.
  struct SocketPreopen {
    TcpListenAddress address;
    UniqueFd given;
  };
  std::vector<SocketPreopen> sockets_;
};

} // namespace lucet::wasi
