/* recurse: call-heavy recursion: a naive Fibonacci-shaped recursion, the Ackermann function and
 * Takeuchi's tak, which do almost nothing but calls and returns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Fibonacci-shaped recursion; the mixing keeps the compiler from turning one
 * of the two calls into a loop (as it does with a plain fib(n-1)+fib(n-2)). */
__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : ((fib(n - 1) ^ (fib(n - 2) << 1)) + 1u);
}

__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static int tak(int x, int y, int z) {
  return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 39;
  uint32_t f = fib(n);
  uint32_t a = ack(2, 3000) + ack(3, 8);
  int t = 0;
  for (unsigned i = 0; i < 20; i++) t += tak(18 + (int)(i & 1), 12, 6);
  printf("fib=%u ack=%u tak=%d\n", f, a, t);
  printf("%u\n", f ^ (a * 2654435761u) ^ (uint32_t)t);
  return 0;
}
