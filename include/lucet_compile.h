/* Compiling .wasm to a loadable .so in process (library lucet-compile,
 * which links LLVM; lucet.h alone never does). */
#ifndef LUCET_COMPILE_H
#define LUCET_COMPILE_H

#include "lucet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* opt_level 0-3 (2 by default in lucetc). */
LUCET_API lucet_error_t *lucet_compile_file(const char *wasm_path, const char *so_path,
                                            unsigned opt_level);

#ifdef __cplusplus
}
#endif

#endif
