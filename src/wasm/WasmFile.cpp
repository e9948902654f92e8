#include "wasm/WasmFile.h"

#include "support/FileIO.h"

#include <cstring>

namespace lucet::wasm {

Expected<bool> isWasmFile(const std::string &path) {
  LUCET_ASSIGN_OR_RETURN(head, readFileHead(path, 4));
  return head.size() == 4 && std::memcmp(head.data(), "\0asm", 4) == 0;
}

Expected<std::vector<uint8_t>> readWasmFile(const std::string &path) {
  LUCET_ASSIGN_OR_RETURN(isWasm, isWasmFile(path));
  if (!isWasm) return Error::format("{}: not a WebAssembly binary (no \\0asm header)", path);
  auto bytes = readFile(path, MaxWasmFileSize);
  if (!bytes)
    return Error::format("{} (a .wasm may be at most {})", bytes.error().message(),
                         MaxWasmFileSizeText);
  return bytes;
}

} // namespace lucet::wasm
