#pragma once

// The `spectest` module every spec script may import from: print functions
// (host functions that do nothing), four constant globals, a funcref table
// of 10..20 elements and a memory of 1..2 pages.

#include "runtime/ImportResolver.h"
#include "support/Expected.h"

namespace lucet::spectest {

Status defineSpectestModule(rt::Linker &linker);

} // namespace lucet::spectest
