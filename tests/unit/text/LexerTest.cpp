#include "text/SExpr.h"

#include <gtest/gtest.h>

using namespace lucet::text;

TEST(Lexer, TokensKnowTheirLineAndColumn) {
  auto tokens = tokenize("(module\n  (func $f (result i32) i32.const 1))");
  ASSERT_TRUE(tokens) << tokens.error().message();
  ASSERT_GE(tokens->size(), 5u);
  EXPECT_EQ((*tokens)[0].kind, Token::Kind::LParen);
  EXPECT_EQ((*tokens)[1].text, "module");
  EXPECT_EQ((*tokens)[3].text, "func");
  EXPECT_EQ((*tokens)[3].location.line, 2u);
  EXPECT_EQ((*tokens)[3].location.column, 4u);
  EXPECT_EQ((*tokens)[4].kind, Token::Kind::Id);
  EXPECT_EQ((*tokens)[4].text, "f");
}

TEST(Lexer, SkipsCommentsAndAnnotations) {
  auto tokens = tokenize(";; line\n(; block (; nested ;) ;) (@custom \"x\" (a b)) nop");
  ASSERT_TRUE(tokens) << tokens.error().message();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].text, "nop");
}

TEST(Lexer, LineCommentsEndAtLineFeedOrCarriageReturn) {
  for (const char *text : {";; c\nnop", ";; c\rnop", ";; c\r\nnop"}) {
    auto tokens = tokenize(text);
    ASSERT_TRUE(tokens) << tokens.error().message();
    ASSERT_EQ(tokens->size(), 1u) << text;
    EXPECT_EQ((*tokens)[0].text, "nop");
  }
}

TEST(Lexer, DecodesStringEscapes) {
  auto tokens = tokenize(R"("a\tb\n\"\\\41\u{e9}\u{1F600}")");
  ASSERT_TRUE(tokens) << tokens.error().message();
  EXPECT_EQ((*tokens)[0].text, "a\tb\n\"\\A\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(Lexer, RefusesMalformedInputWithItsPlace) {
  for (const char *bad : {"\"unclosed", "(; unclosed", "\"bad \\q escape\"", "\"\\u{d800}\"",
                          "\"a\"\"b\"", "$", "\"\xff\"", "$\"\\ff\""}) {
    auto tokens = tokenize(bad);
    EXPECT_FALSE(tokens) << bad;
  }
  auto tokens = tokenize("nop\n  \"x\\z\"");
  ASSERT_FALSE(tokens);
  EXPECT_EQ(tokens.error().message().rfind("2:5:", 0), 0u) << tokens.error().message();
}

TEST(SExpr, BuildsNestedListsAndRefusesUnbalancedParens) {
  auto top = readSExprs("(a (b c) d) (e)");
  ASSERT_TRUE(top) << top.error().message();
  ASSERT_EQ(top->size(), 2u);
  EXPECT_TRUE((*top)[0].isListOf("a"));
  EXPECT_EQ((*top)[0].items.size(), 3u);
  EXPECT_TRUE((*top)[0].items[1].isListOf("b"));
  EXPECT_FALSE(readSExprs("(a (b)"));
  EXPECT_FALSE(readSExprs("(a))"));
  // Deep nesting is refused, not a stack overflow.
  EXPECT_FALSE(readSExprs(std::string(100'000, '(')));
}
