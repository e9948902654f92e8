// Arbitrary text through the WAT parser and, when it yields a module, the
// binary reader and validator. Text may be refused with an error; nothing
// may crash, hang, leak or run into undefined behaviour. Seed it with the
// spec suite's .wast files (they are WAST, whose commands the parser
// refuses as module fields, but their modules' text is what it should see)
// and with .wat files.

#include "text/WatParser.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto bytes = lucet::text::parseWat(std::string_view(reinterpret_cast<const char *>(data), size));
  if (!bytes) return 0;
  auto module = lucet::wasm::readModule(std::move(*bytes));
  if (!module) return 0;
  auto valid = lucet::wasm::validateModule(*module);
  (void)valid;
  return 0;
}
