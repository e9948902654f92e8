#pragma once

// Which version's rules the reader and validator apply where WebAssembly 3.0
// changed what 2.0 said. lucetc and the runtime take 3.0, as Wasmtime does;
// the 2.0 spec suite (../shared/spectest/core) is checked against 2.0's rules,
// since some of its assertions say the opposite of 3.0's.

namespace lucet::wasm {

struct Features {
  // 3.0: global.get in a constant expression may read any immutable global
  // defined before it (2.0: only imported ones).
  bool constantGlobalsFromDefinitions = true;
  // 3.0 (extended constant expressions): i32 and i64 add, sub and mul in
  // constant expressions (2.0: one instruction).
  bool extendedConst = true;

  static Features wasm2() {
    Features f;
    f.constantGlobalsFromDefinitions = false;
    f.extendedConst = false;
    return f;
  }
  static Features wasm3() { return Features(); }
};

} // namespace lucet::wasm
