#include "wasm/Module.h"

#include <fmt/format.h>

namespace lucet::wasm {

std::string Module::functionDisplayName(uint32_t funcIndex) const {
  if (auto it = functionNames.find(funcIndex); it != functionNames.end() && !it->second.empty())
    return it->second;
  for (const auto &e : exports)
    if (e.kind == ExternKind::Func && e.index == funcIndex) return e.name;
  return fmt::format("func[{}]", funcIndex);
}

} // namespace lucet::wasm
