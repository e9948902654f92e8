#include "text/WatModule.h"

#include "text/Literals.h"

#include <algorithm>

namespace lucet::text {

namespace {

constexpr uint8_t SectionType = 1, SectionImport = 2, SectionFunction = 3, SectionTable = 4,
                  SectionMemory = 5, SectionGlobal = 6, SectionExport = 7, SectionStart = 8,
                  SectionElem = 9, SectionCode = 10, SectionData = 11, SectionDataCount = 12,
                  SectionTag = 13;

// The index space of a field that defines or imports an entity.
Space spaceOf(std::string_view head) {
  return head == "func"     ? Space::Func
         : head == "table"  ? Space::Table
         : head == "memory" ? Space::Memory
         : head == "global" ? Space::Global
                            : Space::Tag;
}

const char *spaceName(Space s) {
  switch (s) {
  case Space::Func:
    return "function";
  case Space::Table:
    return "table";
  case Space::Memory:
    return "memory";
  case Space::Global:
    return "global";
  case Space::Tag:
    return "tag";
  case Space::Elem:
    return "elem segment";
  case Space::Data:
    return "data segment";
  case Space::Type:
    return "type";
  }
  return "index";
}

bool isString(const SExpr &e) {
  return e.isAtom(Token::Kind::String);
}
bool isId(const SExpr &e) {
  return e.isAtom(Token::Kind::Id);
}
bool isNumber(const SExpr &e) {
  return e.isAtom(Token::Kind::Reserved);
}

Status expectEnd(const Cursor &c) {
  if (!c.atEnd()) return errorIn(c.peek(), "unexpected token");
  return Status::ok();
}

// "i64" before memory and table limits: the 64-bit address type.
bool addressType64(Cursor &c) {
  if (!c.atEnd() && (c.peek().isKeyword("i64") || c.peek().isKeyword("i32"))) {
    return c.next().token.text == "i64";
  }
  return false;
}

} // namespace

Expected<uint32_t> WatModule::index(const SExpr &e, Space s) {
  if (isId(e)) {
    auto &names = space(s).names;
    auto it = names.find(e.token.text);
    if (it == names.end()) return errorIn(e, fmt::format("unknown {}", spaceName(s)));
    return it->second;
  }
  if (isNumber(e)) {
    auto v = parseUnsigned(e.token.text, 32);
    if (!v) return errorIn(e, v.error().message());
    return uint32_t(*v);
  }
  return errorIn(e, fmt::format("expected a {} index", spaceName(s)));
}

Status WatModule::bindName(Cursor &c, Space s, uint32_t idx) {
  if (c.atEnd() || !isId(c.peek())) return Status::ok();
  const SExpr &id = c.next();
  if (!space(s).names.emplace(id.token.text, idx).second)
    return errorIn(id, fmt::format("duplicate {}", spaceName(s)));
  return Status::ok();
}

// ---- types ----------------------------------------------------------------

Expected<std::vector<uint8_t>> WatModule::heapType(const SExpr &e) {
  static const std::map<std::string, uint8_t, std::less<>> abstract = {
      {"func", 0x70},  {"extern", 0x6f}, {"any", 0x6e},      {"eq", 0x6d},
      {"i31", 0x6c},   {"struct", 0x6b}, {"array", 0x6a},    {"exn", 0x69},
      {"noexn", 0x74}, {"nofunc", 0x73}, {"noextern", 0x72}, {"none", 0x71}};
  if (e.isAtom(Token::Kind::Keyword)) {
    auto it = abstract.find(e.token.text);
    if (it == abstract.end()) return errorIn(e, "unknown heap type");
    return std::vector<uint8_t>{it->second};
  }
  LUCET_ASSIGN_OR_RETURN(idx, index(e, Space::Type));
  ByteWriter w;
  w.sleb(int64_t(idx));
  return w.bytes;
}

Expected<std::vector<uint8_t>> WatModule::refType(const SExpr &e) {
  static const std::map<std::string, uint8_t, std::less<>> shorthand = {
      {"funcref", 0x70},    {"externref", 0x6f},   {"anyref", 0x6e},        {"eqref", 0x6d},
      {"i31ref", 0x6c},     {"structref", 0x6b},   {"arrayref", 0x6a},      {"exnref", 0x69},
      {"nullexnref", 0x74}, {"nullfuncref", 0x73}, {"nullexternref", 0x72}, {"nullref", 0x71}};
  if (e.isAtom(Token::Kind::Keyword)) {
    auto it = shorthand.find(e.token.text);
    if (it == shorthand.end()) return errorIn(e, "unknown reference type");
    return std::vector<uint8_t>{it->second};
  }
  if (!e.isListOf("ref")) return errorIn(e, "expected a reference type");
  Cursor c(e.items, 1);
  bool nullable = !c.atEnd() && c.peek().isKeyword("null");
  if (nullable) c.next();
  if (c.atEnd()) return errorIn(e, "expected a heap type");
  LUCET_ASSIGN_OR_RETURN(ht, heapType(c.next()));
  LUCET_TRY(expectEnd(c));
  std::vector<uint8_t> out{uint8_t(nullable ? 0x63 : 0x64)};
  out.insert(out.end(), ht.begin(), ht.end());
  return out;
}

Expected<std::vector<uint8_t>> WatModule::valueType(const SExpr &e) {
  static const std::map<std::string, uint8_t, std::less<>> numeric = {
      {"i32", 0x7f}, {"i64", 0x7e}, {"f32", 0x7d}, {"f64", 0x7c}, {"v128", 0x7b}};
  if (e.isAtom(Token::Kind::Keyword)) {
    auto it = numeric.find(e.token.text);
    if (it != numeric.end()) return std::vector<uint8_t>{it->second};
  }
  auto ref = refType(e);
  if (!ref) return errorIn(e, "unknown value type");
  return ref;
}

Status WatModule::paramsAndResults(Cursor &c, FuncType &type,
                                   std::vector<std::optional<std::string>> *paramNames) {
  while (!c.atEnd() && c.peek().isListOf("param")) {
    if (!type.results.empty()) return errorIn(c.peek(), "unexpected token: param after result");
    const SExpr &p = c.next();
    Cursor pc(p.items, 1);
    if (!pc.atEnd() && isId(pc.peek())) {
      std::string name = pc.next().token.text;
      if (pc.atEnd()) return errorIn(p, "expected a parameter type");
      LUCET_ASSIGN_OR_RETURN(t, valueType(pc.next()));
      LUCET_TRY(expectEnd(pc));
      type.params.push_back(t);
      if (paramNames) paramNames->push_back(name);
      continue;
    }
    while (!pc.atEnd()) {
      LUCET_ASSIGN_OR_RETURN(t, valueType(pc.next()));
      type.params.push_back(t);
      if (paramNames) paramNames->push_back(std::nullopt);
    }
  }
  while (!c.atEnd() && c.peek().isListOf("result")) {
    const SExpr &r = c.next();
    for (size_t i = 1; i < r.items.size(); ++i) {
      LUCET_ASSIGN_OR_RETURN(t, valueType(r.items[i]));
      type.results.push_back(t);
    }
  }
  return Status::ok();
}

Expected<uint32_t> WatModule::typeIndexFor(const FuncType &type) {
  for (size_t i = 0; i < types_.size(); ++i)
    if (types_[i] == type) return uint32_t(i);
  types_.push_back(type);
  space(Space::Type).count = uint32_t(types_.size());
  return uint32_t(types_.size() - 1);
}

Expected<uint32_t> WatModule::typeUse(Cursor &c,
                                      std::vector<std::optional<std::string>> *paramNames) {
  std::optional<uint32_t> explicitIndex;
  const SExpr *typeRef = nullptr;
  if (!c.atEnd() && c.peek().isListOf("type")) {
    typeRef = &c.next();
    if (typeRef->items.size() != 2) return errorIn(*typeRef, "expected one type index");
    LUCET_ASSIGN_OR_RETURN(idx, index(typeRef->items[1], Space::Type));
    explicitIndex = idx;
  }
  FuncType inline_;
  std::vector<std::optional<std::string>> names;
  size_t before = c.pos;
  LUCET_TRY(paramsAndResults(c, inline_, &names));
  bool hasInline = c.pos != before;
  if (explicitIndex) {
    // An index past the types is the validator's to refuse ("unknown type").
    if (*explicitIndex >= types_.size()) {
      if (paramNames) *paramNames = names;
      return *explicitIndex;
    }
    if (hasInline && !(types_[*explicitIndex] == inline_))
      return errorIn(*typeRef, "inline function type does not match the type it names");
    if (paramNames) {
      if (hasInline)
        *paramNames = names;
      else
        paramNames->assign(types_[*explicitIndex].params.size(), std::nullopt);
    }
    return *explicitIndex;
  }
  if (paramNames) *paramNames = names;
  return typeIndexFor(inline_);
}

// `valtype` or `(mut valtype)`: the type, then 0 or 1 for mutability.
Status WatModule::globalType(Cursor &c, const SExpr &field, ByteWriter &out) {
  if (c.atEnd()) return errorIn(field, "expected a global type");
  const SExpr &t = c.next();
  bool isMutable = t.isListOf("mut");
  if (isMutable && t.items.size() != 2) return errorIn(t, "expected one value type");
  LUCET_ASSIGN_OR_RETURN(vt, valueType(isMutable ? t.items[1] : t));
  out.bytes.insert(out.bytes.end(), vt.begin(), vt.end());
  out.u8(isMutable ? 1 : 0);
  return Status::ok();
}

Status WatModule::limits(Cursor &c, ByteWriter &out, bool allowShared, bool is64) {
  if (c.atEnd() || !isNumber(c.peek()))
    return errorAt(c.atEnd() ? Location{} : c.peek().location(), "expected limits");
  const SExpr &minText = c.next();
  // u64 in the text format whatever the address type; the validator checks the range.
  auto min = parseUnsigned(minText.token.text, 64);
  if (!min) return errorIn(minText, min.error().message());
  std::optional<uint64_t> max;
  if (!c.atEnd() && isNumber(c.peek())) {
    const SExpr &maxText = c.next();
    auto m = parseUnsigned(maxText.token.text, 64);
    if (!m) return errorIn(maxText, m.error().message());
    max = *m;
  }
  bool shared = false;
  if (allowShared && !c.atEnd() && c.peek().isKeyword("shared")) {
    c.next();
    shared = true;
  }
  out.u8(uint8_t((max ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0)));
  out.uleb(*min);
  if (max) out.uleb(*max);
  return Status::ok();
}

// ---- fields -------------------------------------------------------------

Status WatModule::declareTypes(Cursor fields) {
  for (; !fields.atEnd(); fields.next()) {
    const SExpr &f = fields.peek();
    if (f.isListOf("rec")) return errorIn(f, "recursive type groups are not supported yet");
    if (!f.isListOf("type")) continue;
    Cursor c(f.items, 1);
    uint32_t idx = uint32_t(types_.size());
    LUCET_TRY(bindName(c, Space::Type, idx));
    if (c.atEnd()) return errorIn(f, "expected a type definition");
    const SExpr &def = c.next();
    LUCET_TRY(expectEnd(c));
    if (!def.isListOf("func"))
      return errorIn(def, def.isListOf("struct") || def.isListOf("array") || def.isListOf("sub")
                              ? "GC types are not supported yet"
                              : "expected (func ...)");
    FuncType type;
    Cursor dc(def.items, 1);
    LUCET_TRY(paramsAndResults(dc, type, nullptr));
    LUCET_TRY(expectEnd(dc));
    types_.push_back(std::move(type));
  }
  space(Space::Type).count = uint32_t(types_.size());
  return Status::ok();
}

Status WatModule::inlineExports(Cursor &c, Space s, uint32_t idx) {
  static constexpr uint8_t kinds[] = {0, 1, 2, 3, 4};
  while (!c.atEnd() && c.peek().isListOf("export")) {
    const SExpr &e = c.next();
    if (e.items.size() != 2 || !isString(e.items[1])) return errorIn(e, "expected an export name");
    exports_.name(e.items[1].token.text);
    exports_.u8(kinds[size_t(s)]);
    exports_.uleb(idx);
    ++exportCount_;
  }
  return Status::ok();
}

// Pass 2: indices, names, and everything that refers to no other index.
Status WatModule::declare(const SExpr &f) {
  std::string_view head = f.head();
  Cursor c(f.items, 1);
  auto importDesc = [&](Space s, Cursor &dc, ByteWriter &out) -> Status {
    switch (s) {
    case Space::Func: {
      out.u8(0x00);
      LUCET_ASSIGN_OR_RETURN(t, typeUse(dc, nullptr));
      out.uleb(t);
      break;
    }
    case Space::Table: {
      out.u8(0x01);
      bool is64 = addressType64(dc);
      ByteWriter lim;
      LUCET_TRY(limits(dc, lim, false, is64));
      if (dc.atEnd()) return errorIn(f, "expected a reference type");
      LUCET_ASSIGN_OR_RETURN(rt, refType(dc.next()));
      out.bytes.insert(out.bytes.end(), rt.begin(), rt.end());
      out.append(lim.bytes);
      break;
    }
    case Space::Memory: {
      out.u8(0x02);
      bool is64 = addressType64(dc);
      LUCET_TRY(limits(dc, out, true, is64));
      break;
    }
    case Space::Global:
      out.u8(0x03);
      LUCET_TRY(globalType(dc, f, out));
      break;
    default: {
      out.u8(0x04);
      out.u8(0x00);
      LUCET_ASSIGN_OR_RETURN(t, typeUse(dc, nullptr));
      out.uleb(t);
      break;
    }
    }
    return Status::ok();
  };

  if (head == "type" || head == "export" || head == "start" || head == "elem" || head == "data")
    return Status::ok();
  if (head == "import") {
    if (f.items.size() != 4 || !isString(f.items[1]) || !isString(f.items[2]) || !f.items[3].isList)
      return errorIn(f, "expected (import \"module\" \"name\" (kind ...))");
    const SExpr &desc = f.items[3];
    std::string_view kind = desc.head();
    if (kind != "func" && kind != "table" && kind != "memory" && kind != "global" && kind != "tag")
      return errorIn(desc, "unknown import kind");
    if (definedAny_) return errorIn(f, fmt::format("import after {} definition", kind));
    Space s = spaceOf(kind);
    Cursor dc(desc.items, 1);
    uint32_t idx = space(s).count++;
    LUCET_TRY(bindName(dc, s, idx));
    imports_.name(f.items[1].token.text);
    imports_.name(f.items[2].token.text);
    LUCET_TRY(importDesc(s, dc, imports_));
    LUCET_TRY(expectEnd(dc));
    ++importCount_;
    return Status::ok();
  }
  if (head == "func" || head == "table" || head == "memory" || head == "global" || head == "tag") {
    Space s = spaceOf(head);
    uint32_t idx = space(s).count++;
    fieldIndex_[&f] = idx;
    LUCET_TRY(bindName(c, s, idx));
    // Exports are encoded in pass 3; skip them here.
    while (!c.atEnd() && c.peek().isListOf("export")) c.next();
    if (!c.atEnd() && c.peek().isListOf("import")) {
      const SExpr &imp = c.next();
      if (imp.items.size() != 3 || !isString(imp.items[1]) || !isString(imp.items[2]))
        return errorIn(imp, "expected (import \"module\" \"name\")");
      if (definedAny_) return errorIn(f, fmt::format("import after {} definition", head));
      imports_.name(imp.items[1].token.text);
      imports_.name(imp.items[2].token.text);
      LUCET_TRY(importDesc(s, c, imports_));
      LUCET_TRY(expectEnd(c));
      ++importCount_;
      return Status::ok();
    }
    definedAny_ = true;
    switch (s) {
    case Space::Func: {
      std::vector<std::optional<std::string>> names;
      LUCET_ASSIGN_OR_RETURN(t, typeUse(c, &names));
      funcTypes_.push_back(t);
      bodies_.push_back({&f, c.pos, std::move(names)});
      return Status::ok();
    }
    case Space::Table:
      ++tableDefs_;
      return Status::ok(); // encoded in pass 3: an initialiser may name functions
    case Space::Memory: {
      bool is64 = addressType64(c);
      ++memoryDefs_;
      if (!c.atEnd() && c.peek().isListOf("data")) {
        const SExpr &data = c.next();
        uint64_t bytes = 0;
        for (size_t i = 1; i < data.items.size(); ++i) {
          if (!isString(data.items[i])) return errorIn(data.items[i], "expected a string");
          bytes += data.items[i].token.text.size();
        }
        uint64_t pages = (bytes + 65535) / 65536;
        memories_.u8(is64 ? 5 : 1);
        memories_.uleb(pages);
        memories_.uleb(pages);
        return expectEnd(c);
      }
      LUCET_TRY(limits(c, memories_, true, is64));
      return expectEnd(c);
    }
    case Space::Global:
      ++globalDefs_;
      return Status::ok(); // type and initialiser in pass 3
    default: {
      ++tagDefs_;
      tags_.u8(0x00);
      LUCET_ASSIGN_OR_RETURN(t, typeUse(c, nullptr));
      tags_.uleb(t);
      return expectEnd(c);
    }
    }
  }
  return errorIn(f, "unknown module field");
}

// Pass 3: everything that refers to indices.
Status WatModule::define(const SExpr &f) {
  std::string_view head = f.head();
  Cursor c(f.items, 1);
  if (head == "export") {
    if (f.items.size() != 3 || !isString(f.items[1]) || !f.items[2].isList ||
        f.items[2].items.size() != 2)
      return errorIn(f, "expected (export \"name\" (kind index))");
    const SExpr &desc = f.items[2];
    std::string_view kind = desc.head();
    Space s;
    uint8_t code;
    if (kind == "func") {
      s = Space::Func, code = 0;
    } else if (kind == "table") {
      s = Space::Table, code = 1;
    } else if (kind == "memory") {
      s = Space::Memory, code = 2;
    } else if (kind == "global") {
      s = Space::Global, code = 3;
    } else if (kind == "tag") {
      s = Space::Tag, code = 4;
    } else {
      return errorIn(desc, "unknown export kind");
    }
    LUCET_ASSIGN_OR_RETURN(idx, index(desc.items[1], s));
    exports_.name(f.items[1].token.text);
    exports_.u8(code);
    exports_.uleb(idx);
    ++exportCount_;
    return Status::ok();
  }
  if (head == "start") {
    if (start_) return errorIn(f, "multiple start sections");
    if (f.items.size() != 2) return errorIn(f, "expected (start index)");
    LUCET_ASSIGN_OR_RETURN(idx, index(f.items[1], Space::Func));
    start_ = idx;
    return Status::ok();
  }
  if (head == "elem") return elemSegment(f);
  if (head == "data") return dataSegment(f);
  if (head == "func" || head == "table" || head == "memory" || head == "global" || head == "tag") {
    Space s = spaceOf(head);
    uint32_t idx = fieldIndex_.at(&f);
    if (!c.atEnd() && isId(c.peek())) c.next();
    LUCET_TRY(inlineExports(c, s, idx));
    if (!c.atEnd() && c.peek().isListOf("import")) return Status::ok();
    if (s == Space::Global) {
      LUCET_TRY(globalType(c, f, globals_));
      return constantExpression(c, globals_);
    }
    if (s == Space::Table) {
      bool is64 = addressType64(c);
      if (!c.atEnd() && !isNumber(c.peek())) {
        // reftype (elem ...): limits from the element count, and an active
        // segment at 0 of this table.
        LUCET_ASSIGN_OR_RETURN(rt, refType(c.next()));
        if (c.atEnd() || !c.peek().isListOf("elem")) return errorIn(f, "expected (elem ...)");
        const SExpr &elem = c.next();
        LUCET_TRY(expectEnd(c));
        Cursor ec(elem.items, 1);
        ByteWriter items;
        bool expressions = false;
        std::vector<uint8_t> rtBytes = rt;
        uint32_t count = 0;
        // Bare indices take the table's type: 3.0's index lists are
        // (ref func), which a table of another type cannot hold.
        bool funcref = rt == std::vector<uint8_t>{0x70};
        LUCET_TRY(elemList(ec, items, expressions, rtBytes, count, true, !funcref));
        tables_.bytes.insert(tables_.bytes.end(), rt.begin(), rt.end());
        tables_.u8(is64 ? 5 : 1);
        tables_.uleb(count);
        tables_.uleb(count);
        elems_.u8(expressions ? 6 : 2);
        elems_.uleb(idx);
        elems_.u8(is64 ? 0x42 : 0x41);
        elems_.u8(0x00);
        elems_.u8(0x0b);
        if (expressions)
          elems_.bytes.insert(elems_.bytes.end(), rtBytes.begin(), rtBytes.end());
        else
          elems_.u8(0x00);
        elems_.uleb(count);
        elems_.append(items.bytes);
        ++elemCount_;
        return Status::ok();
      }
      ByteWriter lim;
      LUCET_TRY(limits(c, lim, false, is64));
      if (c.atEnd()) return errorIn(f, "expected a reference type");
      LUCET_ASSIGN_OR_RETURN(rt, refType(c.next()));
      if (c.atEnd()) {
        tables_.bytes.insert(tables_.bytes.end(), rt.begin(), rt.end());
        tables_.append(lim.bytes);
        return Status::ok();
      }
      // An initialiser expression (typed function references).
      tables_.u8(0x40);
      tables_.u8(0x00);
      tables_.bytes.insert(tables_.bytes.end(), rt.begin(), rt.end());
      tables_.append(lim.bytes);
      return constantExpression(c, tables_);
    }
    if (s == Space::Memory) {
      bool is64 = addressType64(c);
      if (!c.atEnd() && c.peek().isListOf("data")) {
        const SExpr &data = c.next();
        datas_.u8(2);
        datas_.uleb(idx);
        datas_.u8(is64 ? 0x42 : 0x41);
        datas_.u8(0x00);
        datas_.u8(0x0b);
        std::string bytes;
        for (size_t i = 1; i < data.items.size(); ++i) bytes += data.items[i].token.text;
        datas_.name(bytes);
        ++dataCount_;
      }
      return Status::ok();
    }
    return Status::ok(); // functions: bodies come last; tags: nothing more
  }
  return Status::ok();
}

Status WatModule::elemList(Cursor &c, ByteWriter &out, bool &usesExpressions,
                           std::vector<uint8_t> &refTypeBytes, uint32_t &count,
                           bool allowBareIndices, bool indicesAsExpressions) {
  // `func idx*`, `reftype item*`, or (legacy / inline) bare indices.
  if (!c.atEnd() && c.peek().isKeyword("func")) {
    c.next();
    allowBareIndices = true;
  } else if (!c.atEnd() && !isId(c.peek()) && !isNumber(c.peek()) && !c.peek().isList) {
    LUCET_ASSIGN_OR_RETURN(rt, refType(c.next()));
    refTypeBytes = rt;
    usesExpressions = true;
  } else if (!c.atEnd() && c.peek().isListOf("ref")) {
    LUCET_ASSIGN_OR_RETURN(rt, refType(c.next()));
    refTypeBytes = rt;
    usesExpressions = true;
  } else if (!c.atEnd() && c.peek().isList) {
    usesExpressions = true; // expressions of the table's type
  }
  if (!usesExpressions) {
    if (!allowBareIndices && !c.atEnd()) return errorIn(c.peek(), "expected an element list");
    for (; !c.atEnd(); ++count) {
      const SExpr &e = c.peek();
      if (e.isList) {
        usesExpressions = true;
        break;
      }
      LUCET_ASSIGN_OR_RETURN(idx, index(c.next(), Space::Func));
      if (indicesAsExpressions) {
        out.u8(0xd2); // ref.func idx end
        out.uleb(idx);
        out.u8(0x0b);
      } else {
        out.uleb(idx);
      }
    }
    if (indicesAsExpressions) {
      usesExpressions = true;
      return Status::ok();
    }
    if (!usesExpressions) return Status::ok();
    // Indices then expressions: re-encode everything as expressions.
    return errorIn(c.peek(), "unexpected token in element list");
  }
  for (; !c.atEnd(); ++count) {
    const SExpr &item = c.next();
    if (!item.isList) return errorIn(item, "expected an element expression");
    if (item.isListOf("item")) {
      LUCET_TRY(constantExpression(Cursor(item.items, 1), out));
    } else {
      LUCET_TRY(constantExpression(Cursor::single(item), out));
    }
  }
  return Status::ok();
}

// A segment's `(offset instr*)`, or the one folded instruction that
// abbreviates it.
Status WatModule::segmentOffset(const SExpr &o, ByteWriter &out) {
  if (o.isListOf("offset")) return constantExpression(Cursor(o.items, 1), out);
  return constantExpression(Cursor::single(o), out);
}

Status WatModule::elemSegment(const SExpr &f) {
  Cursor c(f.items, 1);
  if (!c.atEnd() && isId(c.peek())) c.next(); // named in pass 2
  enum { Passive, Active, Declarative } mode = Passive;
  std::optional<uint32_t> table;
  ByteWriter offset;
  if (!c.atEnd() && c.peek().isKeyword("declare")) {
    c.next();
    mode = Declarative;
  } else {
    if (!c.atEnd() && c.peek().isListOf("table")) {
      const SExpr &t = c.next();
      if (t.items.size() != 2) return errorIn(t, "expected (table index)");
      LUCET_ASSIGN_OR_RETURN(ti, index(t.items[1], Space::Table));
      table = ti;
      mode = Active;
    } else if (!c.atEnd() && (isNumber(c.peek()) || isId(c.peek())) && c.pos + 1 < f.items.size() &&
               f.items[c.pos + 1].isList && !f.items[c.pos + 1].isListOf("item") &&
               !f.items[c.pos + 1].isListOf("ref")) {
      // Legacy: a table index before the offset.
      LUCET_ASSIGN_OR_RETURN(ti, index(c.next(), Space::Table));
      table = ti;
      mode = Active;
    }
    if (!c.atEnd() && c.peek().isList && !c.peek().isListOf("item") && !c.peek().isListOf("ref")) {
      LUCET_TRY(segmentOffset(c.next(), offset));
      mode = Active;
    } else if (table) {
      return errorIn(f, "expected an offset");
    }
  }
  ByteWriter items;
  bool expressions = false;
  std::vector<uint8_t> rt{0x70};
  uint32_t count = 0;
  bool legacyIndices = mode == Active && !table;
  LUCET_TRY(elemList(c, items, expressions, rt, count, legacyIndices));
  bool funcref = rt.size() == 1 && rt[0] == 0x70;
  switch (mode) {
  case Active:
    if (!table && (!expressions || funcref)) {
      elems_.u8(expressions ? 4 : 0);
      elems_.append(offset.bytes);
    } else {
      elems_.u8(expressions ? 6 : 2);
      elems_.uleb(table.value_or(0));
      elems_.append(offset.bytes);
      if (expressions)
        elems_.bytes.insert(elems_.bytes.end(), rt.begin(), rt.end());
      else
        elems_.u8(0x00);
    }
    break;
  case Passive:
  case Declarative:
    elems_.u8(uint8_t((mode == Passive ? 1 : 3) | (expressions ? 4 : 0)));
    if (expressions)
      elems_.bytes.insert(elems_.bytes.end(), rt.begin(), rt.end());
    else
      elems_.u8(0x00);
    break;
  }
  elems_.uleb(count);
  elems_.append(items.bytes);
  ++elemCount_;
  return Status::ok();
}

Status WatModule::dataSegment(const SExpr &f) {
  Cursor c(f.items, 1);
  if (!c.atEnd() && isId(c.peek())) c.next();
  std::optional<uint32_t> memory;
  ByteWriter offset;
  bool active = false;
  if (!c.atEnd() && c.peek().isListOf("memory")) {
    const SExpr &m = c.next();
    if (m.items.size() != 2) return errorIn(m, "expected (memory index)");
    LUCET_ASSIGN_OR_RETURN(mi, index(m.items[1], Space::Memory));
    memory = mi;
  } else if (!c.atEnd() && (isNumber(c.peek()) || isId(c.peek()))) {
    LUCET_ASSIGN_OR_RETURN(mi, index(c.next(), Space::Memory));
    memory = mi;
  }
  if (!c.atEnd() && c.peek().isList) {
    LUCET_TRY(segmentOffset(c.next(), offset));
    active = true;
  } else if (memory) {
    return errorIn(f, "expected an offset");
  }
  std::string bytes;
  for (; !c.atEnd(); c.next()) {
    if (!isString(c.peek())) return errorIn(c.peek(), "expected a string");
    bytes += c.peek().token.text;
  }
  if (!active) {
    datas_.u8(1);
  } else if (memory.value_or(0) == 0) {
    datas_.u8(0);
    datas_.append(offset.bytes);
  } else {
    datas_.u8(2);
    datas_.uleb(*memory);
    datas_.append(offset.bytes);
  }
  datas_.name(bytes);
  ++dataCount_;
  return Status::ok();
}

Status WatModule::functionBody(const SExpr &f, Cursor c,
                               std::vector<std::optional<std::string>> paramNames) {
  Body body;
  uint32_t next = 0;
  for (auto &name : paramNames) {
    if (name && !body.localNames.emplace(*name, next).second)
      return errorIn(f, fmt::format("duplicate local ${}", *name));
    ++next;
  }
  // Locals, compressed into runs of one type.
  std::vector<std::pair<uint32_t, std::vector<uint8_t>>> runs;
  while (!c.atEnd() && c.peek().isListOf("local")) {
    const SExpr &l = c.next();
    Cursor lc(l.items, 1);
    auto add = [&](std::vector<uint8_t> t) {
      if (!runs.empty() && runs.back().second == t)
        ++runs.back().first;
      else
        runs.push_back({1, std::move(t)});
    };
    if (!lc.atEnd() && isId(lc.peek())) {
      std::string name = lc.next().token.text;
      if (lc.atEnd()) return errorIn(l, "expected a local type");
      LUCET_ASSIGN_OR_RETURN(t, valueType(lc.next()));
      LUCET_TRY(expectEnd(lc));
      if (!body.localNames.emplace(name, next).second)
        return errorIn(l, fmt::format("duplicate local ${}", name));
      ++next;
      add(t);
      continue;
    }
    while (!lc.atEnd()) {
      LUCET_ASSIGN_OR_RETURN(t, valueType(lc.next()));
      ++next;
      add(t);
    }
  }
  ByteWriter code;
  code.uleb(runs.size());
  for (auto &[n, t] : runs) {
    code.uleb(n);
    code.bytes.insert(code.bytes.end(), t.begin(), t.end());
  }
  LUCET_TRY(instructions(c, body, code));
  if (!c.atEnd()) return errorIn(c.peek(), "unexpected token");
  code.u8(0x0b);
  codes_.uleb(code.bytes.size());
  codes_.append(code.bytes);
  return Status::ok();
}

Expected<std::vector<uint8_t>> WatModule::encode(Cursor all) {
  for (size_t i = all.pos; i < all.size; ++i)
    if (!all.items[i].isList) return errorIn(all.items[i], "expected a module field");
  LUCET_TRY(declareTypes(all));
  for (size_t i = all.pos; i < all.size; ++i) LUCET_TRY(declare(all.items[i]));
  // Element and data segment names.
  for (size_t i = all.pos; i < all.size; ++i) {
    const SExpr &f = all.items[i];
    if (f.isListOf("elem")) {
      Cursor c(f.items, 1);
      LUCET_TRY(bindName(c, Space::Elem, space(Space::Elem).count++));
    } else if (f.isListOf("data")) {
      Cursor c(f.items, 1);
      LUCET_TRY(bindName(c, Space::Data, space(Space::Data).count++));
    } else if (f.isListOf("memory")) {
      // An inline (data ...) is a data segment too.
      for (const auto &item : f.items)
        if (item.isListOf("data")) space(Space::Data).count++;
    } else if (f.isListOf("table")) {
      for (const auto &item : f.items)
        if (item.isListOf("elem")) space(Space::Elem).count++;
    }
  }
  for (size_t i = all.pos; i < all.size; ++i) LUCET_TRY(define(all.items[i]));
  for (const auto &b : bodies_)
    LUCET_TRY(functionBody(*b.field, Cursor(b.field->items, b.firstItem), b.paramNames));
  return assemble();
}

// The "name" custom section with the functions' $names, as wat2wasm and
// Wasmtime write it: traps and validation errors then name functions.
void WatModule::nameSection(ByteWriter &out) {
  std::vector<std::pair<uint32_t, std::string>> names;
  for (const auto &[name, index] : space(Space::Func).names) names.push_back({index, name});
  if (names.empty()) return;
  std::sort(names.begin(), names.end());
  ByteWriter functions;
  functions.uleb(names.size());
  for (const auto &[index, name] : names) {
    functions.uleb(index);
    functions.name(name);
  }
  ByteWriter payload;
  payload.name("name");
  payload.u8(1); // function names
  payload.uleb(functions.bytes.size());
  payload.append(functions.bytes);
  out.section(0, payload);
}

Expected<std::vector<uint8_t>> WatModule::assemble() {
  ByteWriter out;
  out.bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto vecSection = [&](uint8_t id, uint32_t count, const ByteWriter &entries) {
    if (count == 0) return;
    ByteWriter payload;
    payload.uleb(count);
    payload.append(entries.bytes);
    out.section(id, payload);
  };
  ByteWriter types;
  for (const auto &t : types_) {
    types.u8(0x60);
    types.uleb(t.params.size());
    for (const auto &p : t.params) types.bytes.insert(types.bytes.end(), p.begin(), p.end());
    types.uleb(t.results.size());
    for (const auto &r : t.results) types.bytes.insert(types.bytes.end(), r.begin(), r.end());
  }
  vecSection(SectionType, uint32_t(types_.size()), types);
  vecSection(SectionImport, importCount_, imports_);
  ByteWriter funcs;
  for (uint32_t t : funcTypes_) funcs.uleb(t);
  vecSection(SectionFunction, uint32_t(funcTypes_.size()), funcs);
  vecSection(SectionTable, tableDefs_, tables_);
  vecSection(SectionMemory, memoryDefs_, memories_);
  vecSection(SectionTag, tagDefs_, tags_);
  vecSection(SectionGlobal, globalDefs_, globals_);
  vecSection(SectionExport, exportCount_, exports_);
  if (start_) {
    ByteWriter s;
    s.uleb(*start_);
    out.section(SectionStart, s);
  }
  vecSection(SectionElem, elemCount_, elems_);
  if (dataCount_) {
    ByteWriter dc;
    dc.uleb(dataCount_);
    out.section(SectionDataCount, dc);
  }
  vecSection(SectionCode, uint32_t(funcTypes_.size()), codes_);
  vecSection(SectionData, dataCount_, datas_);
  nameSection(out);
  return out.bytes;
}

} // namespace lucet::text
