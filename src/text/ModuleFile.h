#pragma once

// A module file as the tools take it: the binary format (recognized by its
// "\0asm" header, whatever the file is called) or the text format (a file
// whose first token opens a list or a comment, as every .wat does). Text is
// parsed into the binary format, so the tools go on with one kind of bytes.
// The size limits of wasm/WasmFile apply to both.

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucet::text {

enum class ModuleFileKind { Binary, Text, Other };

// What `path` holds; the error names the path and why it cannot be read.
Expected<ModuleFileKind> moduleFileKind(const std::string &path);

// The module in binary format. Text errors read "path:line:column: why".
Expected<std::vector<uint8_t>> readModuleFile(const std::string &path);

} // namespace lucet::text
