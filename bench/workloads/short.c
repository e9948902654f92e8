/* short: a start-up-dominated program of about 20 ms natively (the default N, 3 million): a sieve
 * of Eratosthenes up to N and a few hundred lines of formatted output, the shape of a small
 * command-line tool. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 3000000;
  unsigned char *composite = calloc(n + 1, 1);
  if (!composite) return 1;
  for (unsigned i = 2; (uint64_t)i * i <= n; i++)
    if (!composite[i])
      for (unsigned j = i * i; j <= n; j += i) composite[j] = 1;
  unsigned count = 0;
  uint64_t sum = 0;
  for (unsigned i = 2; i <= n; i++)
    if (!composite[i]) {
      count++;
      sum += i;
      if (count % 4096 == 0) printf("prime %u: %u\n", count, i);
    }
  printf("%u %llu\n", count, (unsigned long long)sum);
  return 0;
}
