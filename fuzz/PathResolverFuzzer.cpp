// libFuzzer target for the WASI path resolver. Fuzzer-chosen guest paths
// and path_* operations run beneath a preopen that holds every kind of
// symlink that could lead out (relative ones climbing out, absolute ones,
// loops, links that leave and come back), in both resolver strategies
// (openat2 and the component walk). It aborts when anything reaches a host
// object outside the preopen:
// - a descriptor it opened or a directory it resolved whose /proc/self/fd
//   path is not the root or beneath it;
// - a stat that describes one of the objects around the root;
// - any change to those objects (an entry created, renamed, linked or
//   removed there, new times, a new link count).
//
// The input: byte 0 picks the operation (bits 0-3, modulo 12), whether a
// final symlink is followed (bit 4) and the component walk instead of
// openat2 (bit 5); byte 1 holds path_open's oflags (bits 0-3) and whether
// it asks to write (bit 4); the rest is a path, or two separated by a
// newline. In a path, bytes 1 to 31 (but the newline) stand for the names
// in the tree and for "..", "/" and the like (Tokens below), so that the
// fuzzer need not guess them; every other byte stands for itself.
//
// Layout, in a fresh mkdtemp directory BASE (in /dev/shm where it exists),
// removed at exit:
//   BASE/outside/secret     what no guest may reach
//   BASE/jail/root          the preopen, "." for the guest
// so that climbing one level out lands in jail/ and two in BASE/, both
// watched.

#include "wasi/PathResolver.h"
#include "wasi/WasiCtxBuilder.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace lucet;
using namespace lucet::wasi;

namespace {

namespace fs = std::filesystem;

constexpr Fd Root = 3;

[[noreturn]] void escaped(const char *what, const std::string &detail) {
  std::fprintf(stderr, "PathResolverFuzzer: escape: %s: %s\n", what, detail.c_str());
  std::abort();
}

// What must not change about an object around the root. Access times are
// left out: reading is caught where it happens, by the fd checks.
struct Snapshot {
  dev_t dev;
  ino_t ino;
  nlink_t nlink;
  off_t size;
  timespec mtim;
  timespec ctim;

  static Snapshot of(const fs::path &path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) escaped("watched object is gone", path.string());
    return Snapshot{st.st_dev, st.st_ino, st.st_nlink, st.st_size, st.st_mtim, st.st_ctim};
  }
  bool operator==(const Snapshot &o) const {
    return dev == o.dev && ino == o.ino && nlink == o.nlink && size == o.size &&
           mtim.tv_sec == o.mtim.tv_sec && mtim.tv_nsec == o.mtim.tv_nsec &&
           ctim.tv_sec == o.ctim.tv_sec && ctim.tv_nsec == o.ctim.tv_nsec;
  }
};

class Fixture {
public:
  Fixture() {
    // A memory file system if there is one: resetting the tree after each
    // input that changed it creates some twenty inodes, which ext4 makes
    // several times slower.
    std::error_code ec;
    fs::path tmp =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (tmp / "lucet-pathfuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    base_ = fs::canonical(pattern);
    fs::create_directories(base_ / "outside");
    fs::create_directories(base_ / "jail" / "root");
    std::ofstream(base_ / "outside" / "secret") << "secret\n";
    root_ = base_ / "jail" / "root";
    fillRoot();

    for (const fs::path &p : watchedPaths()) watched_.push_back(Snapshot::of(p));
    // The root's ancestors too: a stat that names one of them is an escape.
    for (fs::path p = base_;; p = p.parent_path()) {
      outsideIds_.push_back(Snapshot::of(p));
      if (p == p.parent_path()) break;
    }
    outsideIds_.push_back(Snapshot::of(base_ / "jail"));
    outsideIds_.push_back(Snapshot::of(base_ / "outside"));
    outsideIds_.push_back(Snapshot::of(base_ / "outside" / "secret"));

    WasiCtxBuilder builder;
    builder.preopenDir(root_.string(), ".");
    auto ctx = builder.build();
    if (!ctx) {
      std::fprintf(stderr, "PathResolverFuzzer: %s\n", ctx.error().message().c_str());
      std::abort();
    }
    ctx_ = std::move(*ctx);
    rootFd_ = (*ctx_->fds().get(Root))->hostFd;
  }

  ~Fixture() {
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  WasiCtx &ctx() { return *ctx_; }
  int rootFd() const { return rootFd_; }

  // Back to the tree we started with, after an operation that changed it.
  // Only the root's entries go: the root itself stays (the preopen holds
  // it, and replacing it would change jail/, which is watched).
  void reset() {
    for (const auto &entry : fs::directory_iterator(root_)) fs::remove_all(entry.path());
    fillRoot();
  }

  // `fd` must be the root or beneath it.
  void checkFd(int fd, const char *what) const {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    std::error_code ec;
    fs::path target = fs::read_symlink(link, ec);
    if (ec) escaped(what, "cannot read " + std::string(link));
    std::string t = target.string(), r = root_.string();
    if (t != r && !t.starts_with(r + "/")) escaped(what, t);
    struct stat st;
    if (fstat(fd, &st) == 0) checkIdentity(st.st_dev, st.st_ino, what);
  }

  void checkIdentity(uint64_t dev, uint64_t ino, const char *what) const {
    for (const Snapshot &s : outsideIds_)
      if (uint64_t(s.dev) == dev && uint64_t(s.ino) == ino)
        escaped(what, "a stat of an object outside the root");
  }

  void checkWatched() const {
    std::vector<fs::path> paths = watchedPaths();
    for (size_t i = 0; i < paths.size(); ++i)
      if (!(Snapshot::of(paths[i]) == watched_[i])) escaped("changed", paths[i].string());
  }

private:
  std::vector<fs::path> watchedPaths() const {
    return {base_, base_ / "jail", base_ / "outside", base_ / "outside" / "secret"};
  }

  void fillRoot() {
    std::ofstream(root_ / "a") << "alpha\n";
    fs::create_directories(root_ / "sub" / "deep");
    std::ofstream(root_ / "sub" / "b") << "beta\n";
    auto link = [&](const std::string &target, const std::string &name) {
      fs::create_symlink(target, root_ / name);
    };
    link("..", "up");
    link("../../outside", "out");
    link("../../outside/secret", "outfile");
    link("../../..", "sub/esc");
    link("../up", "sub/upup");
    link((base_ / "outside").string(), "abs");
    link((base_ / "outside" / "secret").string(), "absfile");
    link("loop2", "loop1");
    link("loop1", "loop2");
    link("self", "self");
    link("sub/deep/../../sub", "chain");
    link("sub", "inner");
    link("nowhere", "dang");
    link("sub/../../root/a", "outandback");
  }

  fs::path base_;
  fs::path root_;
  std::vector<Snapshot> watched_;
  std::vector<Snapshot> outsideIds_;
  std::unique_ptr<WasiCtx> ctx_;
  int rootFd_ = -1;
};

// What bytes 1 to 31 of a path stand for ('\n', 10, separates paths).
constexpr const char *Tokens[32] = {
    nullptr, "/",     "..",    ".",       "a",       "sub",    "b",          "deep",
    "up",    "out",   nullptr, "outfile", "esc",     "upup",   "abs",        "absfile",
    "loop1", "loop2", "self",  "chain",   "inner",   "dang",   "outandback", "nowhere",
    "new",   "../",   "./",    "//",      "outside", "secret", "root",       "sub/deep/"};

std::string expand(std::string_view raw) {
  std::string path;
  for (char c : raw) {
    auto byte = static_cast<uint8_t>(c);
    if (byte < 32 && Tokens[byte])
      path += Tokens[byte];
    else
      path += c;
  }
  return path;
}

Rights rightsFor(bool write) {
  Rights r = rights::FdRead | rights::FdReaddir | rights::FdFilestatGet | rights::PathOpen |
             rights::PathFilestatGet;
  if (write) r |= rights::FdWrite | rights::FdFilestatSetSize;
  return r;
}

// Runs one operation; true if it may have changed the tree.
bool runOne(Fixture &f, uint8_t op, bool follow, uint8_t flagsByte, std::string_view path,
            std::string_view path2) {
  WasiCtx &ctx = f.ctx();
  uint32_t lookup = follow ? lookupflags::SymlinkFollow : 0;
  switch (op % 12) {
  case 0: {
    uint16_t of = flagsByte & 0xf;
    bool write = flagsByte & 0x10;
    auto fd = ctx.pathOpen(Root, lookup, path, of, rightsFor(write), rightsFor(write), 0);
    if (!fd) return false;
    f.checkFd((*ctx.fds().get(*fd))->hostFd, "path_open");
    // A directory it opened confines what is opened beneath it too.
    if (!path2.empty()) {
      auto inner = ctx.pathOpen(*fd, lookup, path2, 0, rightsFor(false), 0, 0);
      if (inner) {
        f.checkFd((*ctx.fds().get(*inner))->hostFd, "path_open beneath an opened directory");
        ctx.fdClose(*inner);
      }
    }
    ctx.fdClose(*fd);
    return of & (oflags::Creat | oflags::Trunc);
  }
  case 1: {
    auto st = ctx.pathFilestatGet(Root, lookup, path);
    if (st) f.checkIdentity(st->dev, st->ino, "path_filestat_get");
    return false;
  }
  case 2:
    ctx.pathFilestatSetTimes(Root, lookup, path, 1, 2, fstflags::Atim | fstflags::Mtim);
    return false; // times inside the root matter to no one
  case 3:
    return ctx.pathCreateDirectory(Root, path) == Errno::Success;
  case 4:
    return ctx.pathRemoveDirectory(Root, path) == Errno::Success;
  case 5:
    return ctx.pathUnlinkFile(Root, path) == Errno::Success;
  case 6:
    return ctx.pathRename(Root, path, Root, path2) == Errno::Success;
  case 7:
    return ctx.pathLink(Root, lookup, path, Root, path2) == Errno::Success;
  case 8:
    return ctx.pathSymlink(path, Root, path2) == Errno::Success;
  case 9: {
    uint8_t buffer[256];
    (void)ctx.pathReadlink(Root, path, buffer);
    return false;
  }
  case 10: {
    OpenRequest request;
    request.flags = (flagsByte & 1) ? O_PATH : O_RDONLY;
    if (flagsByte & 2) request.flags |= O_DIRECTORY;
    request.follow = follow ? Follow::Yes : Follow::No;
    auto fd = openBeneath(f.rootFd(), path, request);
    if (fd) f.checkFd(fd->get(), "openBeneath");
    return false;
  }
  default: {
    auto parent = resolveParent(f.rootFd(), path, follow ? Follow::Yes : Follow::No);
    if (!parent) return false;
    f.checkFd(parent->dirFd, "resolveParent");
    const std::string &leaf = parent->leaf;
    if (leaf.empty() || leaf == ".." || leaf.find('/') != std::string::npos)
      escaped("resolveParent leaf", leaf);
    return false;
  }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Fixture fixture;
  if (size < 2) return 0;
  uint8_t op = data[0] & 0xf;
  bool follow = data[0] & 0x10;
  setForceComponentWalk(data[0] & 0x20);
  std::string_view rest(reinterpret_cast<const char *>(data + 2), size - 2);
  size_t newline = rest.find('\n');
  std::string path = expand(rest.substr(0, newline));
  std::string path2 =
      newline == std::string_view::npos ? std::string() : expand(rest.substr(newline + 1));
  bool changed = runOne(fixture, op, follow, data[1], path, path2);
  fixture.checkWatched();
  if (changed) fixture.reset();
  return 0;
}
