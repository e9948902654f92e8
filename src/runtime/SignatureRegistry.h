#pragma once

// Canonical signature ids shared by every module in the process, so that a
// call_indirect through a table can compare one integer (FuncRef::typeId
// against VMContext::typeIds) even across instances and host functions.

#include "abi/Metadata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::rt {

// The id for `type`: equal ids mean equal signatures. Never 0, which no
// function has. Thread safe; ids are never reused.
uint32_t canonicalSignatureId(const abi::FuncTypeDesc &type);

// "(i32, i32) -> (i32)"
std::string describeSignature(const abi::FuncTypeDesc &type);
std::string describeValueTypes(const std::vector<abi::ValTypeCode> &types);
const char *valueTypeName(abi::ValTypeCode code);

} // namespace lucet::rt
