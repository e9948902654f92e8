/* A C embedder: loads guest.so, defines env.print and env.mul, runs
 * run(7) and prints what happened. */
#include <lucet.h>

#include <stdio.h>
#include <stdlib.h>

static void print(void *env, lucet_caller_t *caller, const lucet_val_t *args, size_t nargs,
                  lucet_val_t *results, size_t nresults) {
  const char *prefix = env;
  uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
  const uint8_t *text = lucet_caller_memory(caller, ptr, len);
  if (!text) {
    printf("%s: refused out-of-bounds string at %u\n", prefix, ptr);
    return;
  }
  printf("%s: %.*s\n", prefix, (int)len, (const char *)text);
}

static void mul(void *env, lucet_caller_t *caller, const lucet_val_t *args, size_t nargs,
                lucet_val_t *results, size_t nresults) {
  results[0].kind = LUCET_I32;
  results[0].of.i32 = args[0].of.i32 * args[1].of.i32;
}

static int fail(lucet_error_t *error) {
  fprintf(stderr, "error: %s\n", lucet_error_message(error));
  lucet_error_delete(error);
  return 1;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "guest.so";
  lucet_module_t *module;
  lucet_error_t *error = lucet_module_load(path, &module);
  if (error) return fail(error);

  lucet_linker_t *linker = lucet_linker_new();
  lucet_valkind_t two_i32[] = {LUCET_I32, LUCET_I32}, one_i32[] = {LUCET_I32};
  if ((error = lucet_linker_define_func(linker, "env", "print", two_i32, 2, NULL, 0, print,
                                        "guest says", NULL)) ||
      (error =
           lucet_linker_define_func(linker, "env", "mul", two_i32, 2, one_i32, 1, mul, NULL, NULL)))
    return fail(error);

  lucet_instance_limits_t limits;
  lucet_instance_limits_default(&limits);
  limits.heap_size = 1 << 20;
  lucet_instance_t *instance;
  if ((error = lucet_instance_new(module, linker, &limits, &instance))) return fail(error);

  lucet_val_t arg = {.kind = LUCET_I32, .of.i32 = 7}, result;
  lucet_run_result_t run;
  if ((error = lucet_instance_run(instance, "run", &arg, 1, &result, 1, &run))) return fail(error);
  switch (run.kind) {
  case LUCET_RUN_RETURNED:
    printf("run(7) returned %d\n", result.of.i32);
    break;
  case LUCET_RUN_TRAPPED:
    printf("run(7) trapped: %s\n", run.trap_message);
    break;
  case LUCET_RUN_EXITED:
    printf("run(7) exited with %u\n", run.exit_code);
    break;
  }

  lucet_instance_delete(instance);
  lucet_linker_delete(linker);
  lucet_module_delete(module);
  return 0;
}
