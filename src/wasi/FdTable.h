#pragma once

// The guest's file descriptors: numbers handed out lowest-free (as POSIX
// does, which keeps numbering deterministic and easy to test), each naming a
// host fd with the rights the guest holds on it. Every operation takes time
// logarithmic in the number of open descriptors: a guest holding many files
// must not make each new open slower.
//
// Guests are single-threaded (see the lucet-wasi contract), so the table has
// no lock; a WasiCtx must not be shared by instances running concurrently.

#include "support/UniqueFd.h"
#include "wasi/ErrnoOr.h"
#include "wasi/WasiTypes.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lucet::wasi {

struct FdEntry {
  Filetype type = Filetype::Unknown;
  Rights rightsBase = 0;
  Rights rightsInheriting = 0;
  // The host fd we own and close; empty for inherited stdio.
  UniqueFd owned;
  // The host fd to operate on: owned.get(), or the host's 0/1/2.
  int hostFd = -1;
  // Inherited host stdio: never closed by us.
  bool isStdio = false;
  // Status flags kept here instead of on the host fd, for a host fd shared
  // with other guests (the process's /dev/null) or with the host (inherited
  // stdio), so that no guest's flags reach anyone else. WasiCtx emulates
  // Nonblock by polling before a read or write. Append is only recorded:
  // such a guest cannot seek, so its writes land where the host's
  // description puts them (at the end if the host opened it to append).
  std::optional<uint16_t> emulatedFlags;
  // The guest path of a preopened directory (what fd_prestat_dir_name says).
  std::optional<std::string> preopenName;

  static FdEntry owning(UniqueFd fd, Filetype type, Rights base, Rights inheriting);
  static FdEntry stdio(int hostFd, Filetype type, Rights base, Rights inheriting);
};

class FdTable {
public:
  // Adds an entry under the lowest free number.
  Fd insert(FdEntry entry);
  // Adds an entry under a given number, which must be free.
  void insertAt(Fd fd, FdEntry entry);

  // The entry for `fd` if it holds all of `required` (BadF: no such fd,
  // NotCapable: a right is missing).
  ErrnoOr<FdEntry *> get(Fd fd, Rights required = 0);

  // Removes and closes `fd` (stdio entries are removed but never closed).
  Errno close(Fd fd);
  // Moves `from` onto `to`, closing what `to` held; both must exist.
  Errno renumber(Fd from, Fd to);

  bool contains(Fd fd) const { return entries_.count(fd) != 0; }
  size_t size() const { return entries_.size(); }

private:
  void markUsed(Fd fd);
  void markFree(Fd fd);

  std::map<Fd, FdEntry> entries_;
  // The free numbers as disjoint runs [first, second), so that the lowest
  // free one is the first run's start. 64-bit ends let the last run reach
  // past the largest Fd.
  std::map<uint64_t, uint64_t> freeRuns_ = {{0, uint64_t(UINT32_MAX) + 1}};
};

} // namespace lucet::wasi
