#pragma once

// Looks at a shared object by reading it, before anything hands it to
// dlopen. The dynamic loader trusts the file: it maps segments the file does
// not hold (a truncated file dies of SIGBUS inside dlopen), follows every
// offset in the dynamic section, and runs a library's constructors before
// its caller can see what it loaded. This check reads the file with bounds
// checks on every offset and refuses what would make dlopen crash, and any
// object that lacks the symbol its caller will look up.

#include "support/Expected.h"

#include <cstdint>
#include <string_view>

namespace lucet {

// Checks the file open at `fd` (read with pread; the offset is unchanged):
// a regular file holding a 64-bit little-endian ELF shared object for this
// machine, whose program headers and loadable segments lie inside the file,
// whose dynamic section and the tables it points to lie inside loadable
// segments, whose relocations patch only loadable memory, and whose dynamic
// symbol table defines `symbol` with `symbolSize` bytes of loadable memory
// at its address. The error is the reason alone; callers add the path.
Status checkSharedObject(int fd, std::string_view symbol, uint64_t symbolSize);

} // namespace lucet
