#include "text/SExpr.h"

namespace lucet::text {

namespace {

// How deep lists may nest: far beyond real code, well within the stack.
constexpr size_t MaxDepth = 10'000;

} // namespace

Expected<std::vector<SExpr>> readSExprs(std::string_view source) {
  LUCET_ASSIGN_OR_RETURN(tokens, tokenize(source));
  std::vector<SExpr> top;
  // Open lists, innermost last; built without recursion.
  std::vector<SExpr> open;
  for (auto &token : tokens) {
    if (token.kind == Token::Kind::LParen) {
      if (open.size() == MaxDepth) return errorAt(token.location, "lists nested too deeply");
      SExpr list;
      list.isList = true;
      list.token = std::move(token);
      open.push_back(std::move(list));
      continue;
    }
    if (token.kind == Token::Kind::RParen) {
      if (open.empty()) return errorAt(token.location, "unexpected ')'");
      SExpr done = std::move(open.back());
      open.pop_back();
      (open.empty() ? top : open.back().items).push_back(std::move(done));
      continue;
    }
    SExpr atom;
    atom.token = std::move(token);
    (open.empty() ? top : open.back().items).push_back(std::move(atom));
  }
  if (!open.empty()) return errorAt(open.back().location(), "unclosed '('");
  return top;
}

Error errorIn(const SExpr &e, const std::string &message) {
  return errorAt(e.location(), fmt::format("{} (at {})", message, describe(e)));
}

std::string describe(const SExpr &e) {
  if (!e.isList) {
    switch (e.token.kind) {
    case Token::Kind::Id:
      return "$" + e.token.text;
    case Token::Kind::String:
      return "\"" + e.token.text + "\"";
    default:
      return e.token.text;
    }
  }
  if (e.items.empty()) return "()";
  return "(" + describe(e.items[0]) + (e.items.size() > 1 ? " ...)" : ")");
}

} // namespace lucet::text
