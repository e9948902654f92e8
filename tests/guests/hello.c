// The smallest WASI program: one line on stdout, exit status 0. A second
// export checks --entrypoint.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((export_name("greet_other"))) void greetOther(void) {
  // write(), not stdio: nothing has to be flushed when this export returns.
  const char *text = "Hello from another entrypoint\n";
  (void)!write(1, text, strlen(text));
}

int main(void) {
  printf("Hello, world!\n");
  return 0;
}
