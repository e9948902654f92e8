// Reads a .wast script with lucet's own text parser (src/text): commands,
// actions and values, with every module encoded to the binary format and
// written next to the others so that the runner compiles files as before.
#include "tools/lucet-spectest/WastScript.h"

#include "support/FileIO.h"
#include "text/Literals.h"
#include "text/WatParser.h"

#include <cstring>
#include <filesystem>

namespace lucet::spectest {
namespace {

namespace fs = std::filesystem;
using text::SExpr;
using text::Token;

using text::errorIn;

// A float lane or scalar: exact bits, or a NaN pattern (results only).
Status floatValue(const SExpr &atom, unsigned bits, WastValue &v, size_t byteOffset) {
  NanPattern nan = nanPattern(atom.token.text);
  v.nans.push_back(nan);
  if (nan != NanPattern::None) return Status::ok();
  if (bits == 32) {
    auto f = text::parseF32(atom.token.text);
    if (!f) return errorIn(atom, f.error().message());
    std::memcpy(v.bytes.data() + byteOffset, &*f, 4);
  } else {
    auto f = text::parseF64(atom.token.text);
    if (!f) return errorIn(atom, f.error().message());
    std::memcpy(v.bytes.data() + byteOffset, &*f, 8);
  }
  return Status::ok();
}

Status intValue(const SExpr &atom, unsigned bits, WastValue &v, size_t byteOffset) {
  auto n = text::parseInt(atom.token.text, bits);
  if (!n) return errorIn(atom, n.error().message());
  std::memcpy(v.bytes.data() + byteOffset, &*n, bits / 8);
  return Status::ok();
}

Expected<WastValue> value(const SExpr &e) {
  WastValue v;
  std::string_view head = e.head();
  if (head == "either") {
    for (size_t i = 1; i < e.items.size(); ++i) {
      LUCET_ASSIGN_OR_RETURN(alternative, value(e.items[i]));
      v.either.push_back(std::move(alternative));
    }
    if (v.either.empty()) return errorIn(e, "expected alternatives");
    v.type = v.either[0].type;
    return v;
  }
  auto atom = [&](size_t i) -> Expected<const SExpr *> {
    if (i >= e.items.size() || e.items[i].isList) return errorIn(e, "expected a value");
    return &e.items[i];
  };
  if (head == "i32.const" || head == "i64.const") {
    v.type = head == "i32.const" ? 0x7f : 0x7e;
    LUCET_ASSIGN_OR_RETURN(a, atom(1));
    v.nans.push_back(NanPattern::None);
    LUCET_TRY(intValue(*a, head == "i32.const" ? 32 : 64, v, 0));
    return v;
  }
  if (head == "f32.const" || head == "f64.const") {
    v.type = head == "f32.const" ? 0x7d : 0x7c;
    LUCET_ASSIGN_OR_RETURN(a, atom(1));
    LUCET_TRY(floatValue(*a, head == "f32.const" ? 32 : 64, v, 0));
    return v;
  }
  if (head == "v128.const") {
    v.type = 0x7b;
    LUCET_ASSIGN_OR_RETURN(shape, atom(1));
    const std::string &s = shape->token.text;
    v.floatLanes = s[0] == 'f';
    v.laneBits = s == "i8x16" ? 8 : s == "i16x8" ? 16 : (s == "i32x4" || s == "f32x4") ? 32 : 64;
    if (s != "i8x16" && s != "i16x8" && s != "i32x4" && s != "i64x2" && s != "f32x4" &&
        s != "f64x2")
      return errorIn(*shape, "unknown vector shape");
    unsigned lanes = 128 / v.laneBits;
    if (e.items.size() != 2 + lanes) return errorIn(e, fmt::format("expected {} lanes", lanes));
    for (unsigned i = 0; i < lanes; ++i) {
      LUCET_ASSIGN_OR_RETURN(lane, atom(2 + i));
      if (v.floatLanes) {
        LUCET_TRY(floatValue(*lane, v.laneBits, v, i * v.laneBits / 8));
      } else {
        v.nans.push_back(NanPattern::None);
        LUCET_TRY(intValue(*lane, v.laneBits, v, i * v.laneBits / 8));
      }
    }
    return v;
  }
  if (head == "ref.null") {
    v.isNull = true;
    if (e.items.size() == 1) { // 3.0 results: a null of any reference type
      v.type = 0;
      return v;
    }
    LUCET_ASSIGN_OR_RETURN(ht, atom(1));
    const std::string &h = ht->token.text;
    if (h == "func" || h == "nofunc")
      v.type = 0x70;
    else if (h == "extern" || h == "noextern")
      v.type = 0x6f;
    else if (h == "exn" || h == "noexn")
      v.type = 0x69;
    else
      return errorIn(e, "unsupported reference type");
    return v;
  }
  if (head == "ref.extern") {
    v.type = 0x6f;
    if (e.items.size() == 1) {
      v.anyRef = true;
      return v;
    }
    LUCET_ASSIGN_OR_RETURN(a, atom(1));
    auto n = text::parseUnsigned(a->token.text, 64);
    if (!n) return errorIn(*a, n.error().message());
    std::memcpy(v.bytes.data(), &*n, 8);
    return v;
  }
  if (head == "ref.func") {
    v.type = 0x70;
    v.anyRef = true;
    return v;
  }
  return errorIn(e, "unsupported value");
}

Expected<std::vector<WastValue>> values(const SExpr &list, size_t from) {
  std::vector<WastValue> out;
  for (size_t i = from; i < list.items.size(); ++i) {
    LUCET_ASSIGN_OR_RETURN(v, value(list.items[i]));
    out.push_back(std::move(v));
  }
  return out;
}

Expected<WastAction> action(const SExpr &e) {
  WastAction a;
  if (e.isListOf("invoke"))
    a.kind = WastAction::Kind::Invoke;
  else if (e.isListOf("get"))
    a.kind = WastAction::Kind::Get;
  else
    return errorIn(e, "expected (invoke ...) or (get ...)");
  size_t i = 1;
  if (i < e.items.size() && e.items[i].isAtom(Token::Kind::Id))
    a.module = "$" + e.items[i++].token.text;
  if (i >= e.items.size() || !e.items[i].isAtom(Token::Kind::String))
    return errorIn(e, "expected an export name");
  a.field = e.items[i++].token.text;
  if (a.kind == WastAction::Kind::Invoke) {
    LUCET_ASSIGN_OR_RETURN(args, values(e, i));
    a.args = std::move(args);
  } else if (i != e.items.size()) {
    return errorIn(e, "unexpected token");
  }
  return a;
}

class Reader {
public:
  Reader(std::string workDir, std::string stem)
      : dir_(std::move(workDir)), stem_(std::move(stem)) {}

  // Encodes a module and writes it out; a text that does not parse is kept
  // as the command's textError.
  Status module(const SExpr &m, WastCommand &cmd) {
    if (auto id = text::moduleId(m)) cmd.name = "$" + *id;
    auto bytes = text::encodeModule(m);
    if (!bytes) {
      cmd.textError = bytes.error();
      return Status::ok();
    }
    return write(*bytes, cmd);
  }

  Status write(const std::vector<uint8_t> &bytes, WastCommand &cmd) {
    cmd.modulePath = (fs::path(dir_) / fmt::format("{}.{}.wasm", stem_, count_++)).string();
    return writeFileAtomically(cmd.modulePath, bytes);
  }

  Expected<WastCommand> command(const SExpr &e) {
    WastCommand cmd;
    cmd.line = e.location().line;
    std::string_view head = e.head();
    cmd.typeName = std::string(head);
    using Kind = WastCommand::Kind;
    auto expectText = [&](size_t i) -> Status {
      if (i >= e.items.size() || !e.items[i].isAtom(Token::Kind::String))
        return errorIn(e, "expected a message");
      cmd.text = e.items[i].token.text;
      return Status::ok();
    };
    if (head == "module") {
      if (e.items.size() > 1 && e.items[1].isKeyword("instance")) {
        // (module instance $instance? $definition?)
        cmd.kind = Kind::ModuleInstance;
        std::vector<std::string> ids;
        for (size_t i = 2; i < e.items.size(); ++i) {
          if (!e.items[i].isAtom(Token::Kind::Id)) return errorIn(e.items[i], "expected a name");
          ids.push_back("$" + e.items[i].token.text);
        }
        if (ids.size() > 2) return errorIn(e, "expected (module instance $instance? $module?)");
        if (ids.size() == 2) cmd.definition = ids[1];
        if (!ids.empty()) cmd.name = ids[0];
        return cmd;
      }
      bool definition = e.items.size() > 1 && e.items[1].isKeyword("definition");
      cmd.kind = definition ? Kind::ModuleDefinition : Kind::Module;
      LUCET_TRY(module(e, cmd));
      return cmd;
    }
    if (head == "register") {
      cmd.kind = Kind::Register;
      LUCET_TRY(expectText(1));
      cmd.as = cmd.text;
      cmd.text.clear();
      if (e.items.size() > 2 && e.items[2].isAtom(Token::Kind::Id))
        cmd.name = "$" + e.items[2].token.text;
      return cmd;
    }
    if (head == "invoke" || head == "get") {
      cmd.kind = Kind::Action;
      cmd.typeName = "action";
      LUCET_ASSIGN_OR_RETURN(a, action(e));
      cmd.action = std::move(a);
      return cmd;
    }
    if (e.items.size() < 2) return errorIn(e, "expected an action or a module");
    const SExpr &subject = e.items[1];
    if (head == "assert_return") {
      cmd.kind = Kind::AssertReturn;
      LUCET_ASSIGN_OR_RETURN(a, action(subject));
      cmd.action = std::move(a);
      LUCET_ASSIGN_OR_RETURN(expected, values(e, 2));
      cmd.expected = std::move(expected);
      return cmd;
    }
    if (head == "assert_exception") {
      cmd.kind = Kind::AssertException;
      LUCET_ASSIGN_OR_RETURN(a, action(subject));
      cmd.action = std::move(a);
      return cmd;
    }
    if (head == "assert_trap" || head == "assert_exhaustion") {
      LUCET_TRY(expectText(2));
      if (subject.isListOf("module")) {
        cmd.kind = Kind::AssertUninstantiable;
        cmd.typeName = "assert_uninstantiable";
        LUCET_TRY(module(subject, cmd));
        return cmd;
      }
      cmd.kind = head == "assert_trap" ? Kind::AssertTrap : Kind::AssertExhaustion;
      LUCET_ASSIGN_OR_RETURN(a, action(subject));
      cmd.action = std::move(a);
      return cmd;
    }
    if (head == "assert_malformed" || head == "assert_invalid" || head == "assert_unlinkable") {
      cmd.kind = head == "assert_malformed" ? Kind::AssertMalformed
                 : head == "assert_invalid" ? Kind::AssertInvalid
                                            : Kind::AssertUnlinkable;
      LUCET_TRY(expectText(2));
      LUCET_TRY(module(subject, cmd));
      return cmd;
    }
    cmd.kind = Kind::Unknown;
    return cmd;
  }

private:
  std::string dir_;
  std::string stem_;
  unsigned count_ = 0;
};

} // namespace

Expected<WastScript> readWast(const std::string &wastPath, const std::string &workDir) {
  LUCET_ASSIGN_OR_RETURN(bytes, readFile(wastPath));
  std::string source(bytes.begin(), bytes.end());
  auto top = text::readSExprs(source);
  if (!top) return top.error().withContext(wastPath);
  WastScript script;
  script.sourceName = wastPath;
  Reader reader(workDir, fs::path(wastPath).stem().string());
  // A script may be a module's fields alone: one module.
  if (!top->empty() && top->front().isList) {
    std::string_view head = top->front().head();
    if (head == "func" || head == "memory" || head == "table" || head == "global" ||
        head == "type" || head == "import" || head == "export" || head == "data" ||
        head == "elem" || head == "start" || head == "tag") {
      WastCommand cmd;
      cmd.kind = WastCommand::Kind::Module;
      cmd.typeName = "module";
      cmd.line = 1;
      auto module = text::parseWat(source);
      if (!module) return module.error().withContext(wastPath);
      LUCET_TRY(reader.write(*module, cmd));
      script.commands.push_back(std::move(cmd));
      return script;
    }
  }
  for (const auto &e : *top) {
    auto cmd = reader.command(e);
    if (!cmd) return cmd.error().withContext(wastPath);
    script.commands.push_back(std::move(*cmd));
  }
  return script;
}

} // namespace lucet::spectest
