// wasi_unstable (snapshot 0): the adapters for the encodings that differ
// from preview1, and what is registered under that module name.

#include "WasiTestSupport.h"
#include "runtime/HostFunction.h"
#include "wasi/BindingSupport.h"
#include "wasi/WasiBindings.h"
#include "wasi/WasiCtxBuilder.h"

#include <gtest/gtest.h>

using namespace lucet;
using namespace lucet::wasi;
using lucet::wasi::test::FakeGuest;
using lucet::wasi::test::TempDir;

namespace {

constexpr int32_t Ok = 0;
int32_t err(Errno e) {
  return static_cast<int32_t>(e);
}

class UnstableTest : public ::testing::Test {
protected:
  void SetUp() override {
    tmp_.writeFile("data.txt", "0123456789");
    WasiCtxBuilder b;
    b.args({"prog"}).preopenDir(tmp_.str(), "/d");
    auto ctx = b.build();
    ASSERT_TRUE(ctx) << ctx.error().message();
    ctx_ = std::move(*ctx);
  }
  // Opens data.txt (fd 4, after stdio and the preopen) with every right.
  int32_t openData(FakeGuest &g) {
    g.storeBytes(100, "data.txt");
    EXPECT_EQ(preview1::path_open(g.vmctx(), 3, 0, 100, 8, 0, -1, 0, 0, 120), Ok);
    return static_cast<int32_t>(g.load<uint32_t>(120));
  }

  TempDir tmp_;
  std::unique_ptr<WasiCtx> ctx_;
};

TEST_F(UnstableTest, SeekWhenceIsCurEndSet) {
  FakeGuest g(*ctx_);
  int32_t fd = openData(g);
  ASSERT_EQ(unstable::fd_seek(g.vmctx(), fd, -3, 1, 200), Ok); // END
  EXPECT_EQ(g.load<uint64_t>(200), 7u);
  ASSERT_EQ(unstable::fd_seek(g.vmctx(), fd, 2, 2, 200), Ok); // SET
  EXPECT_EQ(g.load<uint64_t>(200), 2u);
  ASSERT_EQ(unstable::fd_seek(g.vmctx(), fd, 5, 0, 200), Ok); // CUR
  EXPECT_EQ(g.load<uint64_t>(200), 7u);
  EXPECT_EQ(unstable::fd_seek(g.vmctx(), fd, 0, 3, 200), err(Errno::Inval));
  EXPECT_EQ(unstable::fd_seek(g.vmctx(), fd, 0, 0x100, 200), err(Errno::Inval));
  EXPECT_EQ(unstable::fd_seek(g.vmctx(), fd, 0, 0, static_cast<int32_t>(g.size() - 4)),
            err(Errno::Fault));
  EXPECT_EQ(unstable::fd_seek(g.vmctx(), 99, 0, 0, 200), err(Errno::BadF));
}

TEST_F(UnstableTest, FilestatIs56BytesWithA32BitLinkCount) {
  FakeGuest g(*ctx_);
  int32_t fd = openData(g);
  g.store<uint64_t>(256, 0x5a5a5a5a5a5a5a5aull);
  ASSERT_EQ(unstable::fd_filestat_get(g.vmctx(), fd, 200), Ok);
  auto st = g.load<snapshot0::FileStat>(200);
  EXPECT_EQ(st.filetype, Filetype::RegularFile);
  EXPECT_EQ(st.nlink, 1u);
  EXPECT_EQ(st.size, 10u);
  EXPECT_NE(st.mtim, 0u);
  EXPECT_EQ(g.load<uint64_t>(256), 0x5a5a5a5a5a5a5a5aull) << "wrote past 56 bytes";

  // The same through a path, and the same values as preview1 reports.
  ASSERT_EQ(unstable::path_filestat_get(g.vmctx(), 3, 0, 100, 8, 300), Ok);
  auto byPath = g.load<snapshot0::FileStat>(300);
  ASSERT_EQ(preview1::fd_filestat_get(g.vmctx(), fd, 400), Ok);
  auto current = g.load<FileStat>(400);
  EXPECT_EQ(byPath.ino, current.ino);
  EXPECT_EQ(byPath.dev, current.dev);
  EXPECT_EQ(byPath.size, current.size);
  EXPECT_EQ(byPath.nlink, current.nlink);
  EXPECT_EQ(byPath.mtim, current.mtim);

  EXPECT_EQ(unstable::fd_filestat_get(g.vmctx(), fd, static_cast<int32_t>(g.size() - 55)),
            err(Errno::Fault));
  EXPECT_EQ(unstable::path_filestat_get(g.vmctx(), 3, 0, 100, 7, 300), err(Errno::NoEnt));
  EXPECT_EQ(unstable::fd_filestat_get(g.vmctx(), 99, 300), err(Errno::BadF));
}

TEST_F(UnstableTest, PollOneoffReadsTheClockIdentifierLayout) {
  FakeGuest g(*ctx_);
  snapshot0::Subscription subs[2]{};
  subs[0].userdata = 7;
  subs[0].tag = EventType::Clock;
  subs[0].u.clock.identifier = 99; // where preview1 has the clock id
  subs[0].u.clock.id = static_cast<uint32_t>(ClockId::Monotonic);
  subs[0].u.clock.timeout = 1'000'000;
  subs[1].userdata = 8;
  subs[1].tag = EventType::Clock;
  subs[1].u.clock.id = static_cast<uint32_t>(ClockId::Monotonic);
  subs[1].u.clock.timeout = 60'000'000'000ull; // never the first
  g.store(1000, subs[0]);
  g.store(1000 + sizeof(snapshot0::Subscription), subs[1]);
  ASSERT_EQ(unstable::poll_oneoff(g.vmctx(), 1000, 2000, 2, 300), Ok);
  ASSERT_EQ(g.load<uint32_t>(300), 1u);
  Event ev = g.load<Event>(2000);
  EXPECT_EQ(ev.userdata, 7u);
  EXPECT_EQ(ev.error, 0);
  EXPECT_EQ(ev.type, EventType::Clock);

  // An fd subscription: stdout (fd 1) is writable at once.
  snapshot0::Subscription fdSub{};
  fdSub.userdata = 9;
  fdSub.tag = EventType::FdWrite;
  fdSub.u.fdReadwrite.fd = 1;
  g.store(1000, fdSub);
  ASSERT_EQ(unstable::poll_oneoff(g.vmctx(), 1000, 2000, 1, 300), Ok);
  ASSERT_EQ(g.load<uint32_t>(300), 1u);
  EXPECT_EQ(g.load<Event>(2000).userdata, 9u);
  EXPECT_EQ(g.load<Event>(2000).type, EventType::FdWrite);

  EXPECT_EQ(unstable::poll_oneoff(g.vmctx(), 1000, 2000, 0, 300), err(Errno::Inval));
  EXPECT_EQ(unstable::poll_oneoff(g.vmctx(), static_cast<int32_t>(g.size() - 55), 2000, 1, 300),
            err(Errno::Fault));
}

TEST(WasiUnstableRegistry, SharedFunctionsAreThePreview1OnesAndSockAcceptIsAbsent) {
  rt::HostFunctionRegistry registry;
  addWasiUnstable(registry);
  EXPECT_EQ(registry.find("wasi_snapshot_preview1", "fd_write"), nullptr);
  const auto *fdWrite = registry.find("wasi_unstable", "fd_write");
  ASSERT_NE(fdWrite, nullptr);
  EXPECT_EQ(fdWrite->code, lucet::wasi::binding::hostFunction<&preview1::fd_write>().code);
  for (const char *name : {"args_get", "environ_get", "clock_time_get", "fd_read", "fd_readdir",
                           "path_open", "path_rename", "path_symlink", "proc_exit", "proc_raise",
                           "random_get", "sched_yield", "sock_recv", "sock_send", "sock_shutdown"})
    EXPECT_NE(registry.find("wasi_unstable", name), nullptr) << name;
  EXPECT_EQ(registry.find("wasi_unstable", "sock_accept"), nullptr);

  using V = std::vector<lucet::abi::ValTypeDesc>;
  const auto *seek = registry.find("wasi_unstable", "fd_seek");
  ASSERT_NE(seek, nullptr);
  EXPECT_EQ(seek->code, lucet::wasi::binding::hostFunction<&unstable::fd_seek>().code);
  EXPECT_EQ(seek->type.params, (V{0x7f, 0x7e, 0x7f, 0x7f}));
  EXPECT_EQ(registry.find("wasi_unstable", "fd_filestat_get")->code,
            lucet::wasi::binding::hostFunction<&unstable::fd_filestat_get>().code);
  EXPECT_EQ(registry.find("wasi_unstable", "path_filestat_get")->code,
            lucet::wasi::binding::hostFunction<&unstable::path_filestat_get>().code);
  EXPECT_EQ(registry.find("wasi_unstable", "poll_oneoff")->code,
            lucet::wasi::binding::hostFunction<&unstable::poll_oneoff>().code);

  // Both can be in one registry without disturbing each other.
  addWasiSnapshotPreview1(registry);
  EXPECT_EQ(registry.find("wasi_snapshot_preview1", "fd_seek")->code,
            lucet::wasi::binding::hostFunction<&preview1::fd_seek>().code);
  EXPECT_NE(registry.find("wasi_snapshot_preview1", "sock_accept"), nullptr);
}

} // namespace
