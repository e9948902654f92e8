#pragma once

// Canonical type ids shared by every module in the process, so that a
// call_indirect through a table can compare one integer (FuncRef::typeId
// against VMContext::typeIds) even across instances and host functions.
//
// Types are compared as WebAssembly 3.0 does (iso-recursively): a type is
// its shape, with a reference to an earlier type of its module standing for
// that type's id and a reference to itself for "self". Two modules' types
// get the same id exactly when they are equivalent.

#include "abi/Metadata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::rt {

// The ids of a module's types, in order. Ids are never 0, which no function
// has. Thread safe; ids are never reused.
std::vector<uint32_t> canonicalTypeIds(const std::vector<abi::FuncTypeDesc> &types);

// The id of a type that refers to no module's types (a host function's).
uint32_t canonicalSignatureId(const abi::FuncTypeDesc &type);

// A module's value type in process-wide terms: a reference to one of the
// module's types becomes a reference to that type's id. Tables and globals
// keep their types this way, so that types from different modules compare.
abi::ValTypeDesc canonicalValType(abi::ValTypeDesc type, const std::vector<uint32_t> &typeIds);

// Subtyping between canonical value types (3.0 without GC): equal types; a
// non-null reference where a nullable one is expected; a function type where
// func is expected; nofunc and noextern below their hierarchies.
bool isSubtype(const abi::ValTypeDesc &sub, const abi::ValTypeDesc &super);

// "(i32, i32) -> (i32)"
std::string describeSignature(const abi::FuncTypeDesc &type);
std::string describeValueTypes(const std::vector<abi::ValTypeDesc> &types);
const char *valueTypeName(abi::ValTypeCode code);
std::string valueTypeName(const abi::ValTypeDesc &type);

} // namespace lucet::rt
