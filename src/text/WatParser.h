#pragma once

// The WebAssembly text format's modules, parsed into the binary format, which
// the binary reader (wasm/BinaryReader) then turns into the module model that
// the validator and the compiler use: one reader, one model. Errors say
// "line:column: what" with the offending token.

#include "text/SExpr.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucet::text {

// A whole .wat file: one `(module ...)`, or a module's fields without it.
Expected<std::vector<uint8_t>> parseWat(std::string_view source);

// A `(module $id? field*)` expression; `binary` and `quote` modules too.
Expected<std::vector<uint8_t>> encodeModule(const SExpr &module);

// The optional `$id` of a `(module ...)`.
std::optional<std::string> moduleId(const SExpr &module);

} // namespace lucet::text
