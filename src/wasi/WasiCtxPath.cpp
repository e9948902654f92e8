// The path_* operations of WasiCtx. Every path goes through PathResolver, so
// each host call is an *at() call on a directory beneath the guest's one,
// with AT_SYMLINK_NOFOLLOW.

#include "wasi/FiletypeMapping.h"
#include "wasi/HostStat.h"
#include "wasi/PathResolver.h"
#include "wasi/WasiCtx.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lucet::wasi {

namespace {

Errno hostStatus(int rc) {
  return rc == 0 ? Errno::Success : lastHostErrno();
}

Follow followFrom(uint32_t lookupFlags) {
  return (lookupFlags & lookupflags::SymlinkFollow) ? Follow::Yes : Follow::No;
}

// The directory entry a path operation starts from.
ErrnoOr<FdEntry *> directory(FdTable &fds, Fd fd, Rights required) {
  WASI_ASSIGN_OR_RETURN(entry, fds.get(fd, required));
  if (entry->type != Filetype::Directory) return Errno::NotDir;
  return entry;
}

// A trailing slash names a directory: Errno::NotDir unless it is one.
Errno checkTrailingSlash(const ResolvedParent &p) {
  if (!p.trailingSlash) return Errno::Success;
  struct stat st;
  if (fstatat(p.dirFd, p.leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return lastHostErrno();
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
}

// The new name of a link or symlink, with a final symlink left as it is.
// Linux makes neither under a name written with a trailing slash: EEXIST if
// anything has the name (a dangling symlink too), else ENOENT.
ErrnoOr<ResolvedParent> newLinkName(int baseDir, std::string_view path) {
  std::string_view name = path;
  while (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  WASI_ASSIGN_OR_RETURN(p, resolveParent(baseDir, name, Follow::No));
  if (name.size() == path.size()) return std::move(p);
  struct stat st;
  if (fstatat(p.dirFd, p.leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return Errno::Exist;
  return errno == ENOENT ? Errno::NoEnt : lastHostErrno();
}

int hostOpenFlags(uint16_t oflags, Rights base, uint16_t fdFlags) {
  bool read = base & (rights::FdRead | rights::FdReaddir);
  bool write = (base & (rights::FdWrite | rights::FdDatasync | rights::FdAllocate |
                        rights::FdFilestatSetSize)) ||
               (fdFlags & fdflags::Append);
  int flags = read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY;
  // With write access the kernel refuses a directory (EISDIR), as Wasmtime
  // and uvwasi do: a guest asking to write must not get it read-only.
  if (oflags & oflags::Directory) flags |= O_DIRECTORY;
  if (oflags & oflags::Creat) flags |= O_CREAT;
  if (oflags & oflags::Excl) flags |= O_EXCL;
  if (oflags & oflags::Trunc) flags |= O_TRUNC;
  if (fdFlags & fdflags::Append) flags |= O_APPEND;
  if (fdFlags & fdflags::Dsync) flags |= O_DSYNC;
  if (fdFlags & fdflags::Nonblock) flags |= O_NONBLOCK;
  if (fdFlags & fdflags::Rsync) flags |= O_RSYNC;
  if (fdFlags & fdflags::Sync) flags |= O_SYNC;
  return flags;
}

} // namespace

ErrnoOr<Fd> WasiCtx::pathOpen(Fd dirFd, uint32_t lookupFlags, std::string_view path,
                              uint16_t oflags, Rights rightsBase, Rights rightsInheriting,
                              uint16_t fdFlags) {
  Rights needed = rights::PathOpen;
  if (oflags & oflags::Creat) needed |= rights::PathCreateFile;
  if (oflags & oflags::Trunc) needed |= rights::PathFilestatSetSize;
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, needed));

  // Programs ask for more than a directory can hand on (Rust's std asks for
  // every right); like Lucet, grant what the directory allows rather than
  // refusing.
  Rights base = rightsBase & dir->rightsInheriting;
  Rights inheriting = rightsInheriting & dir->rightsInheriting;

  OpenRequest request;
  request.flags = hostOpenFlags(oflags, base, fdFlags);
  request.mode = 0666;
  request.follow = followFrom(lookupFlags);
  auto opened = openBeneath(dir->hostFd, path, request);
  if (!opened) return opened.error();

  Filetype type = filetypeOfHostFd(opened->get());
  if (type == Filetype::Directory) {
    base &= rights::Directory;
    inheriting &= rights::DirectoryInheriting;
  } else {
    base &= rights::RegularFile;
    inheriting = 0;
  }
  return fds_.insert(FdEntry::owning(std::move(*opened), type, base, inheriting));
}

ErrnoOr<FileStat> WasiCtx::pathFilestatGet(Fd dirFd, uint32_t lookupFlags, std::string_view path) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathFilestatGet));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, followFrom(lookupFlags)));
  struct stat st;
  if (fstatat(p.dirFd, p.leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return lastHostErrno();
  if (p.trailingSlash && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return fileStatFromHost(st);
}

Errno WasiCtx::pathFilestatSetTimes(Fd dirFd, uint32_t lookupFlags, std::string_view path,
                                    Timestamp atim, Timestamp mtim, uint16_t flags) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathFilestatSetTimes));
  WASI_ASSIGN_OR_RETURN(times, timesFromWasi(atim, mtim, flags));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, followFrom(lookupFlags)));
  WASI_TRY(checkTrailingSlash(p));
  return hostStatus(utimensat(p.dirFd, p.leaf.c_str(), times.times, AT_SYMLINK_NOFOLLOW));
}

Errno WasiCtx::pathCreateDirectory(Fd dirFd, std::string_view path) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathCreateDirectory));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, Follow::No));
  return hostStatus(mkdirat(p.dirFd, p.leaf.c_str(), 0777));
}

Errno WasiCtx::pathRemoveDirectory(Fd dirFd, std::string_view path) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathRemoveDirectory));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, Follow::No));
  return hostStatus(unlinkat(p.dirFd, p.leaf.c_str(), AT_REMOVEDIR));
}

Errno WasiCtx::pathUnlinkFile(Fd dirFd, std::string_view path) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathUnlinkFile));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, Follow::No));
  if (p.trailingSlash) {
    // "file/" names no file, and a directory is not unlinked as one.
    WASI_TRY(checkTrailingSlash(p));
    return Errno::IsDir;
  }
  return hostStatus(unlinkat(p.dirFd, p.leaf.c_str(), 0));
}

Errno WasiCtx::pathRename(Fd oldDirFd, std::string_view oldPath, Fd newDirFd,
                          std::string_view newPath) {
  WASI_ASSIGN_OR_RETURN(oldDir, directory(fds_, oldDirFd, rights::PathRenameSource));
  WASI_ASSIGN_OR_RETURN(newDir, directory(fds_, newDirFd, rights::PathRenameTarget));
  WASI_ASSIGN_OR_RETURN(from, resolveParent(oldDir->hostFd, oldPath, Follow::No));
  WASI_ASSIGN_OR_RETURN(to, resolveParent(newDir->hostFd, newPath, Follow::No));
  if (from.trailingSlash || to.trailingSlash) {
    // A trailing slash on either side says the source is a directory.
    ResolvedParent probe{UniqueFd(), from.dirFd, from.leaf, true};
    WASI_TRY(checkTrailingSlash(probe));
  }
  return hostStatus(renameat(from.dirFd, from.leaf.c_str(), to.dirFd, to.leaf.c_str()));
}

Errno WasiCtx::pathLink(Fd oldDirFd, uint32_t oldLookupFlags, std::string_view oldPath, Fd newDirFd,
                        std::string_view newPath) {
  WASI_ASSIGN_OR_RETURN(oldDir, directory(fds_, oldDirFd, rights::PathLinkSource));
  WASI_ASSIGN_OR_RETURN(newDir, directory(fds_, newDirFd, rights::PathLinkTarget));
  // Following was done by the resolver, beneath the directory; linkat must
  // not follow again on its own.
  WASI_ASSIGN_OR_RETURN(from, resolveParent(oldDir->hostFd, oldPath, followFrom(oldLookupFlags)));
  WASI_ASSIGN_OR_RETURN(to, newLinkName(newDir->hostFd, newPath));
  WASI_TRY(checkTrailingSlash(from));
  return hostStatus(linkat(from.dirFd, from.leaf.c_str(), to.dirFd, to.leaf.c_str(), 0));
}

Errno WasiCtx::pathSymlink(std::string_view target, Fd dirFd, std::string_view linkPath) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathSymlink));
  if (target.find('\0') != std::string_view::npos) return Errno::Inval;
  // The target is stored, not resolved: following it later goes through the
  // resolver, which refuses an escaping one. An absolute target is refused
  // now, since a host program could follow it (EPERM, as Wasmtime says).
  if (!target.empty() && target.front() == '/') return Errno::Perm;
  WASI_ASSIGN_OR_RETURN(p, newLinkName(dir->hostFd, linkPath));
  return hostStatus(symlinkat(std::string(target).c_str(), p.dirFd, p.leaf.c_str()));
}

ErrnoOr<uint32_t> WasiCtx::pathReadlink(Fd dirFd, std::string_view path, std::span<uint8_t> out) {
  WASI_ASSIGN_OR_RETURN(dir, directory(fds_, dirFd, rights::PathReadlink));
  WASI_ASSIGN_OR_RETURN(p, resolveParent(dir->hostFd, path, Follow::No));
  std::string target(4096, '\0');
  for (;;) {
    ssize_t n = readlinkat(p.dirFd, p.leaf.c_str(), target.data(), target.size());
    if (n < 0) return lastHostErrno();
    if (static_cast<size_t>(n) < target.size()) {
      target.resize(static_cast<size_t>(n));
      break;
    }
    target.resize(target.size() * 2);
  }
  size_t take = std::min(target.size(), out.size());
  std::memcpy(out.data(), target.data(), take);
  return static_cast<uint32_t>(take);
}

} // namespace lucet::wasi
