#pragma once

#include "abi/TrapCode.h"

#include <cstdint>
#include <string>

namespace lucet::rt {

// Why a guest stopped abnormally: the kind, the function it was in (name, or
// "func[N]" when the module has none) and the wasm code offset when known.
struct Trap {
  abi::TrapCode code = abi::TrapCode::None;
  uint32_t funcIndex = UINT32_MAX; // UINT32_MAX when not in guest code
  std::string funcName;
  uint32_t wasmOffset = 0;
  bool hasWasmOffset = false;
  std::string message; // extra detail for HostError

  // "out of bounds memory access in foo at wasm offset 0x1a2"
  std::string describe() const;
};

} // namespace lucet::rt
