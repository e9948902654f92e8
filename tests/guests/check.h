// Assertions for the guests that test one WASI area each: a failed check
// prints where and what errno said, then exits 1, so the test shows the
// first thing that went wrong instead of a bare status.
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      printf("FAIL line %d: %s (errno %d: %s)\n", __LINE__, #cond, errno, strerror(errno));        \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

// `expr` must fail (-1 or NULL-like negative) with errno `want`.
#define CHECK_ERRNO(expr, want)                                                                    \
  do {                                                                                             \
    errno = 0;                                                                                     \
    long rc_ = (long)(expr);                                                                       \
    if (rc_ != -1 || errno != (want)) {                                                            \
      printf("FAIL line %d: %s returned %ld errno %d (%s), want %s\n", __LINE__, #expr, rc_,       \
             errno, strerror(errno), #want);                                                       \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

// Escapes from a preopen: Wasmtime says EPERM, older runtimes ENOTCAPABLE.
#define CHECK_REFUSED(expr)                                                                        \
  do {                                                                                             \
    errno = 0;                                                                                     \
    long rc_ = (long)(expr);                                                                       \
    if (rc_ != -1 || (errno != ENOTCAPABLE && errno != EPERM)) {                                   \
      printf("FAIL line %d: %s returned %ld errno %d (%s), want ENOTCAPABLE or EPERM\n", __LINE__, \
             #expr, rc_, errno, strerror(errno));                                                  \
      exit(1);                                                                                     \
    }                                                                                              \
    printf("refused: %s: %s\n", #expr, errno == ENOTCAPABLE ? "ENOTCAPABLE" : "EPERM");            \
  } while (0)
