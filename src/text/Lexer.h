#pragma once

// The tokens of the WebAssembly text format (WAT and WAST scripts): parens,
// keywords, identifiers, strings and "reserved" atoms (numbers and anything
// else made of identifier characters). Comments, whitespace and annotations
// (`(@name ...)`) are skipped. Every token knows its line and column.

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lucet::text {

struct Location {
  uint32_t line = 1;
  uint32_t column = 1;
};

struct Token {
  enum class Kind : uint8_t { LParen, RParen, Keyword, Id, String, Reserved };
  Kind kind = Kind::LParen;
  Location location;
  // The token as written; for an identifier without its `$`; for a string
  // the decoded bytes.
  std::string text;
};

// An error at a place in the source, as "line:column: message".
Error errorAt(Location at, const std::string &message);

Expected<std::vector<Token>> tokenize(std::string_view source);

} // namespace lucet::text
