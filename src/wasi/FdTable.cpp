#include "wasi/FdTable.h"

#include <cassert>
#include <iterator>

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

void FdTable::markUsed(Fd fd) {
  // The run holding fd is the last one starting at or below it.
  auto it = freeRuns_.upper_bound(fd);
  assert(it != freeRuns_.begin());
  --it;
  auto [first, end] = *it;
  assert(fd >= first && fd < end);
  freeRuns_.erase(it);
  if (first < fd) freeRuns_.emplace(first, fd);
  if (fd + 1 < end) freeRuns_.emplace(fd + 1, end);
}

void FdTable::markFree(Fd fd) {
  uint64_t first = fd, end = uint64_t(fd) + 1;
  auto next = freeRuns_.find(end);
  if (next != freeRuns_.end()) {
    end = next->second;
    freeRuns_.erase(next);
  }
  auto prev = freeRuns_.lower_bound(first);
  if (prev != freeRuns_.begin() && std::prev(prev)->second == first) {
    std::prev(prev)->second = end;
    return;
  }
  freeRuns_.emplace(first, end);
}

Fd FdTable::insert(FdEntry entry) {
  // 2^32 open entries would exhaust memory long before the numbers run out.
  assert(!freeRuns_.empty());
  Fd lowest = static_cast<Fd>(freeRuns_.begin()->first);
  markUsed(lowest);
  entries_.emplace(lowest, std::move(entry));
  return lowest;
}

void FdTable::insertAt(Fd fd, FdEntry entry) {
  assert(!contains(fd));
  markUsed(fd);
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
  markFree(fd);
  return Errno::Success;
}

Errno FdTable::renumber(Fd from, Fd to) {
  auto src = entries_.find(from);
  auto dst = entries_.find(to);
  if (src == entries_.end() || dst == entries_.end()) return Errno::BadF;
  if (from == to) return Errno::Success;
  dst->second = std::move(src->second);
  entries_.erase(src);
  markFree(from);
  return Errno::Success;
}

} // namespace lucet::wasi
