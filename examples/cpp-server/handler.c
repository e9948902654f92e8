// A request handler: argv[1] is the request. It prints a reply (WASI
// stdout), asks the host for the request's price, and exits with a status:
// 0 for a known item, 4 for an unknown one. "crash" writes far outside
// its memory, which traps; "spin" never ends, until the host's deadline.
#include <stdio.h>
#include <string.h>

__attribute__((import_module("env"), import_name("price"))) int price(const char *name, int len);

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *item = argv[1];
  if (strcmp(item, "crash") == 0) {
    *(volatile int *)0xfffffff0u = 1;
    return 3;
  }
  if (strcmp(item, "spin") == 0) {
    for (volatile unsigned n = 0;; ++n) {
    }
  }
  int cents = price(item, (int)strlen(item));
  if (cents < 0) {
    printf("guest: no such item: %s\n", item);
    return 4;
  }
  printf("guest: %s costs %d.%02d\n", item, cents / 100, cents % 100);
  return 0;
}
