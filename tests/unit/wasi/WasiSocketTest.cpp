// The sock_* operations and preopened sockets, on WasiCtx directly, with a
// real TCP client on 127.0.0.1 (never any other address). Client sockets
// time out after a few seconds, so nothing here can hang.
#include "WasiTestSupport.h"
#include "wasi/TcpListener.h"
#include "wasi/WasiBindings.h"
#include "wasi/WasiCtxBuilder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

using namespace lucet;
using namespace lucet::wasi;

namespace {

uint16_t portOf(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
  return ntohs(addr.sin_port);
}

UniqueFd connectTo(uint16_t port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  timeval tv{5, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) return UniqueFd();
  return fd;
}

// A context whose fd 3 listens on a free loopback port.
struct ListeningCtx {
  ListeningCtx() {
    auto built = WasiCtxBuilder().preopenTcpListener({"127.0.0.1", 0}).build();
    if (!built) ADD_FAILURE() << built.error().message();
    ctx = std::move(*built);
    port = portOf((*ctx->fds().get(3))->hostFd);
  }
  std::unique_ptr<WasiCtx> ctx;
  uint16_t port = 0;
};

iovec bufferOf(std::string &s) {
  return iovec{s.data(), s.size()};
}

} // namespace

TEST(TcpListenAddress, Parses) {
  auto v4 = parseTcpListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parseTcpListenAddress("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  auto name = parseTcpListenAddress("localhost:65535");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "localhost");
  EXPECT_EQ(name->port, 65535);
  for (const char *bad :
       {"", "8080", ":1", "h:", "h:65536", "h:+1", "h: 1", "::1:80", "[]:1", "[::1:80", "a b:1"})
    EXPECT_FALSE(parseTcpListenAddress(bad)) << bad;
}

TEST(WasiSocket, PreopenedListenerHasListenerRightsOnly) {
  ListeningCtx l;
  auto st = l.ctx->fdFdstatGet(3);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->filetype, Filetype::SocketStream);
  EXPECT_EQ(st->rightsBase, rights::SocketListener);
  EXPECT_EQ(st->rightsInheriting, 0u);
  EXPECT_EQ(l.ctx->fdPrestatGet(3).error(), Errno::BadF);
  std::string buf(4, '\0');
  iovec iov = bufferOf(buf);
  EXPECT_EQ(l.ctx->fdRead(3, {&iov, 1}).error(), Errno::NotCapable);
  EXPECT_EQ(l.ctx->sockRecv(3, {&iov, 1}, 0).error(), Errno::NotCapable);
  EXPECT_EQ(l.ctx->sockSend(3, {&iov, 1}, 0).error(), Errno::NotCapable);
  EXPECT_EQ(l.ctx->sockShutdown(3, sdflags::Wr), Errno::NotCapable);
}

TEST(WasiSocket, AcceptSendReceiveShutdown) {
  ListeningCtx l;
  ASSERT_EQ(l.ctx->fdFdstatSetFlags(3, fdflags::Nonblock), Errno::Success);
  EXPECT_EQ(l.ctx->sockAccept(3, 0).error(), Errno::Again);
  EXPECT_EQ(l.ctx->sockAccept(3, fdflags::Append).error(), Errno::Inval);
  EXPECT_EQ(l.ctx->fdFdstatSetFlags(3, fdflags::Append), Errno::Inval);

  UniqueFd client = connectTo(l.port);
  ASSERT_TRUE(client.valid());
  // The connection may take a moment to reach the accept queue.
  pollfd pfd{(*l.ctx->fds().get(3))->hostFd, POLLIN, 0};
  ASSERT_EQ(poll(&pfd, 1, 5000), 1);
  auto conn = l.ctx->sockAccept(3, 0);
  ASSERT_TRUE(conn);
  EXPECT_EQ(*conn, 4u);
  auto st = l.ctx->fdFdstatGet(*conn);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->filetype, Filetype::SocketStream);
  EXPECT_EQ(st->rightsBase, rights::SocketConnection);
  EXPECT_EQ(st->flags, 0);
  EXPECT_EQ(l.ctx->sockAccept(*conn, 0).error(), Errno::NotCapable);

  ASSERT_EQ(send(client.get(), "ping", 4, 0), 4);
  std::string a(2, '\0'), b(8, '\0');
  iovec two[2] = {bufferOf(a), bufferOf(b)};
  // WAITALL: all of the 4 bytes even if they come in pieces.
  std::string exact(4, '\0');
  iovec exactIov = bufferOf(exact);
  auto peeked = l.ctx->sockRecv(*conn, {&exactIov, 1}, riflags::RecvPeek | riflags::RecvWaitall);
  ASSERT_TRUE(peeked);
  EXPECT_EQ(peeked->bytes, 4u);
  EXPECT_EQ(exact, "ping");
  auto got = l.ctx->sockRecv(*conn, two, 0);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, 4u);
  EXPECT_EQ(got->roflags, 0);
  EXPECT_EQ(a + b.substr(0, 2), "ping");
  EXPECT_EQ(l.ctx->sockRecv(*conn, two, 4).error(), Errno::Inval);

  std::string reply = "pong";
  iovec replyIov = bufferOf(reply);
  EXPECT_EQ(l.ctx->sockSend(*conn, {&replyIov, 1}, 1).error(), Errno::Inval);
  auto sent = l.ctx->sockSend(*conn, {&replyIov, 1}, 0);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 4u);
  char in[8] = {};
  EXPECT_EQ(recv(client.get(), in, 4, MSG_WAITALL), 4);
  EXPECT_EQ(std::string(in, 4), "pong");

  EXPECT_EQ(l.ctx->sockShutdown(*conn, 0), Errno::Inval);
  EXPECT_EQ(l.ctx->sockShutdown(*conn, 4), Errno::Inval);
  EXPECT_EQ(l.ctx->sockShutdown(*conn, sdflags::Wr), Errno::Success);
  EXPECT_EQ(recv(client.get(), in, sizeof in, 0), 0); // EOF
  // Writing after shutdown is EPIPE for the guest, never SIGPIPE for us.
  EXPECT_EQ(l.ctx->sockSend(*conn, {&replyIov, 1}, 0).error(), Errno::Pipe);
  EXPECT_EQ(l.ctx->fdWrite(*conn, {&replyIov, 1}).error(), Errno::Pipe);

  EXPECT_EQ(l.ctx->fdClose(*conn), Errno::Success);
  EXPECT_EQ(l.ctx->sockRecv(*conn, two, 0).error(), Errno::BadF);
}

TEST(WasiSocket, SockOperationsOnOtherDescriptors) {
  ListeningCtx l;
  std::string buf(4, '\0');
  iovec iov = bufferOf(buf);
  // fd 1 is /dev/null: not a socket, whatever its rights.
  EXPECT_EQ(l.ctx->sockAccept(1, 0).error(), Errno::NotSock);
  EXPECT_EQ(l.ctx->sockRecv(1, {&iov, 1}, 0).error(), Errno::NotSock);
  EXPECT_EQ(l.ctx->sockSend(1, {&iov, 1}, 0).error(), Errno::NotSock);
  EXPECT_EQ(l.ctx->sockShutdown(1, sdflags::Rd), Errno::NotSock);
  EXPECT_EQ(l.ctx->sockAccept(42, 0).error(), Errno::BadF);
  EXPECT_EQ(l.ctx->sockShutdown(42, sdflags::Rd), Errno::BadF);
}

TEST(WasiSocket, PollSeesPendingConnectionAndData) {
  ListeningCtx l;
  Subscription subs[2]{};
  subs[0].userdata = 1;
  subs[0].tag = EventType::FdRead;
  subs[0].u.fdReadwrite.fd = 3;
  subs[1].userdata = 2;
  subs[1].tag = EventType::Clock;
  subs[1].u.clock.id = static_cast<uint32_t>(ClockId::Monotonic);
  subs[1].u.clock.timeout = 20'000'000; // 20 ms
  auto events = l.ctx->pollOneoff(subs);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].userdata, 2u);

  UniqueFd client = connectTo(l.port);
  ASSERT_TRUE(client.valid());
  subs[1].u.clock.timeout = 5'000'000'000; // 5 s: never reached
  events = l.ctx->pollOneoff(subs);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].userdata, 1u);
  EXPECT_EQ((*events)[0].error, 0);
}

TEST(WasiSocket, SocketsComeAfterDirectories) {
  test::TempDir dir;
  auto built = WasiCtxBuilder()
                   .preopenTcpListener({"127.0.0.1", 0})
                   .preopenDir(dir.str(), "/d")
                   .preopenTcpListener({"127.0.0.1", 0})
                   .build();
  ASSERT_TRUE(built) << built.error().message();
  WasiCtx &ctx = **built;
  EXPECT_EQ(ctx.fdFdstatGet(3)->filetype, Filetype::Directory);
  EXPECT_EQ(ctx.fdFdstatGet(4)->filetype, Filetype::SocketStream);
  EXPECT_EQ(ctx.fdFdstatGet(5)->filetype, Filetype::SocketStream);
  EXPECT_FALSE(ctx.fds().contains(6));
}

TEST(WasiSocket, PreopenSocketRefusesNonSockets) {
  auto built = WasiCtxBuilder().preopenSocket(UniqueFd(open("/dev/null", O_RDONLY))).build();
  ASSERT_FALSE(built);
  EXPECT_NE(built.error().message().find("is not a socket"), std::string::npos);
}

TEST(WasiSocket, BindFailureNamesAddressAndReason) {
  ListeningCtx l;
  auto built = WasiCtxBuilder().preopenTcpListener({"127.0.0.1", l.port}).build();
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().message(), "--tcplisten: 127.0.0.1:" + std::to_string(l.port) +
                                         ": cannot bind: Address already in use");
}

TEST(WasiSocket, BindingsCheckPointersBeforeAccepting) {
  ListeningCtx l;
  UniqueFd client = connectTo(l.port);
  ASSERT_TRUE(client.valid());
  test::FakeGuest guest(*l.ctx);
  // An out-of-bounds result pointer: Fault, and the connection stays queued.
  EXPECT_EQ(preview1::sock_accept(guest.vmctx(), 3, 0, int32_t(guest.size() - 2)),
            int32_t(Errno::Fault));
  EXPECT_EQ(preview1::sock_accept(guest.vmctx(), 3, 0x10000, 16), int32_t(Errno::Inval));
  ASSERT_EQ(preview1::sock_accept(guest.vmctx(), 3, 0, 16), 0);
  EXPECT_EQ(guest.load<uint32_t>(16), 4u);

  ASSERT_EQ(send(client.get(), "abc", 3, 0), 3);
  // iovec {buf 100, len 8} at 32; results at 48 (size) and 52 (flags).
  guest.store<uint32_t>(32, 100);
  guest.store<uint32_t>(36, 8);
  EXPECT_EQ(preview1::sock_recv(guest.vmctx(), 4, 32, 1, 0, int32_t(guest.size()), 52),
            int32_t(Errno::Fault));
  ASSERT_EQ(preview1::sock_recv(guest.vmctx(), 4, 32, 1, 0, 48, 52), 0);
  EXPECT_GE(guest.load<uint32_t>(48), 1u);
  EXPECT_EQ(guest.load<uint16_t>(52), 0);
  EXPECT_EQ(std::memcmp(guest.at(100), "abc", guest.load<uint32_t>(48)), 0);

  EXPECT_EQ(preview1::sock_shutdown(guest.vmctx(), 4, 0x100), int32_t(Errno::Inval));
  EXPECT_EQ(preview1::sock_shutdown(guest.vmctx(), 4, sdflags::Rd | sdflags::Wr), 0);
}
