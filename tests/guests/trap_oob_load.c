// Loads from 3 GiB, far beyond the few pages of linear memory this program
// has: an out-of-bounds trap in oob_load.
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) uint32_t oob_load(uintptr_t address) {
  return *(volatile uint32_t *)address;
}

int main(void) {
  printf("loading\n");
  fflush(stdout);
  printf("loaded %u\n", oob_load(0xC0000000u));
  return 0;
}
