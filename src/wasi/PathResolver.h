#pragma once

// Resolves guest paths beneath a directory fd so that no `..`, absolute path
// or symlink can leave it (ANCHORS.md section 6.4). Everything works relative
// to fds we hold, never by joining or comparing strings, so a concurrent
// rename can make a lookup fail but never escape.
//
// Two strategies: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), where the
// kernel does the confinement, and a component-by-component walk that opens
// each directory with O_NOFOLLOW and expands symlinks itself. The walk is
// always compiled in; it runs when openat2 is missing or blocked, and tests
// force it to check both give the same answers.

#include "support/UniqueFd.h"
#include "wasi/ErrnoOr.h"

#include <string>
#include <string_view>
#include <sys/types.h>

namespace lucet::wasi {

enum class Follow : bool { No, Yes };

struct OpenRequest {
  int flags = 0; // open(2) flags; O_CLOEXEC is always added
  mode_t mode = 0;
  Follow follow = Follow::Yes; // whether a symlink as last component is followed
};

// A directory and a name in it, for one *at() call.
struct ResolvedParent {
  UniqueFd owned;     // holds dirFd unless it is the base itself
  int dirFd = -1;     // the directory to make the *at() call in
  std::string leaf;   // never empty and never ".."
  bool trailingSlash; // the guest path ended in '/': the leaf must be a directory
};

// Opens `path` beneath `baseDir` (path_open).
ErrnoOr<UniqueFd> openBeneath(int baseDir, std::string_view path, const OpenRequest &request);

// Resolves all but the last component of `path` beneath `baseDir`. With
// Follow::Yes (or a trailing slash) a symlink as last component is expanded
// too, still beneath `baseDir`, so callers always pass AT_SYMLINK_NOFOLLOW.
ErrnoOr<ResolvedParent> resolveParent(int baseDir, std::string_view path, Follow follow);

// Tests: use the component walk even where openat2 works.
void setForceComponentWalk(bool force);

} // namespace lucet::wasi
