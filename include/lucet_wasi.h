/* WASI (wasi_snapshot_preview1) for instances made through the C API:
 * describe the guest's view of the host with a lucet_wasi_config_t, then
 * create the instance with it. */
#ifndef LUCET_WASI_H
#define LUCET_WASI_H

#include "lucet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lucet_wasi_config lucet_wasi_config_t;

LUCET_API lucet_wasi_config_t *lucet_wasi_config_new(void);
LUCET_API void lucet_wasi_config_delete(lucet_wasi_config_t *config);
/* The guest's argv, argv[0] included. */
LUCET_API void lucet_wasi_config_set_args(lucet_wasi_config_t *config, size_t argc,
                                          const char *const *argv);
LUCET_API void lucet_wasi_config_add_env(lucet_wasi_config_t *config, const char *key,
                                         const char *value);
/* Guest fds 0-2 are the host's; otherwise /dev/null. */
LUCET_API void lucet_wasi_config_inherit_stdio(lucet_wasi_config_t *config);
/* Host directory `host_path` as `guest_path`: fd 3, 4, ... in call order. */
LUCET_API void lucet_wasi_config_preopen_dir(lucet_wasi_config_t *config, const char *host_path,
                                             const char *guest_path);

/* lucet_instance_new, with WASI imports bound to a context built from
 * `config` (not consumed; names the linker defines take precedence). Fails
 * when the config cannot be opened (a preopen that does not exist). */
LUCET_API lucet_error_t *lucet_instance_new_wasi(const lucet_module_t *module,
                                                 const lucet_linker_t *linker,
                                                 const lucet_instance_limits_t *limits,
                                                 const lucet_wasi_config_t *config,
                                                 lucet_instance_t **out);

#ifdef __cplusplus
}
#endif

#endif
