// Tail calls in C (clang's musttail; -mtail-call makes them wasm
// return_calls): a state machine of mutually recursive functions that runs
// 30 million steps, which only fits in the stack as tail calls, plus one
// through a function pointer (return_call_indirect). The native build
// prints the same.
#include <stdint.h>
#include <stdio.h>

typedef uint64_t (*step_fn)(uint64_t n, uint64_t acc);

static uint64_t even(uint64_t n, uint64_t acc);
static uint64_t odd(uint64_t n, uint64_t acc);

static uint64_t even(uint64_t n, uint64_t acc) {
  if (n == 0) return acc;
  __attribute__((musttail)) return odd(n - 1, acc * 3 + 1);
}

static uint64_t odd(uint64_t n, uint64_t acc) {
  if (n == 0) return acc ^ 0x5555;
  __attribute__((musttail)) return even(n - 1, acc + (n & 7));
}

// Each step picks the next from a table: indirect tail calls.
static uint64_t dispatch(uint64_t n, uint64_t acc);
static uint64_t stepA(uint64_t n, uint64_t acc) {
  __attribute__((musttail)) return dispatch(n, acc * 5 + 3);
}
static uint64_t stepB(uint64_t n, uint64_t acc) {
  __attribute__((musttail)) return dispatch(n, (acc << 1) ^ (acc >> 3) ^ n);
}
static step_fn volatile table[2] = {stepA, stepB};

static uint64_t dispatch(uint64_t n, uint64_t acc) {
  if (n == 0) return acc;
  step_fn next = table[(n >> 2) & 1];
  __attribute__((musttail)) return next(n - 1, acc);
}

int main(void) {
  printf("even/odd: %llu\n", (unsigned long long)even(30000000, 1));
  printf("dispatch: %llu\n", (unsigned long long)dispatch(3000000, 7));
  return 0;
}
