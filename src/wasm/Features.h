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
  // 3.0 (multiple memories, memory64): a memory access's alignment field may
  // say that a memory index follows (bit 6), and its offset is a u64 that
  // the validator checks against the memory's address type (2.0: an
  // alignment and a u32 offset).
  bool memArgIndexAndOffset64 = true;
  // 3.0 (typed function references): value types (ref null? heaptype),
  // the bottom types nofunc and noextern, ref.null of any heap type,
  // call_ref, ref.as_non_null, br_on_null and br_on_non_null, and tables
  // with an initialiser.
  bool typedReferences = true;
  // 3.0 (multiple memories): a module may define and import several
  // memories, and memory.size, grow, fill, copy and init name theirs (2.0:
  // one memory, and a zero byte where the index goes).
  bool multipleMemories = true;
  // 3.0 (memory64, table64): memories and tables with 64-bit addresses
  // (limits flag 0x04), and limits read as u64.
  bool addressType64 = true;
  // 3.0 (exception handling): the tag section and tag imports and exports.
  bool exceptions = true;
  // 3.0 (tail calls): return_call, return_call_indirect, return_call_ref.
  bool tailCalls = true;

  static Features wasm2() {
    Features f;
    f.constantGlobalsFromDefinitions = false;
    f.extendedConst = false;
    f.memArgIndexAndOffset64 = false;
    f.typedReferences = false;
    f.multipleMemories = false;
    f.addressType64 = false;
    f.exceptions = false;
    f.tailCalls = false;
    return f;
  }
  static Features wasm3() { return Features(); }
};

} // namespace lucet::wasm
