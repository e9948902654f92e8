#pragma once

// Operations on whole pages inside address ranges the runtime has reserved:
// what instance slots do to their heaps and stacks when they are handed out
// and cleaned. Every address and length must be page-aligned.

#include "support/Expected.h"
#include "support/UniqueFd.h"

#include <cstdint>
#include <span>

namespace lucet::platform {

// Readable and writable, or no access at all.
Status makePagesAccessible(void *begin, uint64_t length);
Status makePagesInaccessible(void *begin, uint64_t length);

// Drops the pages' contents: afterwards they read as zero in an anonymous
// mapping and as the file's contents in a private file mapping. Cheap for
// pages that were never touched.
Status discardPages(void *begin, uint64_t length);

// Replaces [begin, begin + length) by inaccessible, unbacked address space
// (what AddressReservation hands out), dropping whatever was mapped there.
Status resetToReserved(void *begin, uint64_t length);

// Maps the first `length` bytes of `fd` at `begin`, private and writable:
// writes make copies and never reach the file.
Status mapFilePrivately(void *begin, uint64_t length, int fd);

// A sealed, anonymous in-memory file holding `bytes` followed by zeros up to
// `size` bytes (at least bytes.size()).
Expected<UniqueFd> createMemoryFile(const char *name, std::span<const uint8_t> bytes,
                                    uint64_t size);

} // namespace lucet::platform
