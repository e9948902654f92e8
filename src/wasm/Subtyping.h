#pragma once

// Type equivalence and subtyping over one module's types.
//
// 3.0 compares types iso-recursively: a type that is its own recursion group
// (every type until GC brings `rec`) is equivalent to another when both have
// the same shape, with references to earlier types compared by their
// equivalence class and a reference to the type itself as "self". The
// runtime canonicalises the same way across modules (SignatureRegistry).

#include "support/Expected.h"
#include "wasm/Types.h"

#include <vector>

namespace lucet::wasm {

class Subtyping {
public:
  // Refuses a type that names a later type or one that does not exist, or
  // a heap type this implementation does not support yet.
  static Expected<Subtyping> build(const std::vector<FuncType> &types);

  // The first index of a type equivalent to `typeIndex`.
  uint32_t canonical(uint32_t typeIndex) const { return canon_[typeIndex]; }
  size_t numTypes() const { return canon_.size(); }

  bool isSubtype(ValType sub, ValType super) const;
  bool isHeapSubtype(HeapType sub, HeapType super) const;
  bool allSubtypes(const std::vector<ValType> &sub, const std::vector<ValType> &super) const;

  // "unknown type N" for a concrete heap type out of range, a clear refusal
  // for GC's and the exception proposal's abstract heap types.
  Status checkValType(ValType t) const;

private:
  std::vector<uint32_t> canon_;
};

} // namespace lucet::wasm
