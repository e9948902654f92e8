#include "wasi/TcpListener.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <netdb.h>
#include <sys/socket.h>

namespace lucet::wasi {

namespace {

// How many connections the kernel queues before the guest accepts them.
constexpr int ListenBacklog = 128;

std::string describe(const TcpListenAddress &address) {
  bool v6 = address.host.find(':') != std::string::npos;
  return v6 ? "[" + address.host + "]:" + std::to_string(address.port)
            : address.host + ":" + std::to_string(address.port);
}

} // namespace

Expected<TcpListenAddress> parseTcpListenAddress(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return Error::format("'{}': expected HOST:PORT (an IPv6 address in brackets)", text);
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Error::format("'{}': an IPv6 address must be written in brackets, as [::1]:8080", text);
  }
  if (host.empty()) return Error::format("'{}': the host (before ':') is empty", text);
  if (host.find_first_of("[] \t") != std::string_view::npos)
    return Error::format("'{}': '{}' is not a host name or address", text, host);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
    return Error::format("'{}': the port '{}' is not a number from 0 to 65535", text, port);
  return TcpListenAddress{std::string(host), static_cast<uint16_t>(value)};
}

Expected<UniqueFd> listenTcp(const TcpListenAddress &address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo *found = nullptr;
  std::string service = std::to_string(address.port);
  if (int rc = getaddrinfo(address.host.c_str(), service.c_str(), &hints, &found); rc != 0)
    return Error::format("{}: cannot resolve '{}': {}", describe(address), address.host,
                         gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);

  UniqueFd fd(socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd)
    return Error::format("{}: cannot create a socket: {}", describe(address), std::strerror(errno));
  // A restarted server can listen again at once on a port whose previous
  // connections are in TIME_WAIT.
  int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(fd.get(), found->ai_addr, found->ai_addrlen) != 0)
    return Error::format("{}: cannot bind: {}", describe(address), std::strerror(errno));
  if (listen(fd.get(), ListenBacklog) != 0)
    return Error::format("{}: cannot listen: {}", describe(address), std::strerror(errno));
  return fd;
}

} // namespace lucet::wasi
