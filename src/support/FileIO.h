#pragma once

#include "support/Expected.h"
#include "support/UniqueFd.h"

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lucet {

// What a file of this st_mode is, for messages: "a directory", "a FIFO", ...
const char *describeFileType(mode_t mode);

// Opens `path` read-only and requires a regular file. The open does not
// block (a FIFO would otherwise wait for a writer forever); the error names
// the path and says what the file is instead ("is a FIFO, not a regular
// file").
Expected<UniqueFd> openRegularFile(const std::string &path);

// Reads a whole regular file; the error names the path and the OS reason.
// A file larger than `maxSize` (or one that grows past it while being read)
// is refused rather than read into memory.
Expected<std::vector<uint8_t>> readFile(const std::string &path,
                                        uint64_t maxSize = std::numeric_limits<uint64_t>::max());

// The first `count` bytes of a regular file, fewer when it is shorter.
Expected<std::vector<uint8_t>> readFileHead(const std::string &path, size_t count);

// Writes a file atomically: to a temporary beside it, then renamed over it,
// so a reader never sees half an artifact and a failure loses nothing.
// (moveIntoPlace says what happens when `path` is not a regular file.)
Status writeFileAtomically(const std::string &path, std::span<const uint8_t> bytes);

// Where to build a file that moveIntoPlace then puts at `path`: beside it
// (the same file system, so the rename is atomic), or in $TMPDIR (default
// /tmp) when `path` is a character device or a FIFO, which get a copy.
std::string temporaryPathFor(const std::string &path, const std::string &suffix = "");

// Puts the finished file `temp` at `path` and removes `temp`: renamed over
// `path`, unless `path` is a character device or a FIFO (`-o /dev/null`,
// `-o /dev/stdout`, a pipe), which gets temp's bytes written into it; a
// rename would replace the device node with a regular file. A directory or
// any other kind of file at `path` is an error.
Status moveIntoPlace(const std::string &temp, const std::string &path);

} // namespace lucet
