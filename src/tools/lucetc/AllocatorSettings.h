#pragma once

namespace lucet::tools {

// Sets the process's allocator up for compiling: LLVM allocates and frees
// blocks of a few hundred KiB to tens of MiB for every chunk, which glibc
// by default maps and unmaps each time (and trims from the heap), so the
// kernel faults the same pages in again and, with several threads, shoots
// down their TLB entries on every unmap. Kept in the heap instead, they are
// reused by the next chunk: a 16 MiB module at -O0 compiles about 20%
// faster on one thread with the same peak RSS. A tool's choice, not the
// compile library's: an embedder's allocator is its own.
void tuneAllocatorForCompiling();

} // namespace lucet::tools
