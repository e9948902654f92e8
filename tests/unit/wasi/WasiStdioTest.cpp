// WasiCtxBuilder's stdio backends (StdioStream) and read-only preopens.
#include "WasiTestSupport.h"
#include "wasi/WasiCtxBuilder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace lucet;
using namespace lucet::wasi;

namespace {

std::unique_ptr<WasiCtx> build(WasiCtxBuilder &b) {
  auto ctx = b.build();
  if (!ctx) {
    ADD_FAILURE() << ctx.error().message();
    return nullptr;
  }
  return std::move(*ctx);
}

ErrnoOr<size_t> writeText(WasiCtx &ctx, Fd fd, std::string text) {
  iovec iov{text.data(), text.size()};
  return ctx.fdWrite(fd, {&iov, 1});
}

// Reads up to `max` bytes from `fd`.
ErrnoOr<std::string> readText(WasiCtx &ctx, Fd fd, size_t max = 64) {
  std::string buf(max, '\0');
  iovec iov{buf.data(), buf.size()};
  auto n = ctx.fdRead(fd, {&iov, 1});
  if (!n) return n.error();
  buf.resize(*n);
  return buf;
}

} // namespace

TEST(WasiStdio, StdinFromBytesThenEndOfFile) {
  WasiCtxBuilder b;
  b.stdinStream(StdioStream::bytes("line one\nline two\n"));
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(*readText(*ctx, 0, 9), "line one\n");
  EXPECT_EQ(*readText(*ctx, 0), "line two\n");
  EXPECT_EQ(*readText(*ctx, 0), "");
  // stdin is never written.
  EXPECT_EQ(writeText(*ctx, 0, "x").error(), Errno::NotCapable);
  EXPECT_EQ(ctx->fdFilestatSetSize(0, 0), Errno::NotCapable);
}

TEST(WasiStdio, CapturedStdoutAndStderr) {
  auto out = std::make_shared<OutputCapture>();
  auto err = std::make_shared<OutputCapture>();
  WasiCtxBuilder b;
  b.stdoutStream(StdioStream::capture(out)).stderrStream(StdioStream::capture(err));
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(out->contents(), "");
  EXPECT_EQ(*writeText(*ctx, 1, "to stdout\n"), 10u);
  EXPECT_EQ(*writeText(*ctx, 2, "to stderr\n"), 10u);
  EXPECT_EQ(*writeText(*ctx, 1, "more\n"), 5u);
  EXPECT_EQ(out->contents(), "to stdout\nmore\n");
  EXPECT_EQ(err->contents(), "to stderr\n");
  EXPECT_EQ(readText(*ctx, 1).error(), Errno::NotCapable);
  // Still readable after the guest closed its stream and the context is gone.
  EXPECT_EQ(ctx->fdClose(1), Errno::Success);
  ctx.reset();
  EXPECT_EQ(out->contents(), "to stdout\nmore\n");
}

TEST(WasiStdio, HostFilesByPath) {
  test::TempDir dir;
  dir.writeFile("in.txt", "from a file\n");
  dir.writeFile("out.txt", "old contents that get truncated\n");
  WasiCtxBuilder b;
  b.stdinStream(StdioStream::path(dir.str("in.txt")))
      .stdoutStream(StdioStream::path(dir.str("out.txt")))
      .stderrStream(StdioStream::path(dir.str("err.txt")));
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(*readText(*ctx, 0), "from a file\n");
  ASSERT_TRUE(writeText(*ctx, 1, "out\n"));
  ASSERT_TRUE(writeText(*ctx, 2, "err\n"));
  EXPECT_EQ(dir.readFile("out.txt"), "out\n");
  EXPECT_EQ(dir.readFile("err.txt"), "err\n");
  EXPECT_EQ(dir.readFile("in.txt"), "from a file\n");
  EXPECT_EQ(ctx->fdFdstatGet(1)->filetype, Filetype::RegularFile);
}

TEST(WasiStdio, HostPipes) {
  int in[2], out[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  UniqueFd inWrite(in[1]), outRead(out[0]);
  WasiCtxBuilder b;
  b.stdinStream(StdioStream::hostFd(UniqueFd(in[0])))
      .stdoutStream(StdioStream::hostFd(UniqueFd(out[1])));
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  ASSERT_EQ(write(inWrite.get(), "piped", 5), 5);
  EXPECT_EQ(*readText(*ctx, 0), "piped");
  ASSERT_TRUE(writeText(*ctx, 1, "back"));
  char buf[8] = {};
  EXPECT_EQ(read(outRead.get(), buf, sizeof buf), 4);
  EXPECT_EQ(std::string(buf, 4), "back");
  // A pipe cannot seek: no seek or tell rights, as for a terminal.
  EXPECT_EQ(ctx->fdTell(0).error(), Errno::NotCapable);
  // Closing the guest's fd 1 closes the pipe's write end: the host sees EOF.
  EXPECT_EQ(ctx->fdClose(1), Errno::Success);
  EXPECT_EQ(read(outRead.get(), buf, sizeof buf), 0);
}

TEST(WasiStdio, MisplacedStreamsAreErrors) {
  {
    WasiCtxBuilder b;
    b.stdoutStream(StdioStream::bytes("x"));
    auto ctx = b.build();
    ASSERT_FALSE(ctx);
    EXPECT_EQ(ctx.error().message(), "stdout: bytes can only be given to stdin");
  }
  {
    WasiCtxBuilder b;
    b.stdinStream(StdioStream::capture(std::make_shared<OutputCapture>()));
    auto ctx = b.build();
    ASSERT_FALSE(ctx);
    EXPECT_EQ(ctx.error().message(), "stdin: output can only be captured from stdout or stderr");
  }
  {
    WasiCtxBuilder b;
    b.stdinStream(StdioStream::path("/definitely/not/here"));
    auto ctx = b.build();
    ASSERT_FALSE(ctx);
    EXPECT_EQ(ctx.error().message(), "stdin: /definitely/not/here: No such file or directory");
  }
}

TEST(WasiStdio, ReadOnlyPreopenRefusesEveryChange) {
  test::TempDir dir;
  dir.writeFile("f.txt", "original");
  dir.mkdir("sub");
  WasiCtxBuilder b;
  b.preopenDir(dir.str(), "/ro", DirAccess::ReadOnly);
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  auto st = ctx->fdFdstatGet(3);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rightsBase & rights::Modifying, 0u);
  EXPECT_EQ(st->rightsInheriting & rights::Modifying, 0u);
  EXPECT_NE(st->rightsBase & rights::PathOpen, 0u);

  // Reading works.
  auto f = ctx->pathOpen(3, 0, "f.txt", 0, rights::All, rights::All, 0);
  ASSERT_TRUE(f);
  EXPECT_EQ(*readText(*ctx, *f), "original");
  EXPECT_TRUE(ctx->pathFilestatGet(3, 0, "sub"));
  // Nothing changes.
  EXPECT_EQ(writeText(*ctx, *f, "x").error(), Errno::NotCapable);
  EXPECT_EQ(ctx->fdFilestatSetSize(*f, 0), Errno::NotCapable);
  EXPECT_EQ(ctx->fdAllocate(*f, 0, 100), Errno::NotCapable);
  EXPECT_EQ(ctx->fdFilestatSetTimes(*f, 0, 0, fstflags::MtimNow), Errno::NotCapable);
  EXPECT_EQ(ctx->fdFdstatSetRights(*f, rights::FdWrite, 0), Errno::NotCapable);
  auto opened = ctx->pathOpen(3, 0, "new.txt", oflags::Creat, rights::All, 0, 0);
  EXPECT_EQ(opened.error(), Errno::NotCapable);
  EXPECT_EQ(ctx->pathOpen(3, 0, "f.txt", oflags::Trunc, rights::All, 0, 0).error(),
            Errno::NotCapable);
  EXPECT_EQ(ctx->pathCreateDirectory(3, "newdir"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathRemoveDirectory(3, "sub"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathUnlinkFile(3, "f.txt"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathRename(3, "f.txt", 3, "g.txt"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathLink(3, 0, "f.txt", 3, "h.txt"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathSymlink("f.txt", 3, "s"), Errno::NotCapable);
  EXPECT_EQ(ctx->pathFilestatSetTimes(3, 0, "f.txt", 0, 0, fstflags::MtimNow), Errno::NotCapable);
  // A directory opened beneath is just as read-only.
  auto sub = ctx->pathOpen(3, 0, "sub", oflags::Directory, rights::All, rights::All, 0);
  ASSERT_TRUE(sub);
  EXPECT_EQ(ctx->pathOpen(*sub, 0, "x", oflags::Creat, rights::All, 0, 0).error(),
            Errno::NotCapable);

  EXPECT_EQ(dir.readFile("f.txt"), "original");
  for (const char *name : {"new.txt", "newdir", "g.txt", "h.txt", "s", "sub/x"})
    EXPECT_FALSE(dir.exists(name)) << name;
  EXPECT_TRUE(dir.exists("sub"));
}

TEST(WasiStdio, ReadWritePreopenIsTheDefault) {
  test::TempDir dir;
  WasiCtxBuilder b;
  b.preopenDir(dir.str(), "/rw");
  auto ctx = build(b);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->fdFdstatGet(3)->rightsBase, rights::Directory);
  EXPECT_EQ(ctx->pathCreateDirectory(3, "made"), Errno::Success);
  EXPECT_TRUE(dir.exists("made"));
}

// Null stdio of every context is one shared /dev/null: a guest's flags stay
// its own, closing it closes nothing of the host's, and it cannot change the
// device node.
TEST(WasiStdio, NullStdioIsSharedButFlagsArePerGuest) {
  WasiCtxBuilder b1, b2;
  auto first = build(b1);
  auto second = build(b2);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*writeText(*first, 1, "gone"), 4u);
  EXPECT_EQ(*readText(*first, 0), "");

  EXPECT_EQ(first->fdFdstatSetFlags(1, fdflags::Append | fdflags::Nonblock), Errno::Success);
  EXPECT_EQ(first->fdFdstatGet(1)->flags, fdflags::Append | fdflags::Nonblock);
  EXPECT_EQ(second->fdFdstatGet(1)->flags, 0);
  EXPECT_EQ(first->fdFdstatSetFlags(1, fdflags::Sync), Errno::NotSup);
  EXPECT_EQ(first->fdFilestatSetSize(1, 0), Errno::NotCapable);
  EXPECT_EQ(first->fdFilestatSetTimes(1, 0, 0, 0), Errno::NotCapable);

  EXPECT_EQ(first->fdClose(1), Errno::Success);
  first.reset();
  EXPECT_EQ(*writeText(*second, 1, "still open"), 10u);
  WasiCtxBuilder b3;
  auto third = build(b3);
  ASSERT_TRUE(third);
  EXPECT_EQ(*writeText(*third, 2, "and for new guests"), 18u);
}

// The process's own stdin, shared with whoever started it: the guest's
// Nonblock is its own (reads say Again instead of waiting) and never
// reaches the host's description; seeking and truncating are not rights.
TEST(WasiStdio, InheritedStdinIsNonBlockingForTheGuestOnly) {
  int in[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  UniqueFd pipeRead(in[0]), pipeWrite(in[1]);
  UniqueFd savedStdin(fcntl(0, F_DUPFD_CLOEXEC, 0));
  ASSERT_TRUE(savedStdin);
  ASSERT_EQ(dup2(pipeRead.get(), 0), 0);
  {
    WasiCtxBuilder b;
    b.inheritStdio();
    auto ctx = build(b);
    ASSERT_TRUE(ctx);
    EXPECT_EQ(ctx->fdFdstatGet(0)->flags, 0);
    EXPECT_EQ(ctx->fdFdstatSetFlags(0, fdflags::Nonblock), Errno::Success);
    EXPECT_EQ(ctx->fdFdstatGet(0)->flags, fdflags::Nonblock);
    EXPECT_EQ(fcntl(0, F_GETFL) & O_NONBLOCK, 0);
    EXPECT_EQ(readText(*ctx, 0).error(), Errno::Again);
    ASSERT_EQ(write(pipeWrite.get(), "now", 3), 3);
    EXPECT_EQ(*readText(*ctx, 0), "now");
    EXPECT_EQ(ctx->fdFdstatSetFlags(0, 0), Errno::Success);
    ASSERT_EQ(write(pipeWrite.get(), "blocking", 8), 8);
    EXPECT_EQ(*readText(*ctx, 0), "blocking");
    uint64_t rightsBase = ctx->fdFdstatGet(0)->rightsBase;
    EXPECT_EQ(rightsBase & (rights::FdSeek | rights::FdTell | rights::FdFilestatSetSize |
                            rights::FdFilestatSetTimes | rights::FdAllocate),
              0u);
  }
  ASSERT_EQ(dup2(savedStdin.get(), 0), 0);
}
