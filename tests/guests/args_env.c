// Prints what the guest was given: every argv entry and the environment.
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i)
    printf("argv[%d]=%s\n", i, argv[i]);
  int count = 0;
  for (char **e = environ; *e; ++e, ++count)
    printf("env=%s\n", *e);
  printf("envc=%d\n", count);
  return 0;
}
