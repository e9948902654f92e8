// A WASI command with 1 MiB of initialised data: instantiation must lay it
// out in memory (a copy-on-write image in a region slot).
#define SIZE (1 << 20)

// Every byte non-zero, so the data segment really is 1 MiB.
static volatile unsigned char table[SIZE] = {[0 ... SIZE - 1] = 0x5a};

int main(int argc, char **argv) {
  (void)argv;
  // Touch one page so the run reads the data, and fail if it is not there.
  return table[argc * 4096] == 0x5a && table[SIZE - 1] == 0x5a ? 0 : 1;
}
