// Calls a one-argument function through a pointer typed as taking two:
// wasm's call_indirect checks the signature and traps.
#include <stdio.h>

__attribute__((noinline)) int takes_one(int a) { return a + 1; }

typedef int (*TakesTwo)(int, int);

// Volatile so the call stays indirect; a direct call would be resolved (or
// replaced with a trap stub) at link time instead.
TakesTwo volatile target;

__attribute__((noinline)) int call_wrong_signature(void) { return target(1, 2); }

int main(void) {
  target = (TakesTwo)(void *)takes_one;
  printf("calling\n");
  fflush(stdout);
  printf("%d\n", call_wrong_signature());
  return 0;
}
