#include "text/WatParser.h"

#include "text/WatModule.h"

namespace lucet::text {

std::optional<std::string> moduleId(const SExpr &module) {
  size_t i = 1;
  if (i < module.items.size() && module.items[i].isKeyword("definition")) ++i;
  if (i < module.items.size() && module.items[i].isAtom(Token::Kind::Id))
    return module.items[i].token.text;
  return std::nullopt;
}

Expected<std::vector<uint8_t>> encodeModule(const SExpr &module) {
  if (!module.isListOf("module"))
    return errorAt(module.location(),
                   fmt::format("expected (module ...), found {}", describe(module)));
  size_t i = 1;
  if (i < module.items.size() && module.items[i].isKeyword("definition")) ++i;
  if (i < module.items.size() && module.items[i].isAtom(Token::Kind::Id)) ++i;
  if (i < module.items.size() &&
      (module.items[i].isKeyword("binary") || module.items[i].isKeyword("quote"))) {
    bool binary = module.items[i].isKeyword("binary");
    std::string text;
    for (size_t k = i + 1; k < module.items.size(); ++k) {
      const SExpr &part = module.items[k];
      if (!part.isAtom(Token::Kind::String))
        return errorAt(part.location(), fmt::format("expected a string, found {}", describe(part)));
      text += part.token.text;
      if (!binary) text += ' ';
    }
    if (binary) return std::vector<uint8_t>(text.begin(), text.end());
    return parseWat(text);
  }
  WatModule m;
  return m.encode(Cursor(module.items, i));
}

Expected<std::vector<uint8_t>> parseWat(std::string_view source) {
  LUCET_ASSIGN_OR_RETURN(top, readSExprs(source));
  if (top.size() == 1 && top[0].isListOf("module")) return encodeModule(top[0]);
  for (const auto &e : top)
    if (e.isListOf("module")) return errorAt(e.location(), "a module inside a module's fields");
  WatModule m;
  return m.encode(Cursor(top, 0));
}

} // namespace lucet::text
