// The smallest WASI command: wasi-libc's start-up and an empty main. What a
// per-request sandbox costs before it does any work.
int main(void) {
  return 0;
}
