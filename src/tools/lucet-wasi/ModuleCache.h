#pragma once

// On-the-fly compilation of .wasm inputs. lucet-wasi never links LLVM: it
// runs the lucetc executable and keeps the resulting .so in a cache keyed by
// everything that determines its contents.

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::tools {

// $LUCET_CACHE_DIR, else $XDG_CACHE_HOME/lucet, else $HOME/.cache/lucet.
Expected<std::string> cacheDirectory();

// The lucetc beside the running executable, else the first in $PATH.
Expected<std::string> findLucetc();

// The lucetc flags that make code fit a heap address space of this size:
// unchecked (guard-page) code when it covers 8 GiB, bounds-checked otherwise.
std::vector<std::string> heapFlagsFor(uint64_t heapAddressSpace);

// The cache key: SHA-256 over the module bytes, the compiler's version text
// and its flags, so a new lucetc or other flags never reuse a stale artifact.
std::string cacheKey(const std::vector<uint8_t> &wasm, const std::string &compilerVersion,
                     const std::vector<std::string> &flags);

// "cpu:sse3,ssse3,...": the CPU features lucetc may use on this machine. It
// is part of the cache key, because lucetc compiles for the host CPU and the
// loader refuses an artifact made for features this CPU lacks.
std::string hostCpuDescription();

// Returns the path of a .so compiled from `wasmPath`, compiling it first
// unless the cache already holds one. Concurrent runs are safe: each writes
// its own temporary and renames it into place.
Expected<std::string> compileCached(const std::string &wasmPath, uint64_t heapAddressSpace);

} // namespace lucet::tools
