// Calls through a function pointer whose table index is far past the end
// of the function table.
#include <stdint.h>
#include <stdio.h>

typedef int (*Function)(int);

Function volatile target;

__attribute__((noinline)) int call_out_of_range(void) { return target(1); }

int main(void) {
  target = (Function)(uintptr_t)100000;
  printf("calling\n");
  fflush(stdout);
  printf("%d\n", call_out_of_range());
  return 0;
}
