// The path_* operations at the WasiCtx layer, in both resolver modes.

#include "WasiTestSupport.h"
#include "wasi/PathResolver.h"
#include "wasi/WasiCtxBuilder.h"

#include <gtest/gtest.h>

using namespace lucet;
using namespace lucet::wasi;
using lucet::wasi::test::TempDir;

namespace {

constexpr Fd Root = 3;

class WasiPathOps : public ::testing::TestWithParam<bool> {
protected:
  void SetUp() override {
    setForceComponentWalk(GetParam());
    tmp_.mkdir("root");
    tmp_.mkdir("outside");
    tmp_.writeFile("outside/secret", "secret");
    WasiCtxBuilder b;
    b.preopenDir(tmp_.str("root"), ".");
    auto ctx = b.build();
    ASSERT_TRUE(ctx);
    ctx_ = std::move(*ctx);
  }
  void TearDown() override { setForceComponentWalk(false); }

  TempDir tmp_;
  std::unique_ptr<WasiCtx> ctx_;
};

} // namespace

TEST_P(WasiPathOps, CreateAndRemoveDirectory) {
  EXPECT_EQ(ctx_->pathCreateDirectory(Root, "d"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_directory(tmp_.path() / "root/d"));
  EXPECT_EQ(ctx_->pathCreateDirectory(Root, "d"), Errno::Exist);
  EXPECT_EQ(ctx_->pathCreateDirectory(Root, "d/e/"), Errno::Success);
  EXPECT_EQ(ctx_->pathRemoveDirectory(Root, "d"), Errno::NotEmpty);
  EXPECT_EQ(ctx_->pathRemoveDirectory(Root, "d/e"), Errno::Success);
  EXPECT_EQ(ctx_->pathRemoveDirectory(Root, "d"), Errno::Success);
  EXPECT_FALSE(tmp_.exists("root/d"));
  EXPECT_EQ(ctx_->pathCreateDirectory(Root, "../outside/d"), Errno::NotCapable);
  EXPECT_EQ(ctx_->pathRemoveDirectory(Root, "../outside"), Errno::NotCapable);
  EXPECT_FALSE(tmp_.exists("outside/d"));
}

TEST_P(WasiPathOps, UnlinkFile) {
  tmp_.writeFile("root/f", "x");
  tmp_.mkdir("root/d");
  EXPECT_EQ(ctx_->pathUnlinkFile(Root, "f/"), Errno::NotDir);
  EXPECT_EQ(ctx_->pathUnlinkFile(Root, "d/"), Errno::IsDir);
  EXPECT_EQ(ctx_->pathUnlinkFile(Root, "f"), Errno::Success);
  EXPECT_FALSE(tmp_.exists("root/f"));
  EXPECT_EQ(ctx_->pathUnlinkFile(Root, "f"), Errno::NoEnt);
  EXPECT_EQ(ctx_->pathUnlinkFile(Root, "../outside/secret"), Errno::NotCapable);
  EXPECT_TRUE(tmp_.exists("outside/secret"));
}

TEST_P(WasiPathOps, SymlinkReadlinkAndFollow) {
  tmp_.writeFile("root/target", "hello");
  EXPECT_EQ(ctx_->pathSymlink("target", Root, "link"), Errno::Success);
  uint8_t buf[64];
  auto n = ctx_->pathReadlink(Root, "link", buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(reinterpret_cast<char *>(buf), *n), "target");
  auto cut = ctx_->pathReadlink(Root, "link", std::span<uint8_t>(buf, 3));
  ASSERT_TRUE(cut);
  EXPECT_EQ(*cut, 3u);

  auto followed = ctx_->pathFilestatGet(Root, lookupflags::SymlinkFollow, "link");
  ASSERT_TRUE(followed);
  EXPECT_EQ(followed->filetype, Filetype::RegularFile);
  EXPECT_EQ(followed->size, 5u);
  auto notFollowed = ctx_->pathFilestatGet(Root, 0, "link");
  ASSERT_TRUE(notFollowed);
  EXPECT_EQ(notFollowed->filetype, Filetype::SymbolicLink);

  // A link made by the guest that points outside is stored but useless.
  EXPECT_EQ(ctx_->pathSymlink("../outside/secret", Root, "bad"), Errno::Success);
  EXPECT_EQ(ctx_->pathFilestatGet(Root, lookupflags::SymlinkFollow, "bad").error(),
            Errno::NotCapable);
  EXPECT_EQ(
      ctx_->pathOpen(Root, lookupflags::SymlinkFollow, "bad", 0, rights::FdRead, 0, 0).error(),
      Errno::NotCapable);
  EXPECT_EQ(ctx_->pathSymlink("x", Root, "../outside/link"), Errno::NotCapable);
  EXPECT_FALSE(tmp_.exists("outside/link"));
}

TEST_P(WasiPathOps, RenameAndLink) {
  tmp_.writeFile("root/a", "data");
  EXPECT_EQ(ctx_->pathRename(Root, "a", Root, "b"), Errno::Success);
  EXPECT_FALSE(tmp_.exists("root/a"));
  EXPECT_EQ(tmp_.readFile("root/b"), "data");
  EXPECT_EQ(ctx_->pathRename(Root, "b", Root, "../outside/b"), Errno::NotCapable);
  EXPECT_EQ(ctx_->pathRename(Root, "../outside/secret", Root, "stolen"), Errno::NotCapable);
  EXPECT_FALSE(tmp_.exists("root/stolen"));
  EXPECT_EQ(ctx_->pathRename(Root, "b/", Root, "c"), Errno::NotDir);

  EXPECT_EQ(ctx_->pathLink(Root, 0, "b", Root, "hard"), Errno::Success);
  EXPECT_EQ(tmp_.readFile("root/hard"), "data");
  // Linking an outside file in through a symlink must fail.
  tmp_.symlink("../outside/secret", "root/esc");
  EXPECT_EQ(ctx_->pathLink(Root, lookupflags::SymlinkFollow, "esc", Root, "stolen"),
            Errno::NotCapable);
  EXPECT_FALSE(tmp_.exists("root/stolen"));
}

TEST_P(WasiPathOps, FilestatAndOpenDirectory) {
  tmp_.mkdir("root/sub");
  tmp_.writeFile("root/sub/f", "12345");
  auto st = ctx_->pathFilestatGet(Root, 0, "sub/f");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->size, 5u);
  EXPECT_EQ(st->filetype, Filetype::RegularFile);
  EXPECT_EQ(ctx_->pathFilestatGet(Root, 0, "sub/f/").error(), Errno::NotDir);
  EXPECT_EQ(ctx_->pathFilestatGet(Root, 0, "../outside/secret").error(), Errno::NotCapable);
  auto dotdot = ctx_->pathFilestatGet(Root, 0, "sub/..");
  ASSERT_TRUE(dotdot);
  EXPECT_EQ(dotdot->filetype, Filetype::Directory);

  // Every right but those that open for writing (which a directory refuses).
  Rights noWrite = rights::All & ~(rights::FdWrite | rights::FdDatasync | rights::FdAllocate |
                                   rights::FdFilestatSetSize);
  auto dir = ctx_->pathOpen(Root, 0, "sub", oflags::Directory, noWrite, rights::All, 0);
  ASSERT_TRUE(dir) << errnoName(dir.error());
  auto fdstat = ctx_->fdFdstatGet(*dir);
  ASSERT_TRUE(fdstat);
  EXPECT_EQ(fdstat->filetype, Filetype::Directory);
  EXPECT_EQ(fdstat->rightsBase & rights::FdWrite, 0u);
  // Paths are now relative to the new directory fd, and still confined to it.
  auto inner = ctx_->pathFilestatGet(*dir, 0, "f");
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->size, 5u);
  EXPECT_EQ(ctx_->pathFilestatGet(*dir, 0, "../sub/f").error(), Errno::NotCapable);
  EXPECT_EQ(ctx_->pathOpen(*dir, 0, "../sub/f", 0, rights::FdRead, 0, 0).error(),
            Errno::NotCapable);
}

TEST_P(WasiPathOps, FileOperations) {
  auto fd = ctx_->pathOpen(Root, 0, "f", oflags::Creat,
                           rights::FdRead | rights::FdWrite | rights::FdSeek |
                               rights::FdFilestatSetSize | rights::FdFilestatGet | rights::FdSync |
                               rights::FdDatasync | rights::FdAllocate | rights::FdAdvise,
                           0, 0);
  ASSERT_TRUE(fd);
  std::string text = "abcdef";
  iovec out{text.data(), text.size()};
  auto written = ctx_->fdPwrite(*fd, std::span(&out, 1), 4);
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, 6u);
  char back[4] = {};
  iovec in{back, sizeof(back)};
  auto read = ctx_->fdPread(*fd, std::span(&in, 1), 6);
  ASSERT_TRUE(read);
  EXPECT_EQ(std::string(back, *read), "cdef");
  EXPECT_EQ(ctx_->fdFilestatSetSize(*fd, 2), Errno::Success);
  EXPECT_EQ(ctx_->fdFilestatGet(*fd)->size, 2u);
  EXPECT_EQ(ctx_->fdSync(*fd), Errno::Success);
  EXPECT_EQ(ctx_->fdDatasync(*fd), Errno::Success);
  EXPECT_EQ(ctx_->fdAdvise(*fd, 0, 0, static_cast<uint8_t>(Advice::Sequential)), Errno::Success);
  EXPECT_EQ(ctx_->fdAdvise(*fd, 0, 0, 99), Errno::Inval);
  EXPECT_EQ(ctx_->fdAllocate(*fd, 0, 100), Errno::Success);
  EXPECT_EQ(ctx_->fdFilestatGet(*fd)->size, 100u);
  EXPECT_EQ(ctx_->fdSeek(*fd, 0, 7).error(), Errno::Inval);
  EXPECT_EQ(ctx_->fdFilestatSetTimes(*fd, 0, 0, fstflags::Atim | fstflags::AtimNow),
            Errno::NotCapable); // no FdFilestatSetTimes right was asked for
}

// As open(2) says and Wasmtime and uvwasi do: a directory opened with a
// right to write is EISDIR, not quietly opened read-only.
TEST_P(WasiPathOps, DirectoryWithWriteRightsIsIsDir) {
  tmp_.mkdir("root/sub");
  Rights readWrite = rights::FdRead | rights::FdWrite;
  EXPECT_EQ(ctx_->pathOpen(Root, 0, ".", oflags::Directory, readWrite, 0, 0).error(), Errno::IsDir);
  EXPECT_EQ(ctx_->pathOpen(Root, 0, "sub", oflags::Directory, readWrite, 0, 0).error(),
            Errno::IsDir);
  EXPECT_EQ(ctx_->pathOpen(Root, 0, "sub", 0, readWrite, 0, 0).error(), Errno::IsDir);
  EXPECT_EQ(ctx_->pathOpen(Root, 0, "sub/", 0, rights::FdWrite, 0, 0).error(), Errno::IsDir);
  EXPECT_EQ(ctx_->pathOpen(Root, 0, "sub", 0, rights::FdRead, 0, fdflags::Append).error(),
            Errno::IsDir);
  auto reading =
      ctx_->pathOpen(Root, 0, "sub", oflags::Directory, rights::FdRead | rights::FdReaddir, 0, 0);
  ASSERT_TRUE(reading) << errnoName(reading.error());
  EXPECT_EQ(ctx_->fdFdstatGet(*reading)->filetype, Filetype::Directory);
  auto plain = ctx_->pathOpen(Root, 0, "sub", 0, rights::FdRead, 0, 0);
  ASSERT_TRUE(plain) << errnoName(plain.error());
}

// Linux creates no link under a name written with a trailing slash: ENOENT
// when nothing has the name, EEXIST when anything does (a dangling symlink
// too, which is not followed).
TEST_P(WasiPathOps, NewLinkNamesWithATrailingSlash) {
  tmp_.writeFile("root/f", "x");
  tmp_.mkdir("root/d");
  tmp_.symlink("nowhere", "root/dang");
  for (const char *name : {"new/", "new//", "d/../new/"}) {
    EXPECT_EQ(ctx_->pathLink(Root, 0, "f", Root, name), Errno::NoEnt) << name;
    EXPECT_EQ(ctx_->pathSymlink("f", Root, name), Errno::NoEnt) << name;
  }
  EXPECT_FALSE(tmp_.exists("root/new"));
  for (const char *name : {"d/", "f/", "dang/", "./"}) {
    EXPECT_EQ(ctx_->pathLink(Root, 0, "f", Root, name), Errno::Exist) << name;
    EXPECT_EQ(ctx_->pathSymlink("f", Root, name), Errno::Exist) << name;
  }
  EXPECT_FALSE(tmp_.exists("root/nowhere"));
  EXPECT_EQ(ctx_->pathLink(Root, 0, "f", Root, "../outside/new/"), Errno::NotCapable);
  EXPECT_EQ(ctx_->pathSymlink("f", Root, "../outside/new/"), Errno::NotCapable);
  EXPECT_EQ(ctx_->pathLink(Root, 0, "f", Root, "new"), Errno::Success);
  EXPECT_EQ(ctx_->pathSymlink("f", Root, "d/new"), Errno::Success);
}

// Following it is refused by our resolver anyway, but a host program could
// follow it later: refused with EPERM, as Wasmtime (cap-std) does.
TEST_P(WasiPathOps, SymlinkToAnAbsolutePathIsRefused) {
  for (const char *target : {"/", "/etc/passwd", "//x"}) {
    EXPECT_EQ(ctx_->pathSymlink(target, Root, "abs"), Errno::Perm) << target;
    EXPECT_FALSE(tmp_.exists("root/abs")) << target;
  }
  EXPECT_EQ(ctx_->pathSymlink("rel/", Root, "abs"), Errno::Success);
}

INSTANTIATE_TEST_SUITE_P(BothModes, WasiPathOps, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "Walk" : "Openat2"; });
