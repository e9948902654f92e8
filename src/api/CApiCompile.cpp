#include "lucet/compile.hh"
#include "lucet_compile.h"

// lucet_error is defined by liblucet, whose lucet_error_delete frees what
// we allocate here: both sides must agree on the layout, which CApiImpl.h
// fixes.
#include "api/CApiImpl.h"

extern "C" lucet_error_t *lucet_compile_file(const char *wasm_path, const char *so_path,
                                             unsigned opt_level) {
  lucet::CompileOptions options;
  options.optLevel = opt_level;
  auto done = lucet::compileFile(wasm_path, so_path, options);
  if (!done) return lucet::capi::makeError(done.error().message());
  return nullptr;
}
