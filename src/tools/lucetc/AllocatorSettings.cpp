#include "tools/lucetc/AllocatorSettings.h"

#include <malloc.h>

namespace lucet::tools {

void tuneAllocatorForCompiling() {
  // Blocks under 256 MiB come from the heap; the heap's top is given back
  // only past 1 GiB free (compileSharedObject still trims before linking).
  ::mallopt(M_MMAP_THRESHOLD, 256 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

} // namespace lucet::tools
