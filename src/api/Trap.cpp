#include "lucet/instance.hh"

#include "abi/TrapCode.h"

#include <fmt/format.h>

namespace lucet {

const char *trapKindText(TrapKind kind) {
  return abi::trapCodeText(abi::TrapCode(kind));
}

// The same wording as the runtime's, so that the CLI and embedders agree.
std::string Trap::describe() const {
  std::string text = trapKindText(kind);
  if (!message.empty()) text += ": " + message;
  if (!function.empty()) text += " in " + function;
  if (wasmOffset) text += fmt::format(" at wasm offset {:#x}", *wasmOffset);
  return text;
}

} // namespace lucet
