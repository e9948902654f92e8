// Unbounded recursion. The volatile store after the call keeps the compiler
// from turning it into a loop; nothing is address-taken, so the frames live
// on the native stack, which --stack-size bounds.
#include <stdio.h>

volatile int sink;

__attribute__((noinline)) int recurse(int depth) {
  if (depth == -1)
    return 0;
  int result = recurse(depth + 1);
  sink = result;
  return result + depth;
}

int main(void) {
  printf("recursing\n");
  fflush(stdout);
  printf("%d\n", recurse(0));
  return 0;
}
