#pragma once

// Opening the listening TCP sockets that a guest gets preopened
// (lucet-wasi --tcplisten, WasiCtxBuilder::preopenTcpListener).

#include "support/Expected.h"
#include "support/UniqueFd.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace lucet::wasi {

// Where to listen: a host (an IPv4 or IPv6 address, or a name such as
// "localhost") and a port (0: the kernel picks one).
struct TcpListenAddress {
  std::string host;
  uint16_t port = 0;
};

// "HOST:PORT", split at the last ':'; an IPv6 address is written in brackets
// ("[::1]:8080"). Errors say what is wrong with the text, without any prefix.
Expected<TcpListenAddress> parseTcpListenAddress(std::string_view text);

// Binds and listens (SO_REUSEADDR, close-on-exec, blocking) on the first
// address `address.host` resolves to. Errors name the address and the
// reason: "127.0.0.1:80: cannot bind: Permission denied".
Expected<UniqueFd> listenTcp(const TcpListenAddress &address);

} // namespace lucet::wasi
