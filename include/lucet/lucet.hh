#pragma once

// The C++ embedding API of lucet-cpp: load modules compiled by lucetc, give
// them host functions and WASI, and run them. Link Lucet::lucet; for
// compiling .wasm in process include lucet/compile.hh and link
// Lucet::compile.

#include "lucet/caller.hh"
#include "lucet/error.hh"
#include "lucet/instance.hh"
#include "lucet/linker.hh"
#include "lucet/module.hh"
#include "lucet/tag.hh"
#include "lucet/value.hh"
#include "lucet/wasi.hh"
