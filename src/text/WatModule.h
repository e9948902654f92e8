#pragma once

// Internal to the text layer: the state of one module being parsed.
// WatModule.cpp handles the fields (types, imports, functions, tables,
// memories, globals, tags, exports, start, elements, data) and index spaces;
// WatInstructions.cpp the instructions of bodies and constant expressions.

#include "support/ByteWriter.h"
#include "text/SExpr.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lucet::text {

// A position in a run of expressions: a list's items from some index, or a
// single expression (which is never copied).
struct Cursor {
  const SExpr *items = nullptr;
  size_t size = 0;
  size_t pos = 0;

  Cursor() = default;
  Cursor(const std::vector<SExpr> &list, size_t from)
      : items(list.data()), size(list.size()), pos(from) {}
  static Cursor single(const SExpr &e) {
    Cursor c;
    c.items = &e;
    c.size = 1;
    return c;
  }

  bool atEnd() const { return pos >= size; }
  const SExpr &peek() const { return items[pos]; }
  const SExpr &next() { return items[pos++]; }
  // The item `ahead` places after the current one, if any.
  const SExpr *lookahead(size_t ahead) const {
    return pos + ahead < size ? &items[pos + ahead] : nullptr;
  }
};

// A function type, as value type encodings (one or more bytes each).
struct FuncType {
  std::vector<std::vector<uint8_t>> params;
  std::vector<std::vector<uint8_t>> results;
  bool operator==(const FuncType &) const = default;
};

// One index space (functions, tables, ...): how many, and their names.
struct IndexSpace {
  uint32_t count = 0;
  std::map<std::string, uint32_t> names;
};

enum class Space { Func, Table, Memory, Global, Tag, Elem, Data, Type };

class WatModule {
public:
  // Encodes the module whose fields start at `fields.pos`.
  Expected<std::vector<uint8_t>> encode(Cursor fields);

  // Instructions (WatInstructions.cpp). Locals and labels of the function
  // being encoded; empty for constant expressions.
  struct Body {
    std::map<std::string, uint32_t> localNames;
    std::vector<std::optional<std::string>> labels; // innermost last
  };
  // Instructions until the end of the cursor, or a terminator (end, else,
  // catch, catch_all, delegate), which is left in place.
  Status instructions(Cursor &c, Body &body, ByteWriter &out);
  Status constantExpression(Cursor c, ByteWriter &out);

  // Types.
  Expected<std::vector<uint8_t>> valueType(const SExpr &e);
  Expected<std::vector<uint8_t>> heapType(const SExpr &e);
  Expected<std::vector<uint8_t>> refType(const SExpr &e);
  // (type x)? (param ...)* (result ...)*: the type index; parameter names
  // into `paramNames` when given.
  Expected<uint32_t> typeUse(Cursor &c, std::vector<std::optional<std::string>> *paramNames);
  Expected<uint32_t> typeIndexFor(const FuncType &type);
  Expected<uint32_t> index(const SExpr &e, Space space);

private:
  Status declareTypes(Cursor fields);
  Status declare(const SExpr &field);
  Status define(const SExpr &field);
  Expected<std::vector<uint8_t>> assemble();
  void nameSection(ByteWriter &out);

  Status paramsAndResults(Cursor &c, FuncType &type,
                          std::vector<std::optional<std::string>> *paramNames);
  Status limits(Cursor &c, ByteWriter &out, bool allowShared, bool is64);
  Status globalType(Cursor &c, const SExpr &field, ByteWriter &out);
  Status inlineExports(Cursor &c, Space space, uint32_t index);
  Status bindName(Cursor &c, Space space, uint32_t index);
  Status functionBody(const SExpr &field, Cursor c,
                      std::vector<std::optional<std::string>> paramNames);
  Status elemSegment(const SExpr &field);
  Status segmentOffset(const SExpr &offset, ByteWriter &out);
  Status dataSegment(const SExpr &field);
  Status elemList(Cursor &c, ByteWriter &out, bool &usesExpressions,
                  std::vector<uint8_t> &refTypeBytes, uint32_t &count, bool allowBareIndices,
                  bool indicesAsExpressions = false);

  IndexSpace &space(Space s) { return spaces_[size_t(s)]; }

  std::vector<FuncType> types_;
  IndexSpace spaces_[8];
  bool definedAny_ = false;         // a function, table, memory, global or tag definition was seen
  std::vector<uint32_t> funcTypes_; // of defined functions
  ByteWriter imports_, tables_, memories_, globals_, exports_, elems_, datas_, codes_, tags_;
  uint32_t importCount_ = 0, tableDefs_ = 0, memoryDefs_ = 0, globalDefs_ = 0, exportCount_ = 0,
           elemCount_ = 0, dataCount_ = 0, tagDefs_ = 0;
  std::optional<uint32_t> start_;
  // The index pass 2 gave each function, table, memory, global and tag field.
  std::map<const SExpr *, uint32_t> fieldIndex_;
  // Function bodies, kept until every index is known.
  struct PendingBody {
    const SExpr *field;
    size_t firstItem;
    std::vector<std::optional<std::string>> paramNames;
  };
  std::vector<PendingBody> bodies_;
};

} // namespace lucet::text
