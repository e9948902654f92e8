// Integer division by zero; volatile operands keep the compiler from
// folding it (which would be undefined behaviour it could exploit).
#include <stdio.h>

volatile int numerator = 7;
volatile int denominator = 0;

__attribute__((noinline)) int divide(int a, int b) { return a / b; }

int main(void) {
  printf("dividing\n");
  fflush(stdout);
  printf("%d\n", divide(numerator, denominator));
  return 0;
}
