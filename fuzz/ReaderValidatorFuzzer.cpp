// Arbitrary bytes through the binary reader and, when they read as a module,
// the validator. Either may reject the input with an error; neither may
// crash, hang, leak or run into undefined behaviour.

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto module = lucet::wasm::readModule(std::vector<uint8_t>(data, data + size));
  if (!module) return 0;
  auto valid = lucet::wasm::validateModule(*module);
  (void)valid;
  return 0;
}
