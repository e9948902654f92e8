// Stores just below 4 GiB, far beyond linear memory: an out-of-bounds trap
// in oob_store.
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) void oob_store(uintptr_t address, uint32_t value) {
  *(volatile uint32_t *)address = value;
}

int main(void) {
  printf("storing\n");
  fflush(stdout);
  oob_store(0xFFFFFF00u, 42);
  printf("stored\n");
  return 0;
}
