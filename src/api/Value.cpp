#include "lucet/value.hh"

#include "runtime/SignatureRegistry.h"

namespace lucet {

// The public types use the wasm type codes, so the runtime's names serve.
const char *valTypeName(ValType type) {
  return rt::valueTypeName(abi::ValTypeCode(type));
}

std::string FuncType::describe() const {
  abi::FuncTypeDesc desc;
  for (ValType t : params) desc.params.push_back(abi::ValTypeCode(t));
  for (ValType t : results) desc.results.push_back(abi::ValTypeCode(t));
  return rt::describeSignature(desc);
}

} // namespace lucet
