/* The C embedding API of lucet-cpp: load modules compiled by lucetc, define
 * host functions, run exports. The C++ API (lucet/lucet.hh) is the same
 * library seen through classes.
 *
 * Conventions: every object made by lucet_X_new (or an out parameter of a
 * call) is freed with lucet_X_delete. Fallible calls return NULL on success
 * or a lucet_error_t the caller owns and frees with lucet_error_delete. */
#ifndef LUCET_H
#define LUCET_H

#include "lucet/export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lucet_error lucet_error_t;
typedef struct lucet_module lucet_module_t;
typedef struct lucet_linker lucet_linker_t;
typedef struct lucet_instance lucet_instance_t;
typedef struct lucet_caller lucet_caller_t;
typedef struct lucet_tag lucet_tag_t;
typedef struct lucet_region lucet_region_t;
typedef struct lucet_interrupt_handle lucet_interrupt_handle_t;

/* ---- errors ---- */
LUCET_API const char *lucet_error_message(const lucet_error_t *error);
LUCET_API void lucet_error_delete(lucet_error_t *error);

/* ---- values ---- */
/* The wasm binary format's type codes. */
typedef enum lucet_valkind {
  LUCET_I32 = 0x7f,
  LUCET_I64 = 0x7e,
  LUCET_F32 = 0x7d,
  LUCET_F64 = 0x7c,
} lucet_valkind_t;

typedef struct lucet_val {
  lucet_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
  } of;
} lucet_val_t;

/* ---- modules ---- */
LUCET_API lucet_error_t *lucet_module_load(const char *so_path, lucet_module_t **out);
LUCET_API void lucet_module_delete(lucet_module_t *module);

/* ---- host functions ---- */
/* Called when a guest calls the import: `args` holds the declared
 * parameters, and every declared result must be written to `results`.
 * `caller` gives bounds-checked access to the guest's memory and is valid
 * only during the call. */
typedef void (*lucet_host_func_t)(void *env, lucet_caller_t *caller, const lucet_val_t *args,
                                  size_t nargs, lucet_val_t *results, size_t nresults);

LUCET_API lucet_linker_t *lucet_linker_new(void);
LUCET_API void lucet_linker_delete(lucet_linker_t *linker);
/* Defines module.name. `finalizer` (may be NULL) is called with `env` when
 * the function is no longer used by the linker or any instance. */
LUCET_API lucet_error_t *lucet_linker_define_func(lucet_linker_t *linker, const char *module,
                                                  const char *name, const lucet_valkind_t *params,
                                                  size_t nparams, const lucet_valkind_t *results,
                                                  size_t nresults, lucet_host_func_t func,
                                                  void *env, void (*finalizer)(void *env));

/* Bytes of linear memory the caller has. */
LUCET_API uint64_t lucet_caller_memory_size(const lucet_caller_t *caller);
/* [ptr, ptr + len) of the caller's memory, or NULL when any byte lies
 * outside it. */
LUCET_API uint8_t *lucet_caller_memory(const lucet_caller_t *caller, uint32_t ptr, uint32_t len);
/* Copy between guest and host memory; false (and nothing copied) when out
 * of bounds. */
LUCET_API bool lucet_caller_read(const lucet_caller_t *caller, uint32_t ptr, void *dst,
                                 uint32_t len);
LUCET_API bool lucet_caller_write(lucet_caller_t *caller, uint32_t ptr, const void *src,
                                  uint32_t len);
/* End the guest once the host function returns: with a host-error trap, or
 * with an exit code. */
LUCET_API void lucet_caller_trap(lucet_caller_t *caller, const char *message);
LUCET_API void lucet_caller_exit(lucet_caller_t *caller, uint32_t code);

/* ---- exception tags ---- */
/* A new wasm exception tag (see lucet/tag.hh): distinct from every other
 * tag, even of the same types; `name` is for messages. Guests import it
 * through lucet_linker_define_tag; host functions throw it with
 * lucet_caller_throw. */
LUCET_API lucet_error_t *lucet_tag_new(const char *name, const lucet_valkind_t *params,
                                       size_t nparams, lucet_tag_t **out);
LUCET_API void lucet_tag_delete(lucet_tag_t *tag);
/* Whether two handles name the same tag. */
LUCET_API bool lucet_tag_same(const lucet_tag_t *a, const lucet_tag_t *b);
/* Defines (or replaces) module.name as `tag` (copied; `tag` may then be
 * deleted). */
LUCET_API lucet_error_t *lucet_linker_define_tag(lucet_linker_t *linker, const char *module,
                                                 const char *name, const lucet_tag_t *tag);
/* Throw a wasm exception of `tag` with `args` into the guest once the host
 * function returns: its nearest handler for the tag runs, and a run it
 * leaves uncaught ends with LUCET_TRAP_UNCAUGHT_EXCEPTION. Args of other
 * types than the tag's make a host-error trap instead. */
LUCET_API void lucet_caller_throw(lucet_caller_t *caller, const lucet_tag_t *tag,
                                  const lucet_val_t *args, size_t nargs);

/* ---- instances ---- */
/* Sizes in bytes, multiples of 4 KiB. */
typedef struct lucet_instance_limits {
  uint64_t heap_size;          /* default 4 GiB */
  uint64_t heap_address_space; /* default 8 GiB */
  uint64_t stack_size;         /* default 8 MiB */
  /* Elements, not bytes: of any one table (table.grow fails beyond it, a
   * module whose table starts larger is refused), and of all the tables one
   * instance defines together. Both default to 10,000,000; 0 also means the
   * default, so code written before these fields existed keeps working. */
  uint64_t table_elements;
  uint64_t total_table_elements;
} lucet_instance_limits_t;
LUCET_API void lucet_instance_limits_default(lucet_instance_limits_t *limits);

/* `linker` and `limits` may be NULL (no host functions, default limits).
 * The module and linker may be deleted while the instance lives. */
LUCET_API lucet_error_t *lucet_instance_new(const lucet_module_t *module,
                                            const lucet_linker_t *linker,
                                            const lucet_instance_limits_t *limits,
                                            lucet_instance_t **out);
LUCET_API void lucet_instance_delete(lucet_instance_t *instance);

typedef enum lucet_run_kind {
  LUCET_RUN_RETURNED,
  LUCET_RUN_TRAPPED,
  LUCET_RUN_EXITED,
} lucet_run_kind_t;

/* Values match lucet::TrapKind. */
typedef enum lucet_trap_kind {
  LUCET_TRAP_OUT_OF_BOUNDS = 1,
  LUCET_TRAP_STACK_OVERFLOW,
  LUCET_TRAP_UNREACHABLE,
  LUCET_TRAP_INTEGER_DIVIDE_BY_ZERO,
  LUCET_TRAP_INTEGER_OVERFLOW,
  LUCET_TRAP_INVALID_CONVERSION,
  LUCET_TRAP_TABLE_OUT_OF_BOUNDS,
  LUCET_TRAP_INDIRECT_CALL_NULL,
  LUCET_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
  LUCET_TRAP_TABLE_ACCESS_OUT_OF_BOUNDS,
  LUCET_TRAP_NULL_REFERENCE,
  LUCET_TRAP_INTERRUPTED,
  LUCET_TRAP_HOST_ERROR,
  LUCET_TRAP_NULL_FUNCTION_REFERENCE,
  LUCET_TRAP_UNCAUGHT_EXCEPTION, /* a wasm exception left the guest; the message names its tag */
} lucet_trap_kind_t;

/* How a run ended. The strings belong to the instance and stay valid until
 * its next run or its deletion. */
typedef struct lucet_run_result {
  lucet_run_kind_t kind;
  size_t nresults;           /* RETURNED: values written to `results` */
  uint32_t exit_code;        /* EXITED */
  lucet_trap_kind_t trap;    /* TRAPPED */
  const char *trap_function; /* TRAPPED: "" when not in guest code */
  bool trap_has_wasm_offset; /* TRAPPED */
  uint32_t trap_wasm_offset; /* TRAPPED */
  const char *trap_message;  /* TRAPPED: the whole description */
} lucet_run_result_t;

/* Runs the export `name`. An error (nothing ran) for an unknown export,
 * arguments of the wrong types or too little room in `results`. */
LUCET_API lucet_error_t *lucet_instance_run(lucet_instance_t *instance, const char *name,
                                            const lucet_val_t *args, size_t nargs,
                                            lucet_val_t *results, size_t results_capacity,
                                            lucet_run_result_t *out);

/* lucet_instance_run with a time limit: a run still going after
 * `timeout_ns` nanoseconds (0: at once) ends with LUCET_TRAP_INTERRUPTED. */
LUCET_API lucet_error_t *lucet_instance_run_timeout(lucet_instance_t *instance, const char *name,
                                                    const lucet_val_t *args, size_t nargs,
                                                    lucet_val_t *results, size_t results_capacity,
                                                    uint64_t timeout_ns, lucet_run_result_t *out);

/* The instance's linear memory; valid until the next run. */
LUCET_API uint8_t *lucet_instance_memory(const lucet_instance_t *instance, uint64_t *size);

/* The exported global `name`: false when there is none (or it is not an
 * i32, i64, f32 or f64). Setting fails for an immutable global or a value
 * of another type. */
LUCET_API bool lucet_instance_global_get(const lucet_instance_t *instance, const char *name,
                                         lucet_val_t *out);
LUCET_API lucet_error_t *lucet_instance_global_set(lucet_instance_t *instance, const char *name,
                                                   const lucet_val_t *value);

/* The exported tag `name` (free it with lucet_tag_delete), or NULL when
 * there is none or a parameter of it is not a number. */
LUCET_API lucet_tag_t *lucet_instance_tag(const lucet_instance_t *instance, const char *name);
/* Back to the state creation left: initial memory, globals and tables, a
 * fresh WASI context, the start function run again. */
LUCET_API lucet_error_t *lucet_instance_reset(lucet_instance_t *instance);

/* ---- kill switch ---- */
/* A handle that stops the instance's run from any thread: the run ends with
 * LUCET_TRAP_INTERRUPTED as soon as the guest is in its own code; with no
 * run in progress, the next run stops before it starts. The handle may
 * outlive the instance (terminating then does nothing). The runtime uses
 * SIGURG to interrupt the running thread. */
LUCET_API lucet_interrupt_handle_t *
lucet_instance_interrupt_handle(const lucet_instance_t *instance);
LUCET_API void lucet_interrupt_handle_terminate(const lucet_interrupt_handle_t *handle);
LUCET_API void lucet_interrupt_handle_delete(lucet_interrupt_handle_t *handle);

/* ---- regions: pooled instance slots ---- */
/* Reserves `slots` instance slots sized by `limits` (NULL: defaults) once;
 * instances created in the region take a free slot, map nothing new, and
 * give it back cleaned when deleted. Thread-safe. The region lives until it
 * and every instance in it are deleted. */
LUCET_API lucet_error_t *lucet_region_new(const lucet_instance_limits_t *limits, uint32_t slots,
                                          lucet_region_t **out);
LUCET_API void lucet_region_delete(lucet_region_t *region);
LUCET_API uint32_t lucet_region_capacity(const lucet_region_t *region);
LUCET_API uint32_t lucet_region_slots_in_use(const lucet_region_t *region);
/* lucet_instance_new in a free slot of `region` (whose limits apply); an
 * error when every slot is in use. */
LUCET_API lucet_error_t *lucet_region_instance_new(const lucet_region_t *region,
                                                   const lucet_module_t *module,
                                                   const lucet_linker_t *linker,
                                                   lucet_instance_t **out);

#ifdef __cplusplus
}
#endif

#endif
