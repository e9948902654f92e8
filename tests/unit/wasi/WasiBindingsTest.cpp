// The bindings, called as generated code would call them, with a fake
// VMContext whose memory is a vector.

#include "wasi/WasiBindings.h"
#include "WasiTestSupport.h"
#include "runtime/HostFunction.h"
#include "wasi/BindingSupport.h"
#include "wasi/WasiCtxBuilder.h"

#include <algorithm>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <set>
#include <unistd.h>

using namespace lucet;
using namespace lucet::wasi;
using namespace lucet::wasi::preview1;
using lucet::wasi::test::FakeGuest;
using lucet::wasi::test::TempDir;

namespace {

constexpr int32_t Ok = 0;
int32_t err(Errno e) {
  return static_cast<int32_t>(e);
}

std::unique_ptr<WasiCtx> buildCtx(WasiCtxBuilder &b) {
  auto ctx = b.build();
  EXPECT_TRUE(ctx) << (ctx ? "" : ctx.error().message());
  return std::move(*ctx);
}

// Places a ciovec array at `iovs` describing `bufs` (ptr, len) pairs.
void storeIovecs(FakeGuest &g, uint32_t iovs, std::vector<std::pair<uint32_t, uint32_t>> bufs) {
  for (size_t i = 0; i < bufs.size(); ++i) {
    g.store<uint32_t>(iovs + static_cast<uint32_t>(i * 8), bufs[i].first);
    g.store<uint32_t>(iovs + static_cast<uint32_t>(i * 8 + 4), bufs[i].second);
  }
}

} // namespace

TEST(WasiBindings, ArgsSizesAndContents) {
  WasiCtxBuilder b;
  b.args({"prog", "hello", ""});
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  ASSERT_EQ(args_sizes_get(g.vmctx(), 100, 104), Ok);
  EXPECT_EQ(g.load<uint32_t>(100), 3u);
  EXPECT_EQ(g.load<uint32_t>(104), 5u + 6u + 1u);
  ASSERT_EQ(args_get(g.vmctx(), 200, 300), Ok);
  EXPECT_EQ(g.load<uint32_t>(200), 300u);
  EXPECT_EQ(g.load<uint32_t>(204), 305u);
  EXPECT_EQ(g.load<uint32_t>(208), 311u);
  EXPECT_EQ(g.loadCString(300), "prog");
  EXPECT_EQ(g.loadCString(305), "hello");
  EXPECT_EQ(g.loadCString(311), "");
}

TEST(WasiBindings, EnvironSizesAndContents) {
  WasiCtxBuilder b;
  b.env("A", "1").env("PATH", "/bin:/usr/bin");
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  ASSERT_EQ(environ_sizes_get(g.vmctx(), 100, 104), Ok);
  EXPECT_EQ(g.load<uint32_t>(100), 2u);
  EXPECT_EQ(g.load<uint32_t>(104), 4u + 19u);
  ASSERT_EQ(environ_get(g.vmctx(), 200, 300), Ok);
  EXPECT_EQ(g.loadCString(g.load<uint32_t>(200)), "A=1");
  EXPECT_EQ(g.loadCString(g.load<uint32_t>(204)), "PATH=/bin:/usr/bin");
}

TEST(WasiBindings, ArgsOutOfBoundsIsFault) {
  WasiCtxBuilder b;
  b.args({"prog", "x"});
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  EXPECT_EQ(args_sizes_get(g.vmctx(), static_cast<int32_t>(g.size() - 2), 0), err(Errno::Fault));
  EXPECT_EQ(args_get(g.vmctx(), 0, static_cast<int32_t>(g.size() - 3)), err(Errno::Fault));
  // Nothing was written before the check failed.
  EXPECT_EQ(g.load<uint32_t>(0), 0u);
}

class PipeTest : public ::testing::Test {
protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    readEnd_ = UniqueFd(fds[0]);
    int writeEnd = fds[1];
    WasiCtxBuilder b;
    ctx_ = buildCtx(b);
    guestFd_ = ctx_->fds().insert(
        FdEntry::owning(UniqueFd(writeEnd), Filetype::Unknown, rights::FdWrite, 0));
  }
  std::string drain() {
    char buf[256];
    ssize_t n = read(readEnd_.get(), buf, sizeof(buf));
    return n <= 0 ? std::string() : std::string(buf, static_cast<size_t>(n));
  }

  UniqueFd readEnd_;
  std::unique_ptr<WasiCtx> ctx_;
  Fd guestFd_ = 0;
};

TEST_F(PipeTest, FdWriteGathersIovecs) {
  FakeGuest g(*ctx_);
  g.storeBytes(1000, "hello, ");
  g.storeBytes(2000, "world\n");
  storeIovecs(g, 100, {{1000, 7}, {2000, 6}, {3000, 0}});
  ASSERT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 3, 200), Ok);
  EXPECT_EQ(g.load<uint32_t>(200), 13u);
  EXPECT_EQ(drain(), "hello, world\n");
}

TEST_F(PipeTest, OutOfBoundsIovecIsFaultAndWritesNothing) {
  FakeGuest g(*ctx_);
  g.storeBytes(1000, "ok");
  g.store<uint32_t>(200, 0xdeadbeef);
  // The second buffer runs past the end of memory.
  storeIovecs(g, 100, {{1000, 2}, {g.size() - 4, 8}});
  EXPECT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 2, 200), err(Errno::Fault));
  // The iovec array itself past the end.
  EXPECT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), static_cast<int32_t>(g.size() - 4),
                     1, 200),
            err(Errno::Fault));
  // A huge buffer length that wraps 32 bits.
  storeIovecs(g, 100, {{1000, 0xffffffffu}});
  EXPECT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 1, 200), err(Errno::Fault));
  // nwritten out of bounds: checked before anything is written.
  storeIovecs(g, 100, {{1000, 2}});
  EXPECT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 1, -1), err(Errno::Fault));
  EXPECT_EQ(drain(), "");
  EXPECT_EQ(g.load<uint32_t>(200), 0xdeadbeefu);
}

TEST_F(PipeTest, RightsAndBadFds) {
  FakeGuest g(*ctx_);
  storeIovecs(g, 100, {{1000, 4}});
  EXPECT_EQ(fd_read(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 1, 200),
            err(Errno::NotCapable));
  EXPECT_EQ(fd_write(g.vmctx(), 99, 100, 1, 200), err(Errno::BadF));
  EXPECT_EQ(fd_close(g.vmctx(), static_cast<int32_t>(guestFd_)), Ok);
  EXPECT_EQ(fd_write(g.vmctx(), static_cast<int32_t>(guestFd_), 100, 1, 200), err(Errno::BadF));
}

TEST(WasiBindings, StdioWithoutInheritIsDevNull) {
  WasiCtxBuilder b;
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  storeIovecs(g, 100, {{1000, 16}});
  ASSERT_EQ(fd_read(g.vmctx(), 0, 100, 1, 200), Ok);
  EXPECT_EQ(g.load<uint32_t>(200), 0u);
  ASSERT_EQ(fd_fdstat_get(g.vmctx(), 1, 300), Ok);
  EXPECT_EQ(g.at(300)[0], static_cast<uint8_t>(Filetype::CharacterDevice));
  EXPECT_EQ(g.load<uint64_t>(308) & rights::FdSeek, 0u);
}

class PreopenTest : public ::testing::Test {
protected:
  void SetUp() override {
    tmp_.mkdir("root");
    tmp_.mkdir("outside");
    WasiCtxBuilder b;
    b.args({"prog"}).preopenDir(tmp_.str("root"), "/sandbox").preopenDir(tmp_.str("outside"), ".");
    ctx_ = buildCtx(b);
  }
  // Stores `s` at `ptr` and returns its length, for (ptr, len) arguments.
  int32_t put(FakeGuest &g, uint32_t ptr, const std::string &s) {
    g.storeBytes(ptr, s);
    return static_cast<int32_t>(s.size());
  }

  TempDir tmp_;
  std::unique_ptr<WasiCtx> ctx_;
};

TEST_F(PreopenTest, PreopensAreNumberedFromThree) {
  FakeGuest g(*ctx_);
  ASSERT_EQ(fd_prestat_get(g.vmctx(), 3, 100), Ok);
  EXPECT_EQ(g.at(100)[0], 0); // preopentype dir
  EXPECT_EQ(g.load<uint32_t>(104), 8u);
  ASSERT_EQ(fd_prestat_dir_name(g.vmctx(), 3, 200, 8), Ok);
  EXPECT_EQ(g.loadString(200, 8), "/sandbox");
  EXPECT_EQ(fd_prestat_dir_name(g.vmctx(), 3, 200, 4), err(Errno::NameTooLong));
  ASSERT_EQ(fd_prestat_get(g.vmctx(), 4, 100), Ok);
  EXPECT_EQ(g.load<uint32_t>(104), 1u);
  EXPECT_EQ(fd_prestat_get(g.vmctx(), 5, 100), err(Errno::BadF));
  EXPECT_EQ(fd_prestat_get(g.vmctx(), 1, 100), err(Errno::BadF));

  ASSERT_EQ(fd_fdstat_get(g.vmctx(), 3, 300), Ok);
  EXPECT_EQ(g.at(300)[0], static_cast<uint8_t>(Filetype::Directory));
  EXPECT_NE(g.load<uint64_t>(308) & rights::PathOpen, 0u);
}

TEST_F(PreopenTest, PathOpenCreateWriteReadBack) {
  FakeGuest g(*ctx_);
  int32_t len = put(g, 100, "new.txt");
  Rights rw =
      rights::FdRead | rights::FdWrite | rights::FdSeek | rights::FdTell | rights::FdFilestatGet;
  ASSERT_EQ(path_open(g.vmctx(), 3, 0, 100, len, oflags::Creat | oflags::Trunc,
                      static_cast<int64_t>(rw), 0, 0, 200),
            Ok);
  int32_t fd = static_cast<int32_t>(g.load<uint32_t>(200));
  EXPECT_EQ(fd, 5); // lowest free after stdio and the two preopens

  g.storeBytes(1000, "written by the guest");
  storeIovecs(g, 300, {{1000, 20}});
  ASSERT_EQ(fd_write(g.vmctx(), fd, 300, 1, 400), Ok);
  EXPECT_EQ(g.load<uint32_t>(400), 20u);
  EXPECT_EQ(tmp_.readFile("root/new.txt"), "written by the guest");

  ASSERT_EQ(fd_tell(g.vmctx(), fd, 408), Ok);
  EXPECT_EQ(g.load<uint64_t>(408), 20u);
  ASSERT_EQ(fd_seek(g.vmctx(), fd, 8, static_cast<int32_t>(Whence::Set), 408), Ok);
  EXPECT_EQ(g.load<uint64_t>(408), 8u);
  storeIovecs(g, 300, {{2000, 3}, {2100, 100}});
  ASSERT_EQ(fd_read(g.vmctx(), fd, 300, 2, 400), Ok);
  EXPECT_EQ(g.load<uint32_t>(400), 12u);
  EXPECT_EQ(g.loadString(2000, 3), "by ");
  EXPECT_EQ(g.loadString(2100, 9), "the guest");

  ASSERT_EQ(fd_filestat_get(g.vmctx(), fd, 500), Ok);
  EXPECT_EQ(g.at(516)[0], static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(g.load<uint64_t>(532), 20u); // size
  EXPECT_EQ(g.load<uint64_t>(524), 1u);  // nlink

  ASSERT_EQ(fd_close(g.vmctx(), fd), Ok);
  EXPECT_EQ(fd_close(g.vmctx(), fd), err(Errno::BadF));
}

TEST_F(PreopenTest, PathOpenFlags) {
  FakeGuest g(*ctx_);
  tmp_.writeFile("root/f", "0123456789");
  int32_t len = put(g, 100, "f");
  Rights w = rights::FdWrite;
  EXPECT_EQ(path_open(g.vmctx(), 3, 0, 100, len, oflags::Creat | oflags::Excl,
                      static_cast<int64_t>(w), 0, 0, 200),
            err(Errno::Exist));
  EXPECT_EQ(path_open(g.vmctx(), 3, 0, 100, len, oflags::Directory, 0, 0, 0, 200),
            err(Errno::NotDir));
  ASSERT_EQ(
      path_open(g.vmctx(), 3, 0, 100, len, 0, static_cast<int64_t>(w), 0, fdflags::Append, 200),
      Ok);
  int32_t fd = static_cast<int32_t>(g.load<uint32_t>(200));
  ASSERT_EQ(fd_fdstat_get(g.vmctx(), fd, 300), Ok);
  EXPECT_EQ(g.load<uint16_t>(302) & fdflags::Append, fdflags::Append);
  g.storeBytes(1000, "AB");
  storeIovecs(g, 400, {{1000, 2}});
  ASSERT_EQ(fd_write(g.vmctx(), fd, 400, 1, 500), Ok);
  EXPECT_EQ(tmp_.readFile("root/f"), "0123456789AB");
  ASSERT_EQ(path_open(g.vmctx(), 3, 0, 100, len, oflags::Trunc, static_cast<int64_t>(w), 0, 0, 200),
            Ok);
  EXPECT_EQ(tmp_.readFile("root/f"), "");
  // The opened fd_write-only file cannot be read.
  storeIovecs(g, 400, {{1000, 2}});
  EXPECT_EQ(fd_read(g.vmctx(), fd, 400, 1, 500), err(Errno::NotCapable));
}

TEST_F(PreopenTest, PathOpenRefusesEscapesAndCreatesNothingOutside) {
  FakeGuest g(*ctx_);
  tmp_.symlink("../outside", "root/link");
  for (const char *path : {"../outside/x", "/x", "link/x", "../root/../outside/x"}) {
    int32_t len = put(g, 100, path);
    EXPECT_EQ(path_open(g.vmctx(), 3, lookupflags::SymlinkFollow, 100, len, oflags::Creat,
                        static_cast<int64_t>(rights::FdWrite), 0, 0, 200),
              err(Errno::NotCapable))
        << path;
  }
  EXPECT_TRUE(std::filesystem::is_empty(tmp_.path() / "outside"));
  // A bad result pointer fails before the file is created.
  int32_t len = put(g, 100, "ok.txt");
  EXPECT_EQ(path_open(g.vmctx(), 3, 0, 100, len, oflags::Creat,
                      static_cast<int64_t>(rights::FdWrite), 0, 0, -2),
            err(Errno::Fault));
  EXPECT_FALSE(tmp_.exists("root/ok.txt"));
}

namespace {

struct ListedEntry {
  uint64_t next;
  std::string name;
  Filetype type;
};

// Parses complete dirents from a readdir buffer.
std::vector<ListedEntry> parseDirents(FakeGuest &g, uint32_t buf, uint32_t used) {
  std::vector<ListedEntry> out;
  uint32_t at = buf;
  while (at + sizeof(Dirent) <= buf + used) {
    Dirent d = g.load<Dirent>(at);
    if (at + sizeof(Dirent) + d.namlen > buf + used) break;
    out.push_back({d.next, g.loadString(at + sizeof(Dirent), d.namlen), d.type});
    at += sizeof(Dirent) + d.namlen;
  }
  return out;
}

} // namespace

TEST_F(PreopenTest, ReaddirListsEverything) {
  tmp_.writeFile("root/alpha", "a");
  tmp_.mkdir("root/beta");
  tmp_.symlink("alpha", "root/gamma");
  FakeGuest g(*ctx_);
  ASSERT_EQ(fd_readdir(g.vmctx(), 3, 1000, 4096, 0, 100), Ok);
  uint32_t used = g.load<uint32_t>(100);
  EXPECT_LT(used, 4096u); // the whole directory fit
  auto entries = parseDirents(g, 1000, used);
  std::map<std::string, Filetype> seen;
  for (const auto &e : entries) seen[e.name] = e.type;
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen["."], Filetype::Directory);
  EXPECT_EQ(seen[".."], Filetype::Directory);
  EXPECT_EQ(seen["alpha"], Filetype::RegularFile);
  EXPECT_EQ(seen["beta"], Filetype::Directory);
  EXPECT_EQ(seen["gamma"], Filetype::SymbolicLink);

  // Resuming from a cookie gives what follows it.
  ASSERT_GE(entries.size(), 2u);
  ASSERT_EQ(fd_readdir(g.vmctx(), 3, 6000, 4096, static_cast<int64_t>(entries[1].next), 100), Ok);
  auto rest = parseDirents(g, 6000, g.load<uint32_t>(100));
  ASSERT_EQ(rest.size(), entries.size() - 2);
  for (size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i].name, entries[i + 2].name);
}

TEST_F(PreopenTest, ReaddirFillsSmallBufferToTheEnd) {
  for (int i = 0; i < 20; ++i)
    tmp_.writeFile("root/file-with-a-longish-name-" + std::to_string(i), "");
  FakeGuest g(*ctx_);
  // Read the way wasi-libc does: a full buffer means "maybe more"; resume
  // from the cookie of the last complete entry.
  std::set<std::string> names;
  uint64_t cookie = 0;
  const uint32_t bufLen = 100;
  for (int round = 0; round < 100; ++round) {
    std::fill(g.at(1000), g.at(1000 + bufLen), 0xAA);
    ASSERT_EQ(fd_readdir(g.vmctx(), 3, 1000, bufLen, static_cast<int64_t>(cookie), 100), Ok);
    uint32_t used = g.load<uint32_t>(100);
    auto entries = parseDirents(g, 1000, used);
    for (const auto &e : entries) names.insert(e.name);
    if (used < bufLen) break;
    // The buffer was filled completely: the cut entry's bytes are there too.
    EXPECT_NE(g.at(1000)[bufLen - 1], 0xAA);
    ASSERT_FALSE(entries.empty());
    cookie = entries.back().next;
  }
  EXPECT_EQ(names.size(), 22u);
  EXPECT_TRUE(names.count("file-with-a-longish-name-19"));
}

TEST_F(PreopenTest, ReaddirOnFileIsNotDir) {
  tmp_.writeFile("root/f", "x");
  FakeGuest g(*ctx_);
  int32_t len = put(g, 100, "f");
  ASSERT_EQ(path_open(g.vmctx(), 3, 0, 100, len, 0, static_cast<int64_t>(rights::All), 0, 0, 200),
            Ok);
  int32_t fd = static_cast<int32_t>(g.load<uint32_t>(200));
  // A file has no readdir right at all.
  EXPECT_EQ(fd_readdir(g.vmctx(), fd, 1000, 100, 0, 300), err(Errno::NotCapable));
  EXPECT_EQ(fd_readdir(g.vmctx(), 3, g.size() - 10, 100, 0, 300), err(Errno::Fault));
}

TEST(WasiBindings, ClocksAndRandom) {
  WasiCtxBuilder b;
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  for (int32_t id = 0; id < 4; ++id) {
    ASSERT_EQ(clock_res_get(g.vmctx(), id, 100), Ok) << id;
    EXPECT_GT(g.load<uint64_t>(100), 0u);
    ASSERT_EQ(clock_time_get(g.vmctx(), id, 0, 108), Ok) << id;
  }
  ASSERT_EQ(clock_time_get(g.vmctx(), 1, 1, 100), Ok);
  uint64_t t0 = g.load<uint64_t>(100);
  ASSERT_EQ(clock_time_get(g.vmctx(), 1, 1, 100), Ok);
  EXPECT_GE(g.load<uint64_t>(100), t0);
  ASSERT_EQ(clock_time_get(g.vmctx(), 0, 1, 100), Ok);
  EXPECT_GT(g.load<uint64_t>(100), 1'600'000'000'000'000'000ull); // after 2020
  EXPECT_EQ(clock_time_get(g.vmctx(), 4, 0, 100), err(Errno::Inval));
  EXPECT_EQ(clock_time_get(g.vmctx(), 0, 0, static_cast<int32_t>(g.size() - 4)), err(Errno::Fault));

  ASSERT_EQ(random_get(g.vmctx(), 1000, 64), Ok);
  EXPECT_FALSE(std::all_of(g.at(1000), g.at(1064), [](uint8_t b) { return b == 0; }));
  EXPECT_EQ(random_get(g.vmctx(), static_cast<int32_t>(g.size() - 10), 64), err(Errno::Fault));
  EXPECT_EQ(sched_yield(g.vmctx()), Ok);
}

TEST(WasiBindings, PollOneoffClock) {
  WasiCtxBuilder b;
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  Subscription sub{};
  sub.userdata = 42;
  sub.tag = EventType::Clock;
  sub.u.clock.id = static_cast<uint32_t>(ClockId::Monotonic);
  sub.u.clock.timeout = 2'000'000; // 2 ms
  g.store(100, sub);
  ASSERT_EQ(clock_time_get(g.vmctx(), 1, 0, 800), Ok);
  ASSERT_EQ(poll_oneoff(g.vmctx(), 100, 200, 1, 300), Ok);
  ASSERT_EQ(clock_time_get(g.vmctx(), 1, 0, 808), Ok);
  EXPECT_GE(g.load<uint64_t>(808) - g.load<uint64_t>(800), 2'000'000u);
  ASSERT_EQ(g.load<uint32_t>(300), 1u);
  Event ev = g.load<Event>(200);
  EXPECT_EQ(ev.userdata, 42u);
  EXPECT_EQ(ev.error, 0);
  EXPECT_EQ(ev.type, EventType::Clock);
  EXPECT_EQ(poll_oneoff(g.vmctx(), 100, 200, 0, 300), err(Errno::Inval));
}

TEST(WasiBindings, ProcRaiseIsNoSys) {
  WasiCtxBuilder b;
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  EXPECT_EQ(proc_raise(g.vmctx(), 9), err(Errno::NoSys));
}

// Sockets work only on sockets (WasiSocketTest.cpp); fd 0 is /dev/null.
TEST(WasiBindings, SockFunctionsOnAFileAreNotSock) {
  WasiCtxBuilder b;
  auto ctx = buildCtx(b);
  FakeGuest g(*ctx);
  EXPECT_EQ(sock_recv(g.vmctx(), 0, 0, 0, 0, 0, 8), err(Errno::NotSock));
  EXPECT_EQ(sock_send(g.vmctx(), 0, 0, 0, 0, 0), err(Errno::NotSock));
  EXPECT_EQ(sock_accept(g.vmctx(), 0, 0, 0), err(Errno::NotSock));
  EXPECT_EQ(sock_shutdown(g.vmctx(), 0, 1), err(Errno::NotSock));
}

TEST(WasiBindings, RegistersEveryPreview1Function) {
  rt::HostFunctionRegistry registry;
  addWasiSnapshotPreview1(registry);
  const char *names[] = {"args_get",
                         "args_sizes_get",
                         "environ_get",
                         "environ_sizes_get",
                         "clock_res_get",
                         "clock_time_get",
                         "fd_advise",
                         "fd_allocate",
                         "fd_close",
                         "fd_datasync",
                         "fd_fdstat_get",
                         "fd_fdstat_set_flags",
                         "fd_fdstat_set_rights",
                         "fd_filestat_get",
                         "fd_filestat_set_size",
                         "fd_filestat_set_times",
                         "fd_pread",
                         "fd_prestat_get",
                         "fd_prestat_dir_name",
                         "fd_pwrite",
                         "fd_read",
                         "fd_readdir",
                         "fd_renumber",
                         "fd_seek",
                         "fd_sync",
                         "fd_tell",
                         "fd_write",
                         "path_create_directory",
                         "path_filestat_get",
                         "path_filestat_set_times",
                         "path_link",
                         "path_open",
                         "path_readlink",
                         "path_remove_directory",
                         "path_rename",
                         "path_symlink",
                         "path_unlink_file",
                         "poll_oneoff",
                         "proc_exit",
                         "proc_raise",
                         "sched_yield",
                         "random_get",
                         "sock_accept",
                         "sock_recv",
                         "sock_send",
                         "sock_shutdown"};
  for (const char *name : names) {
    const rt::HostFunction *f = registry.find("wasi_snapshot_preview1", name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_NE(f->code, nullptr) << name;
  }
  using V = std::vector<lucet::abi::ValTypeDesc>;
  const auto *fdWrite = registry.find("wasi_snapshot_preview1", "fd_write");
  EXPECT_EQ(fdWrite->type.params, (V{0x7f, 0x7f, 0x7f, 0x7f}));
  EXPECT_EQ(fdWrite->type.results, (V{0x7f}));
  EXPECT_EQ(fdWrite->code, lucet::wasi::binding::hostFunction<&preview1::fd_write>().code);
  const auto *clock = registry.find("wasi_snapshot_preview1", "clock_time_get");
  EXPECT_EQ(clock->type.params, (V{0x7f, 0x7e, 0x7f}));
  const auto *pathOpen = registry.find("wasi_snapshot_preview1", "path_open");
  EXPECT_EQ(pathOpen->type.params, (V{0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7e, 0x7e, 0x7f, 0x7f}));
  const auto *exit = registry.find("wasi_snapshot_preview1", "proc_exit");
  EXPECT_EQ(exit->type.params, (V{0x7f}));
  EXPECT_TRUE(exit->type.results.empty());
  EXPECT_TRUE(registry.find("wasi_snapshot_preview1", "sched_yield")->type.params.empty());
}

TEST(WasiCtxBuilder, MissingPreopenNamesPathAndReason) {
  WasiCtxBuilder b;
  b.preopenDir("/nope/not/here", "x");
  auto ctx = b.build();
  ASSERT_FALSE(ctx);
  EXPECT_EQ(ctx.error().message(), "--dir: /nope/not/here: No such file or directory");
  TempDir tmp;
  tmp.writeFile("plain.txt", "not a directory");
  WasiCtxBuilder f;
  f.preopenDir(tmp.str("plain.txt"), "x");
  auto notDir = f.build();
  ASSERT_FALSE(notDir);
  EXPECT_EQ(notDir.error().message(), "--dir: " + tmp.str("plain.txt") + ": Not a directory");
}

TEST(WasiCtxBuilder, InheritedStdioUsesHostFds) {
  WasiCtxBuilder b;
  b.inheritStdio();
  auto ctx = buildCtx(b);
  for (Fd fd = 0; fd < 3; ++fd) {
    auto entry = ctx->fds().get(fd);
    ASSERT_TRUE(entry);
    EXPECT_EQ((*entry)->hostFd, static_cast<int>(fd));
    EXPECT_TRUE((*entry)->isStdio);
  }
  ctx.reset();
  EXPECT_NE(fcntl(1, F_GETFD), -1); // still open after the context is gone
}
