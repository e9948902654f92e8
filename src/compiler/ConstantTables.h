#pragma once

#include "support/Expected.h"
#include "wasm/Module.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lucet::compiler {

// A funcref table whose contents are known when compiling: every instance
// holds exactly `slots` in it from the moment any of its functions can run
// until the instance is gone. `call_indirect` through such a table needs no
// runtime table: see FunctionEmitter::emitCallIndirect.
//
// A table qualifies when all of these hold:
// - it is defined by the module (not imported) and not exported, so only this
//   module's code and instantiation can reach it (the runtime offers no other
//   way to a table; Instance::reset re-applies the same segments);
// - no instruction of the module can change it: no table.set, table.grow,
//   table.fill, table.init into it, or table.copy into it;
// - every active element segment of the module has an i32.const offset and
//   fits its table (a defined table's initial size, an imported table's
//   declared minimum), so instantiation never stops half-way through the
//   segments with some of this module's functions already reachable;
// - the segments that fill it hold only ref.func of defined functions and
//   ref.null (an imported function's code and context are per instance);
// - its initial size is at most MaxConstantTableSize.
struct ConstantTable {
  static constexpr uint32_t NullSlot = UINT32_MAX;
  // Per slot: the function index (always a defined function) or NullSlot.
  std::vector<uint32_t> slots;
};

constexpr uint64_t MaxConstantTableSize = 1u << 16;

// One entry per table index (imports first); nullopt for a table that does
// not qualify. Fails only on a malformed function body, which validation has
// already excluded.
Expected<std::vector<std::optional<ConstantTable>>> findConstantTables(const wasm::Module &module);

} // namespace lucet::compiler
