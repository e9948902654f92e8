#pragma once

// The text format as a tree: a list in parens or an atom (one token). The
// module and script parsers walk this tree; folded instructions are lists
// already.

#include "text/Lexer.h"

#include <memory>
#include <string>
#include <vector>

namespace lucet::text {

struct SExpr {
  bool isList = false;
  Token token; // atoms; for lists the "(" (its location)
  std::vector<SExpr> items;

  Location location() const { return token.location; }
  bool isAtom(Token::Kind kind) const { return !isList && token.kind == kind; }
  bool isKeyword(std::string_view word) const {
    return isAtom(Token::Kind::Keyword) && token.text == word;
  }
  // A list whose first item is the keyword `word`: (word ...).
  bool isListOf(std::string_view word) const {
    return isList && !items.empty() && items[0].isKeyword(word);
  }
  // The head keyword of a list, or "".
  std::string_view head() const {
    return isList && !items.empty() && items[0].isAtom(Token::Kind::Keyword)
               ? std::string_view(items[0].token.text)
               : std::string_view();
  }
};

// The top-level expressions of a source text.
Expected<std::vector<SExpr>> readSExprs(std::string_view source);

// A short rendering of an expression for error messages: "(module ...)".
std::string describe(const SExpr &e);

// An error at `e`: "line:column: message (at <describe(e)>)".
Error errorIn(const SExpr &e, const std::string &message);

} // namespace lucet::text
