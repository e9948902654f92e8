// Instructions of the text format, plain (`i32.add`, `block ... end`) and
// folded (`(i32.add (local.get 0) (i32.const 1))`), encoded through the
// opcode table's text names and immediate kinds.
#include "text/Literals.h"
#include "text/TextOpcodes.h"
#include "text/WatModule.h"

#include <bit>
#include <cstring>

namespace lucet::text {

namespace {

using wasm::ImmKind;
using wasm::Opcode;

bool isId(const SExpr &e) {
  return e.isAtom(Token::Kind::Id);
}
bool isNumber(const SExpr &e) {
  return e.isAtom(Token::Kind::Reserved);
}
bool isIndex(const SExpr &e) {
  return isId(e) || isNumber(e);
}

bool isTerminator(const SExpr &e) {
  if (!e.isAtom(Token::Kind::Keyword)) return false;
  const std::string &t = e.token.text;
  return t == "end" || t == "else" || t == "catch" || t == "catch_all" || t == "delegate";
}

class Encoder {
public:
  Encoder(WatModule &module, WatModule::Body &body) : m_(module), body_(body) {}

  // Encodes instructions until the end of `c` or a terminator it does not
  // own (left in place). Iterative, with explicit stacks of open blocks and
  // folded expressions, so that nesting depth costs heap, not native stack.
  Status sequence(Cursor &c, ByteWriter &out);

private:
  void opcode(const TextOpcode &op, ByteWriter &out) {
    if (op.prefix) {
      out.u8(op.prefix);
      out.uleb(op.code);
    } else {
      out.u8(uint8_t(op.code));
    }
  }

  // ---- labels, block types --------------------------------------------

  Expected<std::optional<std::string>> optionalLabel(Cursor &c) {
    if (!c.atEnd() && isId(c.peek())) return std::optional<std::string>(c.next().token.text);
    return std::optional<std::string>();
  }

  Status closingLabel(Cursor &c, const std::optional<std::string> &label) {
    if (!c.atEnd() && isId(c.peek())) {
      const SExpr &id = c.next();
      if (!label || *label != id.token.text) return errorIn(id, "mismatching label");
    }
    return Status::ok();
  }

  Expected<uint32_t> labelIndex(const SExpr &e) {
    if (isId(e)) {
      for (size_t i = body_.labels.size(); i-- > 0;)
        if (body_.labels[i] && *body_.labels[i] == e.token.text)
          return uint32_t(body_.labels.size() - 1 - i);
      return errorIn(e, "unknown label");
    }
    if (isNumber(e)) {
      auto v = parseUnsigned(e.token.text, 32);
      if (!v) return errorIn(e, v.error().message());
      return uint32_t(*v);
    }
    return errorIn(e, "expected a label");
  }

  Status blockType(const SExpr &kw, Cursor &c, ByteWriter &out) {
    bool hasType = !c.atEnd() && c.peek().isListOf("type");
    size_t params = 0, results = 0;
    const SExpr *single = nullptr;
    for (size_t i = c.pos + (hasType ? 1 : 0); i < c.size; ++i) {
      const SExpr &e = c.items[i];
      if (e.isListOf("param")) {
        params += e.items.size() - 1;
      } else if (e.isListOf("result")) {
        results += e.items.size() - 1;
        if (e.items.size() == 2) single = &e.items[1];
      } else {
        break;
      }
    }
    if (!hasType && params == 0 && results <= 1) {
      while (!c.atEnd() && (c.peek().isListOf("result") || c.peek().isListOf("param"))) c.next();
      if (results == 0) {
        out.u8(0x40);
        return Status::ok();
      }
      LUCET_ASSIGN_OR_RETURN(t, m_.valueType(*single));
      out.bytes.insert(out.bytes.end(), t.begin(), t.end());
      return Status::ok();
    }
    std::vector<std::optional<std::string>> names;
    LUCET_ASSIGN_OR_RETURN(idx, m_.typeUse(c, &names));
    for (const auto &n : names)
      if (n)
        return errorIn(c.atEnd() ? kw : c.peek(), "unexpected named parameter in a block type");
    out.sleb(int64_t(idx));
    return Status::ok();
  }

  // A try_table's handlers, `(catch $tag $label)`, `(catch_ref ...)`,
  // `(catch_all $label)` and `(catch_all_ref ...)`, after its block type.
  // Their labels are resolved outside the try_table.
  Status catchClauses(Cursor &c, ByteWriter &out) {
    ByteWriter clauses;
    size_t count = 0;
    while (!c.atEnd() && c.peek().isList) {
      const SExpr &e = c.peek();
      std::string_view head = e.head();
      uint8_t kind;
      if (head == "catch")
        kind = 0;
      else if (head == "catch_ref")
        kind = 1;
      else if (head == "catch_all")
        kind = 2;
      else if (head == "catch_all_ref")
        kind = 3;
      else
        break;
      c.next();
      size_t expected = kind < 2 ? 3 : 2;
      if (e.items.size() != expected)
        return errorIn(
            e, fmt::format("{} takes {}", head, kind < 2 ? "a tag and a label" : "a label"));
      clauses.u8(kind);
      if (kind < 2) {
        LUCET_ASSIGN_OR_RETURN(tag, m_.index(e.items[1], Space::Tag));
        clauses.uleb(tag);
      }
      LUCET_ASSIGN_OR_RETURN(label, labelIndex(e.items[expected - 1]));
      clauses.uleb(label);
      ++count;
    }
    out.uleb(count);
    out.append(clauses.bytes);
    return Status::ok();
  }

  // One non-structured instruction and its immediates.
  Status operation(const SExpr &kw, Cursor &c, ByteWriter &out) {
    const std::string &word = kw.token.text;
    if (word == "block" || word == "loop" || word == "if" || word == "try" || word == "try_table" ||
        isTerminator(kw))
      return errorIn(kw, "unexpected token");
    const TextOpcode *op = findTextOpcode(word);
    if (!op) return errorIn(kw, "unknown operator");
    if (op->op == Opcode::Select && !c.atEnd() && c.peek().isListOf("result"))
      op = &textOpcode(Opcode::SelectT);
    opcode(*op, out);
    return immediates(kw, *op, c, out);
  }

  Expected<uint32_t> optionalIndex(Cursor &c, Space space) {
    if (!c.atEnd() && isIndex(c.peek())) return m_.index(c.next(), space);
    return uint32_t(0);
  }

  Status memArg(const TextOpcode &op, Cursor &c, ByteWriter &out, bool laneFollows) {
    uint32_t memory = 0;
    // A memory index comes first; with a lane, only if a memarg or another
    // index (the lane) follows.
    auto startsMemArg = [](const SExpr *e) {
      return e && e->isAtom(Token::Kind::Keyword) &&
             (e->token.text.rfind("offset=", 0) == 0 || e->token.text.rfind("align=", 0) == 0);
    };
    if (!c.atEnd() && isIndex(c.peek()) &&
        (!laneFollows || (c.lookahead(1) && isIndex(*c.lookahead(1))) ||
         startsMemArg(c.lookahead(1)) || isId(c.peek()))) {
      LUCET_ASSIGN_OR_RETURN(m, m_.index(c.next(), Space::Memory));
      memory = m;
    }
    uint64_t offset = 0;
    uint32_t alignLog2 = op.naturalAlignLog2;
    if (!c.atEnd() && c.peek().isAtom(Token::Kind::Keyword) &&
        c.peek().token.text.rfind("offset=", 0) == 0) {
      const SExpr &o = c.next();
      auto v = parseUnsigned(std::string_view(o.token.text).substr(7), 64);
      if (!v) return errorIn(o, v.error().message());
      offset = *v;
    }
    if (!c.atEnd() && c.peek().isAtom(Token::Kind::Keyword) &&
        c.peek().token.text.rfind("align=", 0) == 0) {
      const SExpr &a = c.next();
      auto v = parseUnsigned(std::string_view(a.token.text).substr(6), 64);
      if (!v) return errorIn(a, v.error().message());
      if (*v == 0 || !std::has_single_bit(*v))
        return errorIn(a, "alignment must be a power of two");
      alignLog2 = uint32_t(std::countr_zero(*v));
    }
    if (memory != 0) {
      out.uleb(alignLog2 | 0x40);
      out.uleb(memory);
    } else {
      out.uleb(alignLog2);
    }
    out.uleb(offset);
    return Status::ok();
  }

  Expected<uint8_t> laneIndex(Cursor &c, const SExpr &kw) {
    if (c.atEnd() || !isNumber(c.peek())) return errorIn(kw, "expected a lane index");
    const SExpr &l = c.next();
    auto v = parseUnsigned(l.token.text, 8);
    if (!v) return errorIn(l, "malformed lane index");
    return uint8_t(*v);
  }

  Status v128Const(const SExpr &kw, Cursor &c, ByteWriter &out) {
    if (c.atEnd() || !c.peek().isAtom(Token::Kind::Keyword))
      return errorIn(kw, "expected a vector shape");
    const SExpr &shape = c.next();
    const std::string &s = shape.token.text;
    unsigned lanes, bits;
    bool isFloat = false;
    if (s == "i8x16") {
      lanes = 16, bits = 8;
    } else if (s == "i16x8") {
      lanes = 8, bits = 16;
    } else if (s == "i32x4") {
      lanes = 4, bits = 32;
    } else if (s == "i64x2") {
      lanes = 2, bits = 64;
    } else if (s == "f32x4") {
      lanes = 4, bits = 32, isFloat = true;
    } else if (s == "f64x2") {
      lanes = 2, bits = 64, isFloat = true;
    } else {
      return errorIn(shape, "unknown vector shape");
    }
    for (unsigned i = 0; i < lanes; ++i) {
      if (c.atEnd() || (!isNumber(c.peek()) && !c.peek().isAtom(Token::Kind::Keyword)))
        return errorIn(kw, fmt::format("expected {} lane values", lanes));
      const SExpr &v = c.next();
      uint64_t lane;
      if (isFloat) {
        if (bits == 32) {
          auto f = parseF32(v.token.text);
          if (!f) return errorIn(v, f.error().message());
          lane = *f;
        } else {
          auto f = parseF64(v.token.text);
          if (!f) return errorIn(v, f.error().message());
          lane = *f;
        }
      } else {
        auto n = parseInt(v.token.text, bits);
        if (!n) return errorIn(v, n.error().message());
        lane = *n;
      }
      out.fixed(lane, bits / 8);
    }
    return Status::ok();
  }

  Status immediates(const SExpr &kw, const TextOpcode &op, Cursor &c, ByteWriter &out) {
    auto need = [&](const char *what) -> Expected<const SExpr *> {
      if (c.atEnd() || c.peek().isList) return errorIn(kw, fmt::format("expected {}", what));
      return &c.next();
    };
    // An index into a module index space that the instruction requires.
    auto requiredIndex = [&](Space space, const char *what) -> Status {
      LUCET_ASSIGN_OR_RETURN(e, need(what));
      LUCET_ASSIGN_OR_RETURN(index, m_.index(*e, space));
      out.uleb(index);
      return Status::ok();
    };
    switch (op.imm) {
    case ImmKind::None:
      return Status::ok();
    case ImmKind::BlockType:
      return errorIn(kw, "unexpected structured instruction");
    case ImmKind::Label: {
      LUCET_ASSIGN_OR_RETURN(e, need("a label"));
      LUCET_ASSIGN_OR_RETURN(l, labelIndex(*e));
      out.uleb(l);
      return Status::ok();
    }
    case ImmKind::BrTable: {
      std::vector<uint32_t> targets;
      while (!c.atEnd() && isIndex(c.peek())) {
        LUCET_ASSIGN_OR_RETURN(l, labelIndex(c.next()));
        targets.push_back(l);
      }
      if (targets.empty()) return errorIn(kw, "expected a label");
      out.uleb(targets.size() - 1);
      for (uint32_t t : targets) out.uleb(t);
      return Status::ok();
    }
    case ImmKind::Func:
      return requiredIndex(Space::Func, "a function index");
    case ImmKind::CallIndirect: {
      LUCET_ASSIGN_OR_RETURN(table, optionalIndex(c, Space::Table));
      std::vector<std::optional<std::string>> names;
      LUCET_ASSIGN_OR_RETURN(type, m_.typeUse(c, &names));
      for (const auto &n : names)
        if (n) return errorIn(kw, "unexpected named parameter in call_indirect");
      out.uleb(type);
      out.uleb(table);
      return Status::ok();
    }
    case ImmKind::Local: {
      LUCET_ASSIGN_OR_RETURN(e, need("a local index"));
      if (isId(*e)) {
        auto it = body_.localNames.find(e->token.text);
        if (it == body_.localNames.end()) return errorIn(*e, "unknown local");
        out.uleb(it->second);
        return Status::ok();
      }
      auto v = parseUnsigned(e->token.text, 32);
      if (!v) return errorIn(*e, v.error().message());
      out.uleb(*v);
      return Status::ok();
    }
    case ImmKind::Global:
      return requiredIndex(Space::Global, "a global index");
    case ImmKind::Table: {
      LUCET_ASSIGN_OR_RETURN(t, optionalIndex(c, Space::Table));
      out.uleb(t);
      return Status::ok();
    }
    case ImmKind::Memory: {
      LUCET_ASSIGN_OR_RETURN(mem, optionalIndex(c, Space::Memory));
      out.uleb(mem);
      return Status::ok();
    }
    case ImmKind::MemArg:
      return memArg(op, c, out, false);
    case ImmKind::MemArgLane: {
      LUCET_TRY(memArg(op, c, out, true));
      LUCET_ASSIGN_OR_RETURN(lane, laneIndex(c, kw));
      out.u8(lane);
      return Status::ok();
    }
    case ImmKind::I32:
    case ImmKind::I64: {
      LUCET_ASSIGN_OR_RETURN(e, need("a constant"));
      unsigned bits = op.imm == ImmKind::I32 ? 32 : 64;
      auto v = parseInt(e->token.text, bits);
      if (!v) return errorIn(*e, v.error().message());
      int64_t value = bits == 32 ? int64_t(int32_t(uint32_t(*v))) : int64_t(*v);
      out.sleb(value);
      return Status::ok();
    }
    case ImmKind::F32: {
      LUCET_ASSIGN_OR_RETURN(e, need("a constant"));
      auto v = parseF32(e->token.text);
      if (!v) return errorIn(*e, v.error().message());
      out.fixed(*v, 4);
      return Status::ok();
    }
    case ImmKind::F64: {
      LUCET_ASSIGN_OR_RETURN(e, need("a constant"));
      auto v = parseF64(e->token.text);
      if (!v) return errorIn(*e, v.error().message());
      out.fixed(*v, 8);
      return Status::ok();
    }
    case ImmKind::SelectT: {
      std::vector<std::vector<uint8_t>> types;
      while (!c.atEnd() && c.peek().isListOf("result")) {
        const SExpr &r = c.next();
        for (size_t i = 1; i < r.items.size(); ++i) {
          LUCET_ASSIGN_OR_RETURN(t, m_.valueType(r.items[i]));
          types.push_back(t);
        }
      }
      out.uleb(types.size());
      for (const auto &t : types) out.bytes.insert(out.bytes.end(), t.begin(), t.end());
      return Status::ok();
    }
    case ImmKind::HeapType: {
      LUCET_ASSIGN_OR_RETURN(e, need("a heap type"));
      LUCET_ASSIGN_OR_RETURN(ht, m_.heapType(*e));
      out.bytes.insert(out.bytes.end(), ht.begin(), ht.end());
      return Status::ok();
    }
    case ImmKind::Data:
      return requiredIndex(Space::Data, "a data segment index");
    case ImmKind::Tag:
      return requiredIndex(Space::Tag, "a tag index");
    case ImmKind::TryTable:
      return errorIn(kw, "unexpected structured instruction");
    case ImmKind::Type:
      return requiredIndex(Space::Type, "a type index");
    case ImmKind::Elem:
      return requiredIndex(Space::Elem, "an element segment index");
    case ImmKind::MemoryInit:
    case ImmKind::TableInit: {
      bool memoryInit = op.imm == ImmKind::MemoryInit;
      Space target = memoryInit ? Space::Memory : Space::Table;
      Space segment = memoryInit ? Space::Data : Space::Elem;
      uint32_t targetIndex = 0;
      if (c.lookahead(1) && isIndex(c.peek()) && isIndex(*c.lookahead(1))) {
        LUCET_ASSIGN_OR_RETURN(t, m_.index(c.next(), target));
        targetIndex = t;
      }
      LUCET_ASSIGN_OR_RETURN(e, need("a segment index"));
      LUCET_ASSIGN_OR_RETURN(s, m_.index(*e, segment));
      out.uleb(s);
      out.uleb(targetIndex);
      return Status::ok();
    }
    case ImmKind::MemoryCopy:
    case ImmKind::TableCopy: {
      Space s = op.imm == ImmKind::MemoryCopy ? Space::Memory : Space::Table;
      uint32_t dst = 0, src = 0;
      if (!c.atEnd() && isIndex(c.peek())) {
        LUCET_ASSIGN_OR_RETURN(d, m_.index(c.next(), s));
        LUCET_ASSIGN_OR_RETURN(e, need("a second index"));
        LUCET_ASSIGN_OR_RETURN(sr, m_.index(*e, s));
        dst = d;
        src = sr;
      }
      out.uleb(dst);
      out.uleb(src);
      return Status::ok();
    }
    case ImmKind::V128:
      return v128Const(kw, c, out);
    case ImmKind::Shuffle:
      for (int i = 0; i < 16; ++i) {
        LUCET_ASSIGN_OR_RETURN(lane, laneIndex(c, kw));
        out.u8(lane);
      }
      return Status::ok();
    case ImmKind::Lane: {
      LUCET_ASSIGN_OR_RETURN(lane, laneIndex(c, kw));
      out.u8(lane);
      return Status::ok();
    }
    }
    return errorIn(kw, "unsupported instruction");
  }

  // A block opened by a plain `block`, `loop` or `if`, closed by `end`.
  struct PlainBlock {
    const SExpr *keyword;
    std::optional<std::string> label;
    bool sawElse = false;
  };
  // A run of instructions being encoded, and what follows when it is done.
  struct Run {
    enum class Then {
      Return,      // the outermost run: hand the cursor back
      EndBlock,    // a folded block or loop body: end
      IfCondition, // a folded if's conditions: the if, then its (then ...)
      IfThen,      // a folded if's then branch: its (else ...) or end
      IfElse,      // a folded if's else branch: end
      TryHandlers, // a folded try's (do ...) or handler: the next handler, delegate or end
      Operation,   // a folded operation's operands: the operation itself
    };
    Cursor cursor;
    Then then;
    size_t plainDepth;  // open plain blocks when the run began
    bool operandsOnly;  // folded operands: lists only
    const SExpr *owner; // the folded expression, for errors and its if parts
    ByteWriter pending; // Operation: its bytes; IfCondition: the block type
    std::optional<std::string> label;
    size_t next = 0; // TryHandlers: the owner's item after this part
  };

  Status openFolded(const SExpr &e, ByteWriter &out);
  Status plainKeyword(Run &run, ByteWriter &out);
  Status finish(Run &run, ByteWriter &out);

  WatModule &m_;
  WatModule::Body &body_;
  std::vector<PlainBlock> plain_;
  std::vector<Run> runs_;
};

Status Encoder::sequence(Cursor &c, ByteWriter &out) {
  runs_.push_back({c, Run::Then::Return, plain_.size(), false, nullptr, {}, {}});
  while (!runs_.empty()) {
    Run &run = runs_.back();
    bool done = run.cursor.atEnd();
    if (!done) {
      const SExpr &e = run.cursor.peek();
      if (e.isList) {
        run.cursor.next();
        LUCET_TRY(openFolded(e, out)); // may push: `run` is not used after
        continue;
      }
      if (run.operandsOnly) return errorIn(e, "unexpected token");
      if (!e.isAtom(Token::Kind::Keyword)) return errorIn(e, "unexpected token");
      // A terminator ends this run unless it closes a plain block the run
      // opened itself.
      bool closesOwnBlock = isTerminator(e) && plain_.size() > run.plainDepth &&
                            (e.token.text == "end" || e.token.text == "else" ||
                             plain_.back().keyword->token.text == "try");
      if (isTerminator(e) && !closesOwnBlock) {
        done = true;
      } else {
        LUCET_TRY(plainKeyword(run, out));
        continue;
      }
    }
    if (plain_.size() > run.plainDepth) {
      const SExpr &kw = *plain_.back().keyword;
      return errorIn(kw, fmt::format("'{}' without 'end'", kw.token.text));
    }
    if (run.then == Run::Then::Return) {
      c = run.cursor;
      runs_.pop_back();
      return Status::ok();
    }
    if (!run.cursor.atEnd()) return errorIn(run.cursor.peek(), "unexpected token");
    Run finished = std::move(run);
    runs_.pop_back();
    LUCET_TRY(finish(finished, out));
  }
  return Status::ok();
}

// A plain instruction at the run's cursor: block/loop/if open a block,
// else/end continue or close one, anything else is one operation.
Status Encoder::plainKeyword(Run &run, ByteWriter &out) {
  Cursor &c = run.cursor;
  const SExpr &kw = c.next();
  const std::string &word = kw.token.text;
  if (word == "block" || word == "loop" || word == "if" || word == "try" || word == "try_table") {
    LUCET_ASSIGN_OR_RETURN(label, optionalLabel(c));
    out.u8(word == "block"  ? 0x02
           : word == "loop" ? 0x03
           : word == "if"   ? 0x04
           : word == "try"  ? 0x06
                            : 0x1f);
    LUCET_TRY(blockType(kw, c, out));
    if (word == "try_table") LUCET_TRY(catchClauses(c, out));
    body_.labels.push_back(label);
    plain_.push_back({&kw, label, false});
    return Status::ok();
  }
  if (word == "catch" || word == "catch_all") {
    PlainBlock &block = plain_.back();
    if (block.keyword->token.text != "try" || block.sawElse) return errorIn(kw, "unexpected token");
    if (word == "catch_all") block.sawElse = true; // nothing may follow catch_all but end
    LUCET_TRY(closingLabel(c, block.label));
    if (word == "catch") {
      out.u8(0x07);
      if (c.atEnd() || !isIndex(c.peek())) return errorIn(kw, "expected a tag index");
      LUCET_ASSIGN_OR_RETURN(tag, m_.index(c.next(), Space::Tag));
      out.uleb(tag);
    } else {
      out.u8(0x19);
    }
    return Status::ok();
  }
  if (word == "delegate") {
    plain_.pop_back();
    body_.labels.pop_back();
    if (c.atEnd() || !isIndex(c.peek())) return errorIn(kw, "expected a label");
    LUCET_ASSIGN_OR_RETURN(l, labelIndex(c.next()));
    out.u8(0x18);
    out.uleb(l);
    return Status::ok();
  }
  if (word == "else") {
    PlainBlock &block = plain_.back();
    if (block.keyword->token.text != "if" || block.sawElse) return errorIn(kw, "unexpected token");
    block.sawElse = true;
    LUCET_TRY(closingLabel(c, block.label));
    out.u8(0x05);
    return Status::ok();
  }
  if (word == "end") {
    LUCET_TRY(closingLabel(c, plain_.back().label));
    plain_.pop_back();
    body_.labels.pop_back();
    out.u8(0x0b);
    return Status::ok();
  }
  return operation(kw, c, out);
}

// A folded expression: block, loop and if take their parts from the list;
// any other operation is encoded after its operands.
Status Encoder::openFolded(const SExpr &e, ByteWriter &out) {
  std::string_view word = e.head();
  if (word.empty()) return errorIn(e, "expected an instruction");
  Cursor c(e.items, 1);
  if (word == "block" || word == "loop") {
    LUCET_ASSIGN_OR_RETURN(label, optionalLabel(c));
    out.u8(word == "block" ? 0x02 : 0x03);
    LUCET_TRY(blockType(e.items[0], c, out));
    body_.labels.push_back(label);
    runs_.push_back({c, Run::Then::EndBlock, plain_.size(), false, &e, {}, label});
    return Status::ok();
  }
  if (word == "try_table") {
    LUCET_ASSIGN_OR_RETURN(label, optionalLabel(c));
    out.u8(0x1f);
    LUCET_TRY(blockType(e.items[0], c, out));
    LUCET_TRY(catchClauses(c, out));
    body_.labels.push_back(label);
    runs_.push_back({c, Run::Then::EndBlock, plain_.size(), false, &e, {}, label});
    return Status::ok();
  }
  if (word == "try") {
    // (try $l? bt (do ...) (catch $tag ...)* (catch_all ...)?) or
    // (try $l? bt (do ...) (delegate $label))
    LUCET_ASSIGN_OR_RETURN(label, optionalLabel(c));
    out.u8(0x06);
    LUCET_TRY(blockType(e.items[0], c, out));
    if (c.atEnd() || !c.peek().isListOf("do")) return errorIn(e, "expected (do ...)");
    const SExpr &body = c.next();
    body_.labels.push_back(label);
    Run run{Cursor(body.items, 1), Run::Then::TryHandlers, plain_.size(), false, &e, {}, label};
    run.next = c.pos;
    runs_.push_back(std::move(run));
    return Status::ok();
  }
  if (word == "if") {
    LUCET_ASSIGN_OR_RETURN(label, optionalLabel(c));
    ByteWriter type;
    LUCET_TRY(blockType(e.items[0], c, type));
    // The conditions run to (then ...); they are folded instructions.
    Cursor conditions = c;
    size_t thenAt = c.pos;
    while (thenAt < c.size && !c.items[thenAt].isListOf("then")) ++thenAt;
    if (thenAt == c.size) return errorIn(e, "expected (then ...)");
    conditions.size = thenAt;
    runs_.push_back(
        {conditions, Run::Then::IfCondition, plain_.size(), true, &e, std::move(type), label});
    return Status::ok();
  }
  if (word == "else" || word == "end" || word == "then" || word == "do" || word == "catch" ||
      word == "catch_all" || word == "delegate")
    return errorIn(e, "unexpected token");
  ByteWriter op;
  LUCET_TRY(operation(e.items[0], c, op));
  runs_.push_back({c, Run::Then::Operation, plain_.size(), true, &e, std::move(op), {}});
  return Status::ok();
}

Status Encoder::finish(Run &run, ByteWriter &out) {
  switch (run.then) {
  case Run::Then::Return:
    return Status::ok();
  case Run::Then::Operation:
    out.append(run.pending.bytes);
    return Status::ok();
  case Run::Then::EndBlock:
  case Run::Then::IfElse:
    body_.labels.pop_back();
    out.u8(0x0b);
    return Status::ok();
  case Run::Then::IfCondition: {
    const SExpr &e = *run.owner;
    // Where the conditions stopped: (then ...), maybe (else ...), nothing more.
    Cursor rest(e.items, run.cursor.size);
    const SExpr &thenList = rest.next();
    out.u8(0x04);
    out.append(run.pending.bytes);
    body_.labels.push_back(run.label);
    runs_.push_back(
        {Cursor(thenList.items, 1), Run::Then::IfThen, plain_.size(), false, &e, {}, run.label});
    return Status::ok();
  }
  case Run::Then::TryHandlers: {
    const SExpr &e = *run.owner;
    if (run.next == e.items.size()) {
      body_.labels.pop_back();
      out.u8(0x0b);
      return Status::ok();
    }
    const SExpr &part = e.items[run.next];
    bool last = run.next + 1 == e.items.size();
    if (part.isListOf("delegate")) {
      // Only straight after (do ...): a try either delegates or catches.
      if (!last) return errorIn(e.items[run.next + 1], "unexpected token");
      if (!e.items[run.next - 1].isListOf("do")) return errorIn(part, "unexpected token");
      if (part.items.size() != 2) return errorIn(part, "delegate takes a label");
      body_.labels.pop_back();
      LUCET_ASSIGN_OR_RETURN(l, labelIndex(part.items[1]));
      out.u8(0x18);
      out.uleb(l);
      return Status::ok();
    }
    Run handler{
        Cursor(part.items, 1), Run::Then::TryHandlers, plain_.size(), false, &e, {}, run.label};
    handler.next = run.next + 1;
    if (part.isListOf("catch")) {
      if (part.items.size() < 2 || !isIndex(part.items[1]))
        return errorIn(part, "expected a tag index");
      LUCET_ASSIGN_OR_RETURN(tag, m_.index(part.items[1], Space::Tag));
      out.u8(0x07);
      out.uleb(tag);
      handler.cursor = Cursor(part.items, 2);
    } else if (part.isListOf("catch_all")) {
      if (!last) return errorIn(e.items[run.next + 1], "unexpected token");
      out.u8(0x19);
    } else {
      return errorIn(part, "unexpected token");
    }
    runs_.push_back(std::move(handler));
    return Status::ok();
  }
  case Run::Then::IfThen: {
    const SExpr &e = *run.owner;
    size_t thenAt = 1;
    while (!e.items[thenAt].isListOf("then")) ++thenAt;
    Cursor rest(e.items, thenAt + 1);
    if (!rest.atEnd() && rest.peek().isListOf("else")) {
      const SExpr &elseList = rest.next();
      if (!rest.atEnd()) return errorIn(rest.peek(), "unexpected token");
      out.u8(0x05);
      runs_.push_back(
          {Cursor(elseList.items, 1), Run::Then::IfElse, plain_.size(), false, &e, {}, run.label});
      return Status::ok();
    }
    if (!rest.atEnd()) return errorIn(rest.peek(), "unexpected token");
    body_.labels.pop_back();
    out.u8(0x0b);
    return Status::ok();
  }
  }
  return Status::ok();
}

} // namespace

Status WatModule::instructions(Cursor &c, Body &body, ByteWriter &out) {
  return Encoder(*this, body).sequence(c, out);
}

Status WatModule::constantExpression(Cursor c, ByteWriter &out) {
  Body body;
  LUCET_TRY(instructions(c, body, out));
  if (!c.atEnd()) return errorIn(c.peek(), "unexpected token");
  out.u8(0x0b);
  return Status::ok();
}

} // namespace lucet::text
