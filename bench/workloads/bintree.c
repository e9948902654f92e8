/* bintree: malloc-heavy. Builds and frees many complete binary trees of small
 * heap nodes (one long-lived tree stays allocated), counting nodes via
 * recursive walks, in the style of the classic "binary trees" benchmark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node { struct Node *l, *r; uint32_t v; } Node;

static Node *make(unsigned depth, uint32_t v) {
  Node *n = malloc(sizeof *n);
  if (!n) { printf("out of memory\n"); exit(1); }
  n->v = v;
  if (depth) { n->l = make(depth - 1, 2 * v); n->r = make(depth - 1, 2 * v + 1); }
  else n->l = n->r = 0;
  return n;
}
static uint32_t check(const Node *n) { return n->l ? n->v + check(n->l) - check(n->r) + 1 : n->v; }
static void drop(Node *n) { if (n->l) { drop(n->l); drop(n->r); } free(n); }

int main(int argc, char **argv) {
  unsigned maxd = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 16;
  if (maxd < 6) maxd = 6;
  Node *longlived = make(maxd, 1);
  uint32_t total = 0;
  for (unsigned d = 4; d <= maxd; d += 2) {
    uint32_t iters = 1u << (maxd - d + 4), sum = 0;
    for (uint32_t i = 0; i < iters; i++) {
      Node *t = make(d, i);
      sum += check(t);
      drop(t);
    }
    printf("depth %u: %u trees, check %u\n", d, iters, sum);
    total = total * 31u + sum;
  }
  total ^= check(longlived);
  drop(longlived);
  printf("%u\n", total);
  return 0;
}
