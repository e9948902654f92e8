#include "wasi/FdTable.h"

#include <cassert>

namespace lucet::wasi {

FdEntry FdEntry::owning(UniqueFd fd, Filetype type, Rights base, Rights inheriting) {
  FdEntry e;
  e.type = type;
  e.rightsBase = base;
  e.rightsInheriting = inheriting;
  e.hostFd = fd.get();
  e.owned = std::move(fd);
  return e;
}

FdEntry FdEntry::stdio(int hostFd, Filetype type, Rights base, Rights inheriting) {
  FdEntry e;
  e.type = type;
  e.rightsBase = base;
  e.rightsInheriting = inheriting;
  e.hostFd = hostFd;
  e.isStdio = true;
  return e;
}

Fd FdTable::insert(FdEntry entry) {
  // Keys are ordered, so the first gap in 0, 1, 2, ... is the lowest free.
  Fd candidate = 0;
  for (const auto &[fd, _] : entries_) {
    if (fd != candidate) break;
    ++candidate;
  }
  entries_.emplace(candidate, std::move(entry));
  return candidate;
}

void FdTable::insertAt(Fd fd, FdEntry entry) {
  assert(!contains(fd));
  entries_.emplace(fd, std::move(entry));
}

ErrnoOr<FdEntry *> FdTable::get(Fd fd, Rights required) {
  auto it = entries_.find(fd);
  if (it == entries_.end()) return Errno::BadF;
  if ((it->second.rightsBase & required) != required) return Errno::NotCapable;
  return &it->second;
}

Errno FdTable::close(Fd fd) {
  auto it = entries_.find(fd);
  if (it == entries_.end()) return Errno::BadF;
  // Erasing destroys the UniqueFd, which closes owned host fds; stdio
  // entries own nothing.
  entries_.erase(it);
  return Errno::Success;
}

Errno FdTable::renumber(Fd from, Fd to) {
  auto src = entries_.find(from);
  auto dst = entries_.find(to);
  if (src == entries_.end() || dst == entries_.end()) return Errno::BadF;
  if (from == to) return Errno::Success;
  dst->second = std::move(src->second);
  entries_.erase(src);
  return Errno::Success;
}

} // namespace lucet::wasi
