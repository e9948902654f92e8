// Exits through proc_exit with argv[1] (via exit()), or returns argv[2]
// from main when argv[1] is "return", to check both paths to the status.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "return") == 0) {
    printf("returning %s\n", argv[2]);
    return atoi(argv[2]);
  }
  int code = argc >= 2 ? atoi(argv[1]) : 0;
  printf("exiting with %d\n", code);
  fflush(stdout);
  exit(code);
}
