/* hello: the smallest useful WASI program, for measuring end-to-end start-up. */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
