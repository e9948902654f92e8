#include "text/Lexer.h"

namespace lucet::text {

Error errorAt(Location at, const std::string &message) {
  return Error::format("{}:{}: {}", at.line, at.column, message);
}

namespace {

bool isIdChar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '/':
  case ':':
  case '<':
  case '=':
  case '>':
  case '?':
  case '@':
  case '\\':
  case '^':
  case '_':
  case '`':
  case '|':
  case '~':
    return true;
  default:
    return false;
  }
}

int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

// Length of the UTF-8 sequence at `s` (0 when malformed).
size_t utf8Length(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xc0) == 0x80; };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xe0 && b(1) < 0xa0) return 0;  // overlong
    if (c == 0xed && b(1) >= 0xa0) return 0; // surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xf0 && b(1) < 0x90) return 0;
    if (c == 0xf4 && b(1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

bool isUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8Length(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

class Lexer {
public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Expected<std::vector<Token>> run() {
    std::vector<Token> tokens;
    for (;;) {
      LUCET_TRY(skipSpace());
      if (pos_ >= src_.size()) break;
      Location at = here();
      char c = src_[pos_];
      if (c == '(') {
        if (peek(1) == '@') {
          LUCET_TRY(skipAnnotation());
          continue;
        }
        advance(1);
        tokens.push_back({Token::Kind::LParen, at, "("});
        continue;
      }
      if (c == ')') {
        advance(1);
        tokens.push_back({Token::Kind::RParen, at, ")"});
        continue;
      }
      if (c == '"') {
        LUCET_ASSIGN_OR_RETURN(bytes, string());
        tokens.push_back({Token::Kind::String, at, std::move(bytes)});
        LUCET_TRY(separated());
        continue;
      }
      if (c == '$' && peek(1) == '"') {
        advance(1);
        LUCET_ASSIGN_OR_RETURN(name, string());
        if (name.empty()) return errorAt(at, "empty identifier");
        if (!isUtf8(name)) return errorAt(at, "malformed UTF-8 encoding in identifier");
        tokens.push_back({Token::Kind::Id, at, std::move(name)});
        LUCET_TRY(separated());
        continue;
      }
      if (!isIdChar(static_cast<unsigned char>(c)))
        return errorAt(at, fmt::format("unexpected character '{}'", printable(c)));
      size_t start = pos_;
      while (pos_ < src_.size() && isIdChar(static_cast<unsigned char>(src_[pos_]))) advance(1);
      std::string text(src_.substr(start, pos_ - start));
      if (pos_ < src_.size() && src_[pos_] == '"')
        return errorAt(at, fmt::format("unknown operator '{}\"': tokens must be separated", text));
      if (text[0] == '$') {
        if (text.size() == 1) return errorAt(at, "empty identifier");
        tokens.push_back({Token::Kind::Id, at, text.substr(1)});
      } else if (text[0] >= 'a' && text[0] <= 'z') {
        tokens.push_back({Token::Kind::Keyword, at, std::move(text)});
      } else {
        tokens.push_back({Token::Kind::Reserved, at, std::move(text)});
      }
    }
    return tokens;
  }

private:
  static std::string printable(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    return fmt::format("\\x{:02x}", u);
  }

  char peek(size_t ahead) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0'; }
  Location here() const { return {line_, column_}; }
  void advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < src_.size(); ++i, ++pos_) {
      if (src_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  // After a string or an identifier: whitespace, a paren, a comment or the end.
  Status separated() {
    if (pos_ >= src_.size()) return Status::ok();
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ';')
      return Status::ok();
    return errorAt(here(), "unknown operator: tokens must be separated by white space");
  }

  // Inside an annotation a lone ';' is a (reserved) token, not an error.
  Status skipSpace(bool inAnnotation = false) {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else if (c == ';' && peek(1) == ';') {
        // A line comment ends at a line feed or a carriage return.
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') advance(1);
      } else if (c == '(' && peek(1) == ';') {
        LUCET_TRY(skipBlockComment());
      } else if (c == ';' && !inAnnotation) {
        return errorAt(here(), "unexpected ';'");
      } else {
        break;
      }
    }
    return Status::ok();
  }

  Status skipBlockComment() {
    Location at = here();
    advance(2);
    int depth = 1;
    while (depth > 0) {
      if (pos_ >= src_.size()) return errorAt(at, "unclosed block comment");
      if (src_[pos_] == '(' && peek(1) == ';') {
        advance(2);
        ++depth;
      } else if (src_[pos_] == ';' && peek(1) == ')') {
        advance(2);
        --depth;
      } else {
        advance(1);
      }
    }
    return Status::ok();
  }

  // (@name ...) with balanced parens, strings and comments inside.
  Status skipAnnotation() {
    Location at = here();
    advance(2);
    if (pos_ < src_.size() && src_[pos_] == '"') {
      LUCET_ASSIGN_OR_RETURN(name, string());
      if (name.empty()) return errorAt(at, "empty annotation id");
      if (!isUtf8(name)) return errorAt(at, "malformed UTF-8 encoding in annotation id");
    } else {
      size_t start = pos_;
      while (pos_ < src_.size() && isIdChar(static_cast<unsigned char>(src_[pos_]))) advance(1);
      if (pos_ == start) return errorAt(at, "empty annotation id");
    }
    int depth = 1;
    while (depth > 0) {
      LUCET_TRY(skipSpace(true));
      if (pos_ >= src_.size()) return errorAt(at, "unclosed annotation");
      char c = src_[pos_];
      if (c == '(') {
        advance(1);
        ++depth;
      } else if (c == ')') {
        advance(1);
        --depth;
      } else if (c == '"') {
        LUCET_TRY(string());
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        return errorAt(here(), "malformed UTF-8 encoding: only strings may hold non-ASCII text");
      } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return errorAt(here(), fmt::format("illegal character '{}'", printable(c)));
      } else {
        advance(1);
      }
    }
    return Status::ok();
  }

  Expected<std::string> string() {
    Location at = here();
    advance(1);
    std::string out;
    for (;;) {
      if (pos_ >= src_.size()) return errorAt(at, "unclosed string");
      auto c = static_cast<unsigned char>(src_[pos_]);
      if (c == '"') {
        advance(1);
        return out;
      }
      if (c == '\n' || c < 0x20 || c == 0x7f) return errorAt(here(), "illegal character in string");
      if (c != '\\') {
        size_t n = utf8Length(src_.substr(pos_));
        if (n == 0) return errorAt(here(), "malformed UTF-8 encoding in string");
        out.append(src_.substr(pos_, n));
        advance(n);
        continue;
      }
      Location escapeAt = here();
      advance(1);
      char e = peek(0);
      switch (e) {
      case 't':
        out += '\t';
        advance(1);
        continue;
      case 'n':
        out += '\n';
        advance(1);
        continue;
      case 'r':
        out += '\r';
        advance(1);
        continue;
      case '"':
        out += '"';
        advance(1);
        continue;
      case '\'':
        out += '\'';
        advance(1);
        continue;
      case '\\':
        out += '\\';
        advance(1);
        continue;
      case 'u': {
        if (peek(1) != '{') return errorAt(escapeAt, "illegal escape in string");
        advance(2);
        uint64_t cp = 0;
        size_t digits = 0;
        while (hexValue(static_cast<unsigned char>(peek(0))) >= 0 || (digits && peek(0) == '_')) {
          if (peek(0) != '_') {
            cp = cp * 16 + hexValue(static_cast<unsigned char>(peek(0)));
            if (cp > 0x10ffff) return errorAt(escapeAt, "illegal escape: code point out of range");
            ++digits;
          }
          advance(1);
        }
        if (!digits || peek(0) != '}') return errorAt(escapeAt, "illegal escape in string");
        if (cp >= 0xd800 && cp < 0xe000) return errorAt(escapeAt, "illegal escape: surrogate");
        advance(1);
        appendUtf8(out, uint32_t(cp));
        continue;
      }
      default: {
        int hi = hexValue(static_cast<unsigned char>(e));
        int lo = hexValue(static_cast<unsigned char>(peek(1)));
        if (hi < 0 || lo < 0) return errorAt(escapeAt, "illegal escape in string");
        out += char(hi * 16 + lo);
        advance(2);
      }
      }
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

} // namespace

Expected<std::vector<Token>> tokenize(std::string_view source) {
  return Lexer(source).run();
}

} // namespace lucet::text
