// Allocates 1 MiB blocks until malloc fails and prints how many MiB it got,
// which --max-heap-size must bound. Touches each block so the memory is
// real, and chains the blocks into a list that is walked at the end so the
// compiler cannot elide the allocations.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Block {
  struct Block *next;
};

int main(void) {
  const size_t size = 1024 * 1024;
  struct Block *head = NULL;
  for (;;) {
    struct Block *block = malloc(size);
    if (!block)
      break;
    memset(block, 0xab, size);
    block->next = head;
    head = block;
  }
  size_t count = 0;
  while (head) {
    struct Block *next = head->next;
    free(head);
    head = next;
    ++count;
  }
  printf("allocated %zu MiB\n", count);
  return 0;
}
