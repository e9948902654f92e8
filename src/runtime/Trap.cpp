#include "runtime/Trap.h"

#include <fmt/format.h>

namespace lucet::rt {

std::string Trap::describe() const {
  std::string text = abi::trapCodeText(code);
  if (!message.empty()) text += ": " + message;
  if (!funcName.empty())
    text += " in " + funcName;
  else if (funcIndex != UINT32_MAX)
    text += fmt::format(" in func[{}]", funcIndex);
  if (hasWasmOffset) text += fmt::format(" at wasm offset {:#x}", wasmOffset);
  return text;
}

} // namespace lucet::rt
