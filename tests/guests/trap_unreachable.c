// __builtin_trap compiles to wasm's unreachable.
#include <stdio.h>

__attribute__((noinline)) void reach_unreachable(int really) {
  if (really)
    __builtin_trap();
}

int main(void) {
  printf("trapping\n");
  fflush(stdout);
  reach_unreachable(1);
  printf("survived\n");
  return 0;
}
