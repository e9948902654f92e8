#include "text/ModuleFile.h"

#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/WasmFile.h"

namespace lucet::text {

namespace {

// How much of a file is looked at to recognize text: leading white space
// longer than this is not a module anyone wrote.
constexpr size_t SniffBytes = 4096;

bool looksLikeText(const std::vector<uint8_t> &head) {
  for (size_t i = 0; i < head.size(); ++i) {
    uint8_t c = head[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '(' || (c == ';' && i + 1 < head.size() && head[i + 1] == ';');
  }
  return false;
}

} // namespace

Expected<ModuleFileKind> moduleFileKind(const std::string &path) {
  LUCET_ASSIGN_OR_RETURN(isBinary, wasm::isWasmFile(path));
  if (isBinary) return ModuleFileKind::Binary;
  LUCET_ASSIGN_OR_RETURN(head, readFileHead(path, SniffBytes));
  return looksLikeText(head) ? ModuleFileKind::Text : ModuleFileKind::Other;
}

Expected<std::vector<uint8_t>> readModuleFile(const std::string &path) {
  LUCET_ASSIGN_OR_RETURN(kind, moduleFileKind(path));
  switch (kind) {
  case ModuleFileKind::Binary:
    return wasm::readWasmFile(path);
  case ModuleFileKind::Text: {
    auto source = readFile(path, wasm::MaxWasmFileSize);
    if (!source)
      return Error::format("{} (a module may be at most {})", source.error().message(),
                           wasm::MaxWasmFileSizeText);
    auto bytes =
        parseWat(std::string_view(reinterpret_cast<const char *>(source->data()), source->size()));
    if (!bytes) return bytes.error().withContext(path);
    return bytes;
  }
  case ModuleFileKind::Other:
    break;
  }
  return Error::format("{}: not a WebAssembly module (neither the binary format's \\0asm header "
                       "nor the text format)",
                       path);
}

} // namespace lucet::text
