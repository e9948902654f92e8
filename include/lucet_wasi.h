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
/* What a guest wrote to a captured stdout or stderr. */
typedef struct lucet_wasi_output lucet_wasi_output_t;

LUCET_API lucet_wasi_config_t *lucet_wasi_config_new(void);
LUCET_API void lucet_wasi_config_delete(lucet_wasi_config_t *config);
/* The guest's argv, argv[0] included. */
LUCET_API void lucet_wasi_config_set_args(lucet_wasi_config_t *config, size_t argc,
                                          const char *const *argv);
LUCET_API void lucet_wasi_config_add_env(lucet_wasi_config_t *config, const char *key,
                                         const char *value);
/* Guest fds 0-2 are the host's; otherwise /dev/null (unless set below). */
LUCET_API void lucet_wasi_config_inherit_stdio(lucet_wasi_config_t *config);
/* Host directory `host_path` as `guest_path`: fd 3, 4, ... in call order. */
LUCET_API void lucet_wasi_config_preopen_dir(lucet_wasi_config_t *config, const char *host_path,
                                             const char *guest_path);
/* The same, read-only: the guest can read, list and stat, and gets
 * ENOTCAPABLE for anything that writes, creates, removes, renames or links. */
LUCET_API void lucet_wasi_config_preopen_dir_readonly(lucet_wasi_config_t *config,
                                                      const char *host_path,
                                                      const char *guest_path);

/* Standard streams, one at a time (each call replaces what
 * lucet_wasi_config_inherit_stdio or an earlier call set for that stream).
 * stdin is never writable by the guest, stdout and stderr never readable. */
/* stdin reads a copy of these `len` bytes, then end of file. */
LUCET_API void lucet_wasi_config_set_stdin_bytes(lucet_wasi_config_t *config, const void *data,
                                                 size_t len);
/* A host file: read as stdin; created (or truncated) as stdout or stderr.
 * Opened when an instance is created; failing that is the creation's error. */
LUCET_API void lucet_wasi_config_set_stdin_file(lucet_wasi_config_t *config, const char *path);
LUCET_API void lucet_wasi_config_set_stdout_file(lucet_wasi_config_t *config, const char *path);
LUCET_API void lucet_wasi_config_set_stderr_file(lucet_wasi_config_t *config, const char *path);
/* An open host descriptor (a pipe, a file, a socket), duplicated when an
 * instance is created: the caller keeps `fd` and must leave it open until
 * then. */
LUCET_API void lucet_wasi_config_set_stdin_fd(lucet_wasi_config_t *config, int fd);
LUCET_API void lucet_wasi_config_set_stdout_fd(lucet_wasi_config_t *config, int fd);
LUCET_API void lucet_wasi_config_set_stderr_fd(lucet_wasi_config_t *config, int fd);
/* Captures stdout (or stderr) in memory. The caller owns the returned
 * handle (lucet_wasi_output_delete), which reads what the guest of the last
 * instance created from `config` wrote, during or after its run. */
LUCET_API lucet_wasi_output_t *lucet_wasi_config_capture_stdout(lucet_wasi_config_t *config);
LUCET_API lucet_wasi_output_t *lucet_wasi_config_capture_stderr(lucet_wasi_config_t *config);
/* Copies up to `capacity` bytes of the output into `buffer` (no terminator
 * added) and returns the output's whole length, like snprintf: call with
 * capacity 0 to learn the size. */
LUCET_API size_t lucet_wasi_output_copy(const lucet_wasi_output_t *output, char *buffer,
                                        size_t capacity);
LUCET_API void lucet_wasi_output_delete(lucet_wasi_output_t *output);

/* lucet_instance_new, with WASI imports bound to a context built from
 * `config` (not consumed; names the linker defines take precedence). Fails
 * when the config cannot be opened (a preopen that does not exist). */
LUCET_API lucet_error_t *lucet_instance_new_wasi(const lucet_module_t *module,
                                                 const lucet_linker_t *linker,
                                                 const lucet_instance_limits_t *limits,
                                                 const lucet_wasi_config_t *config,
                                                 lucet_instance_t **out);

/* lucet_region_instance_new with WASI, as lucet_instance_new_wasi: the
 * instance takes a free slot of `region`, whose limits apply. */
LUCET_API lucet_error_t *lucet_region_instance_new_wasi(const lucet_region_t *region,
                                                        const lucet_module_t *module,
                                                        const lucet_linker_t *linker,
                                                        const lucet_wasi_config_t *config,
                                                        lucet_instance_t **out);

#ifdef __cplusplus
}
#endif

#endif
