// lucet-wasi --tcplisten: the guest tests/guests/sockets.c serves real TCP
// clients on 127.0.0.1 (never any other address). Every wait is bounded:
// client sockets time out, and the guest is killed if it runs too long.
#include "BackgroundProcess.h"
#include "ToolRunner.h"
#include "support/UniqueFd.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lucet::clitest {
namespace {

using namespace std::chrono_literals;

constexpr auto IoTimeout = 10s;

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A socket listening on a loopback port the kernel picked.
UniqueFd listenOnFreePort(uint16_t &port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = loopback(0);
  if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      ::listen(fd.get(), 1) != 0)
    return UniqueFd();
  socklen_t len = sizeof addr;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// A loopback port nothing listens on right now: the kernel's pick, released.
uint16_t freePort() {
  uint16_t port = 0;
  UniqueFd fd = listenOnFreePort(port);
  EXPECT_TRUE(fd.valid()) << std::strerror(errno);
  return port;
}

// Connects to 127.0.0.1:port, retrying for up to 5 s; reads and writes
// time out after IoTimeout.
UniqueFd connectLoopback(uint16_t port) {
  for (int attempt = 0; attempt < 250; ++attempt) {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    timeval tv{static_cast<time_t>(IoTimeout.count()), 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr = loopback(port);
    if (::connect(fd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) return fd;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "cannot connect to 127.0.0.1:" << port;
  return UniqueFd();
}

bool sendText(const UniqueFd &fd, const std::string &text) {
  return ::send(fd.get(), text.data(), text.size(), MSG_NOSIGNAL) == ssize_t(text.size());
}

// Reads exactly `n` bytes, or what came before an error, EOF or timeout.
std::string receive(const UniqueFd &fd, size_t n) {
  std::string got;
  char buf[256];
  while (got.size() < n) {
    ssize_t r = ::recv(fd.get(), buf, std::min(sizeof buf, n - got.size()), 0);
    if (r <= 0) break;
    got.append(buf, size_t(r));
  }
  return got;
}

// True when the peer closed its sending side (recv returns 0 in time).
bool atEof(const UniqueFd &fd) {
  char c;
  return ::recv(fd.get(), &c, 1, 0) == 0;
}

// Starts `sockets serve` listening on a free loopback port and waits for its
// "ready". The port is free when picked but could be taken before
// lucet-wasi binds it: then another is tried, three times at most.
std::unique_ptr<BackgroundProcess> startServer(uint16_t &port) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    port = freePort();
    auto guest = BackgroundProcess::start({LUCET_WASI_EXE, "--tcplisten",
                                           "127.0.0.1:" + std::to_string(port),
                                           guestPath("sockets"), "serve"},
                                          defaultEnvironment());
    if (!guest) return nullptr;
    if (guest->waitForStdout("ready\n", 30s)) return guest;
    auto r = guest->finish(5s);
    if (r.stderrText.find("Address already in use") == std::string::npos) {
      ADD_FAILURE() << "the guest did not get ready:\n" << r.stdoutText << r.stderrText;
      return nullptr;
    }
  }
  ADD_FAILURE() << "no free loopback port in three attempts";
  return nullptr;
}

TEST(SocketTest, GuestServesLoopbackClients) {
  uint16_t port = 0;
  // The guest checks that nobody is waiting before it says "ready".
  auto guest = startServer(port);
  ASSERT_TRUE(guest);

  UniqueFd a = connectLoopback(port);
  ASSERT_TRUE(a.valid());
  ASSERT_TRUE(sendText(a, "hello\n"));
  EXPECT_EQ(receive(a, 6), "HELLO\n");
  ASSERT_TRUE(sendText(a, "world\n"));
  EXPECT_EQ(receive(a, 6), "WORLD\n");
  // Two halves with a pause between: one WAITALL receive gets both.
  ASSERT_TRUE(sendText(a, "01234"));
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(sendText(a, "56789"));
  EXPECT_EQ(receive(a, 14), "10:0123456789\n");

  UniqueFd b = connectLoopback(port);
  ASSERT_TRUE(b.valid());
  ASSERT_TRUE(sendText(a, "x"));
  EXPECT_EQ(receive(b, 7), "second\n");
  EXPECT_EQ(receive(a, 6), "first\n");
  // The guest shut A down for writing.
  EXPECT_TRUE(atEof(a));
  b.reset();

  bool timedOut = false;
  auto r = guest->finish(30s, &timedOut);
  EXPECT_FALSE(timedOut);
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "errors: ok\nnonblocking accept: ok\npoll timeout: ok\nready\n"
                          "echo: ok\nread/write: ok\nwaitall: ok\ntwo clients: ok\ndone\n");
}

TEST(SocketTest, ListenersComeAfterPreopenedDirectories) {
  TempDir dir;
  writeText(dir.path() / "probe.txt", "probe\n");
  std::string first = "127.0.0.1:" + std::to_string(freePort());
  std::string second = "127.0.0.1:" + std::to_string(freePort());
  if (first == second) GTEST_SKIP() << "the kernel gave the same free port twice";
  auto r = runLucetWasi({"--tcplisten", first, "--dir", "/data:" + dir.str(), "--tcplisten", second,
                         guestPath("sockets"), "list", "/data/probe.txt"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  // The directory keeps fd 3, so wasi-libc finds it; the sockets follow.
  EXPECT_EQ(r.stdoutText, "socket fd 4\nsocket fd 5\nfile: probe\n");

  auto alone = runLucetWasi({"--tcplisten", first, guestPath("sockets"), "list"});
  EXPECT_EQ(alone.exitStatus, 0) << alone.stdoutText << alone.stderrText;
  EXPECT_EQ(alone.stdoutText, "socket fd 3\n");
}

TEST(SocketTest, OptionsAfterTheModule) {
  std::string address = "[::1]:" + std::to_string(freePort());
  auto r = runLucetWasi({guestPath("sockets"), "--tcplisten", address, "--", "list"});
  // ::1 may be missing where IPv6 is off; then the error must say so.
  if (r.exitStatus == 1) {
    EXPECT_NE(r.stderrText.find("--tcplisten: " + address), std::string::npos) << r.stderrText;
  } else {
    EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
    EXPECT_EQ(r.stdoutText, "socket fd 3\n");
  }
}

TEST(SocketTest, MalformedAddressesAreUsageErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"8080", "expected HOST:PORT"},
      {":8080", "the host (before ':') is empty"},
      {"127.0.0.1:", "is not a number from 0 to 65535"},
      {"127.0.0.1:65536", "is not a number from 0 to 65535"},
      {"127.0.0.1:80x", "is not a number from 0 to 65535"},
      {"127.0.0.1:-1", "is not a number from 0 to 65535"},
      {"::1:8080", "must be written in brackets"},
      {"[]:8080", "the host (before ':') is empty"},
  };
  for (const auto &[spec, message] : cases) {
    auto r = runLucetWasi({"--tcplisten", spec, guestPath("sockets"), "list"});
    EXPECT_EQ(r.exitStatus, 2) << spec << ": " << r.stderrText;
    EXPECT_TRUE(r.stderrText.starts_with("lucet-wasi: error: --tcplisten: '" + spec + "': "))
        << spec << ": " << r.stderrText;
    EXPECT_NE(r.stderrText.find(message), std::string::npos) << spec << ": " << r.stderrText;
    EXPECT_EQ(r.stdoutText, "") << spec;
  }
}

TEST(SocketTest, AddressInUseIsAnError) {
  uint16_t port = 0;
  UniqueFd taken = listenOnFreePort(port);
  ASSERT_TRUE(taken.valid());
  std::string address = "127.0.0.1:" + std::to_string(port);
  auto r = runLucetWasi({"--tcplisten", address, guestPath("sockets"), "list"});
  EXPECT_EQ(r.exitStatus, 1) << r.stderrText;
  EXPECT_NE(r.stderrText.find("lucet-wasi: error: --tcplisten: " + address +
                              ": cannot bind: Address already in use"),
            std::string::npos)
      << r.stderrText;
  EXPECT_EQ(r.stdoutText, "");
}

} // namespace
} // namespace lucet::clitest
