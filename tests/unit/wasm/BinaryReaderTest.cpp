#include "WasmTestUtil.h"

#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

#include <initializer_list>

using namespace lucet;
using namespace lucet::wasm;

namespace {

using Bytes = std::vector<uint8_t>;

void appendU32(Bytes &out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(value ? byte | 0x80 : byte);
  } while (value);
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes header() {
  return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
}

Bytes section(uint8_t id, const Bytes &payload) {
  Bytes out{id};
  appendU32(out, uint32_t(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes name(const std::string &s) {
  Bytes out;
  appendU32(out, uint32_t(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// One type () -> (), one function of that type with the given body bytes
// (locals declaration included).
Bytes oneFunction(const Bytes &entry) {
  Bytes code{0x01};
  appendU32(code, uint32_t(entry.size()));
  code.insert(code.end(), entry.begin(), entry.end());
  return cat({header(), section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
              section(10, code)});
}

std::string errorOf(const Bytes &bytes, Features features = Features::wasm3()) {
  auto m = readModule(bytes, features);
  if (m) return "<read ok>";
  return m.error().message();
}

std::string validationErrorOf(const Bytes &bytes, Features features = Features::wasm3()) {
  auto m = readModule(bytes, features);
  if (!m) return "<read failed: " + m.error().message() + ">";
  Status s = validateModule(*m);
  return s ? "<valid>" : s.error().message();
}

} // namespace

TEST(BinaryReader, EmptyModule) {
  auto m = readModule(header());
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_TRUE(m->types.empty());
  EXPECT_TRUE(m->functions.empty());
  EXPECT_EQ(m->bytes.size(), 8u);
  EXPECT_TRUE(validateModule(*m));
}

TEST(BinaryReader, HeaderErrors) {
  EXPECT_EQ(errorOf({}), "at offset 0x0: unexpected end: truncated magic header");
  EXPECT_EQ(errorOf({0x00, 0x61, 0x73}), "at offset 0x3: unexpected end: truncated magic header");
  EXPECT_EQ(errorOf({0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00}),
            "at offset 0x0: magic header not detected");
  EXPECT_EQ(errorOf({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}),
            "at offset 0x4: unknown binary version 0x2");
  EXPECT_EQ(errorOf({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00}),
            "at offset 0x4: unexpected end: unknown binary version");
}

TEST(BinaryReader, FunctionBodyOffsets) {
  // Locals: 2 x i32, 1 x f64; body: local.get 0, drop, end.
  Bytes entry{0x02, 0x02, 0x7f, 0x01, 0x7c, 0x20, 0x00, 0x1a, 0x0b};
  Bytes bytes = oneFunction(entry);
  auto m = readModule(bytes);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->functions.size(), 1u);
  const Function &f = m->functions[0];
  // Header 8, type section 6, function section 4, code section id+size+count 3.
  EXPECT_EQ(f.entryOffset, 8u + 6 + 4 + 3);
  EXPECT_EQ(f.bodyOffset, f.entryOffset + 1 + 5);
  EXPECT_EQ(f.bodyEnd, bytes.size());
  EXPECT_EQ(bytes[f.bodyEnd - 1], 0x0b);
  ASSERT_EQ(f.locals.size(), 2u);
  EXPECT_EQ(f.locals[0].count, 2u);
  EXPECT_EQ(f.locals[0].type, ValType::I32);
  EXPECT_EQ(f.locals[1].type, ValType::F64);
  EXPECT_EQ(m->functionBody(f).size(), 4u);
  EXPECT_TRUE(validateModule(*m));
}

TEST(BinaryReader, TooManyLocals) {
  // 0xffffffff + 1 locals.
  Bytes entry{0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x01, 0x7e, 0x0b};
  std::string err = errorOf(oneFunction(entry));
  EXPECT_NE(err.find("too many locals"), std::string::npos) << err;
  // The offset is that of the run that goes over the implementation limit
  // (ImplementationLimitsTest has the limit itself).
  EXPECT_EQ(err.rfind("at offset 0x17:", 0), 0u) << err;
  // 2^32-1 locals would be well formed but are far beyond it.
  Bytes maxEntry{0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b};
  err = errorOf(oneFunction(maxEntry));
  EXPECT_NE(err.find("too many locals: function 0 has at least 4294967295 locals"),
            std::string::npos)
      << err;
}

TEST(BinaryReader, SectionOrdering) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  Bytes dataCount = section(12, {0x00});
  Bytes custom = section(0, cat({name("meta"), {1, 2, 3}}));
  // Data count sits between the element and code sections despite its id.
  auto ok =
      readModule(cat({header(), custom, type, custom, func, dataCount, custom, code, custom}));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->customSections.size(), 4u);
  EXPECT_EQ(ok->dataCount, 0u);
  EXPECT_TRUE(validateModule(*ok));

  std::string err = errorOf(cat({header(), func, type, code}));
  EXPECT_NE(err.find("unexpected content after last section"), std::string::npos) << err;
  EXPECT_EQ(err.rfind("at offset 0xc:", 0), 0u) << err;
  err = errorOf(cat({header(), type, func, code, dataCount}));
  EXPECT_NE(err.find("out of order"), std::string::npos) << err;
  err = errorOf(cat({header(), type, type}));
  EXPECT_NE(err.find("duplicated or out of order"), std::string::npos) << err;
}

TEST(BinaryReader, CustomSectionsAreKept) {
  Bytes bytes = cat({header(), section(0, cat({name("hello"), {0xaa, 0xbb}}))});
  auto m = readModule(bytes);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->customSections.size(), 1u);
  const CustomSection &c = m->customSections[0];
  EXPECT_EQ(c.name, "hello");
  EXPECT_EQ(c.payloadSize, 2u);
  EXPECT_EQ(m->bytes[c.payloadOffset], 0xaa);
  EXPECT_EQ(m->bytes[c.payloadOffset + 1], 0xbb);

  std::string err = errorOf(cat({header(), section(0, {0x02, 0xc0, 0x80})}));
  EXPECT_EQ(err, "at offset 0xb: malformed UTF-8 encoding");
  // A custom section too small for its own name.
  err = errorOf(cat({header(), section(0, {0x05, 'a'})}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;
}

TEST(BinaryReader, SectionFraming) {
  // Section 13 (tags) exists from 3.0 on; 14 does not exist at all.
  EXPECT_EQ(errorOf(cat({header(), {0x0d, 0x00}}), Features::wasm2()),
            "at offset 0x8: malformed section id 13");
  EXPECT_EQ(errorOf(cat({header(), {0x0e, 0x00}})), "at offset 0x8: malformed section id 14");
  std::string err = errorOf(cat({header(), {0x01, 0x05, 0x00}}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;
  // A type section claiming 5 bytes that holds a 4-byte vector plus one stray byte.
  err = errorOf(cat({header(), section(1, {0x01, 0x60, 0x00, 0x00, 0x00})}));
  EXPECT_EQ(err.rfind("at offset 0xe: section size mismatch", 0), 0u) << err;
  // A type section too short for its content.
  err = errorOf(cat({header(), section(1, {0x01, 0x60, 0x00})}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;
  // A section id and nothing after it.
  err = errorOf(cat({header(), {0x01}}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;
}

TEST(BinaryReader, LebErrorsComeFromByteReader) {
  // Type count encoded in six bytes.
  std::string err = errorOf(cat({header(), section(1, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00})}));
  EXPECT_EQ(err, "at offset 0xa: integer representation too long");
  // Type count with bits beyond 32.
  err = errorOf(cat({header(), section(1, {0xff, 0xff, 0xff, 0xff, 0x7f})}));
  EXPECT_EQ(err, "at offset 0xa: integer too large");
}

TEST(BinaryReader, FunctionAndCodeCounts) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  std::string err = errorOf(cat({header(), type, section(3, {0x01, 0x00})}));
  EXPECT_NE(err.find("function and code section have inconsistent lengths"), std::string::npos)
      << err;
  err = errorOf(cat({header(), type, section(3, {0x01, 0x00}), section(10, {0x00})}));
  EXPECT_NE(err.find("function and code section have inconsistent lengths"), std::string::npos)
      << err;
  err = errorOf(cat({header(), type, section(10, {0x01, 0x02, 0x00, 0x0b})}));
  EXPECT_NE(err.find("function and code section have inconsistent lengths"), std::string::npos)
      << err;
}

TEST(BinaryReader, DataCountMustMatchData) {
  Bytes memory = section(5, {0x01, 0x00, 0x01});
  Bytes passive = section(11, {0x01, 0x01, 0x02, 'h', 'i'});
  auto m = readModule(cat({header(), memory, section(12, {0x01}), passive}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->datas.size(), 1u);
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Passive);
  auto data = m->dataBytes(m->datas[0]);
  EXPECT_EQ(std::string(data.begin(), data.end()), "hi");

  std::string err = errorOf(cat({header(), memory, section(12, {0x02}), passive}));
  EXPECT_NE(err.find("data count and data section have inconsistent lengths"), std::string::npos)
      << err;
  err = errorOf(cat({header(), memory, section(12, {0x01})}));
  EXPECT_NE(err.find("data count and data section have inconsistent lengths"), std::string::npos)
      << err;
}

TEST(BinaryReader, DataSegmentEncodings) {
  Bytes memory = section(5, {0x01, 0x01, 0x01, 0x02});
  Bytes data = section(11, {0x03,
                            // flags 0: active memory 0, offset i32.const 16
                            0x00, 0x41, 0x10, 0x0b, 0x01, 'a',
                            // flags 1: passive
                            0x01, 0x02, 'b', 'c',
                            // flags 2: explicit memory 0, offset i32.const 1
                            0x02, 0x00, 0x41, 0x01, 0x0b, 0x00});
  auto m = readModule(cat({header(), memory, data}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(m->memories[0].limits.min, 1u);
  EXPECT_EQ(m->memories[0].limits.max, 2u);
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[0].offset.kind, ConstExpr::Kind::I32Const);
  EXPECT_EQ(m->datas[0].offset.bits, 16u);
  EXPECT_EQ(m->datas[0].bytesSize, 1u);
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].bytesSize, 2u);
  EXPECT_EQ(m->datas[2].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[2].offset.bits, 1u);
  EXPECT_EQ(m->datas[2].bytesSize, 0u);
  EXPECT_TRUE(validateModule(*m));

  std::string err = errorOf(cat({header(), memory, section(11, {0x01, 0x03, 0x00})}));
  EXPECT_EQ(err, "at offset 0x11: malformed data segment flags 3");
}

TEST(BinaryReader, ElemSegmentEncodings) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes table = section(4, {0x01, 0x70, 0x00, 0x04});
  Bytes elems = section(9, {0x08,
                            // 0: active table 0, i32.const 0, funcidx vector
                            0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
                            // 1: passive, elemkind, funcidx vector
                            0x01, 0x00, 0x01, 0x00,
                            // 2: active table 0 explicit, offset, elemkind, funcidx
                            0x02, 0x00, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x00,
                            // 3: declarative, elemkind, funcidx
                            0x03, 0x00, 0x01, 0x00,
                            // 4: active table 0, offset, expressions
                            0x04, 0x41, 0x02, 0x0b, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b,
                            // 5: passive, reftype, expressions
                            0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,
                            // 6: active explicit table, offset, reftype, expressions
                            0x06, 0x00, 0x41, 0x03, 0x0b, 0x70, 0x01, 0xd2, 0x00, 0x0b,
                            // 7: declarative, reftype, expressions
                            0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  auto m = readModule(cat({header(), type, func, table, elems, code}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->elems.size(), 8u);
  const SegmentMode expectedModes[] = {
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative,
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(m->elems[i].mode, expectedModes[i]) << "flags " << i;
  EXPECT_EQ(m->elems[2].offset.bits, 1u);
  EXPECT_EQ(m->elems[0].init[0].kind, ConstExpr::Kind::RefFunc);
  ASSERT_EQ(m->elems[4].init.size(), 2u);
  EXPECT_EQ(m->elems[4].init[1].kind, ConstExpr::Kind::RefNull);
  EXPECT_EQ(m->elems[5].type, ValType::ExternRef);
  EXPECT_EQ(m->elems[6].offset.bits, 3u);
  EXPECT_EQ(m->elems[7].type, ValType::FuncRef);
  // An externref passive segment is fine; validation checks active ones
  // against their table.
  EXPECT_TRUE(validateModule(*m)) << validationErrorOf(m->bytes);

  std::string err = errorOf(cat({header(), table, section(9, {0x01, 0x08})}));
  EXPECT_NE(err.find("malformed elements segment flags 8"), std::string::npos) << err;
  err = errorOf(cat({header(), table, section(9, {0x01, 0x01, 0x01, 0x00})}));
  EXPECT_NE(err.find("malformed element kind"), std::string::npos) << err;
  err = errorOf(cat({header(), table, section(9, {0x01, 0x05, 0x7f, 0x00})}));
  EXPECT_NE(err.find("malformed reference type"), std::string::npos) << err;
}

TEST(BinaryReader, ConstantExpressions) {
  // global i32 = i32.const 1; global i32 = i32.const 1 i32.const 2 i32.add
  Bytes good = section(6, {0x01, 0x7f, 0x00, 0x41, 0x01, 0x0b});
  ASSERT_TRUE(readModule(cat({header(), good})));
  // 2.0: one instruction only.
  Bytes sum = cat({header(), section(6, {0x01, 0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b})});
  std::string err = errorOf(sum, Features::wasm2());
  EXPECT_NE(err.find("constant expression required"), std::string::npos) << err;
  EXPECT_EQ(err.rfind("at offset 0x11:", 0), 0u) << err; // the i32.add
  err = errorOf(cat({header(), section(6, {0x01, 0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x0b})}),
                Features::wasm2());
  EXPECT_NE(err.find("type mismatch"), std::string::npos) << err;
  // 3.0: a program of constants and i32/i64 add, sub and mul.
  auto extended = readModule(sum);
  ASSERT_TRUE(extended) << extended.error().message();
  ASSERT_EQ(extended->globals[0].init.kind, ConstExpr::Kind::Extended);
  ASSERT_EQ(extended->globals[0].init.program.size(), 3u);
  EXPECT_EQ(extended->globals[0].init.program[2].kind, ConstExpr::Kind::I32Add);
  err = errorOf(cat({header(), section(6, {0x01, 0x7f, 0x00, 0x01, 0x0b})}));
  EXPECT_EQ(err, "at offset 0xd: constant expression required: nop is not a constant instruction");
  // Missing end runs off the section.
  err = errorOf(cat({header(), section(6, {0x01, 0x7f, 0x00, 0x41, 0x01})}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;

  Bytes kinds =
      section(6, {0x05, 0x7e, 0x00, 0x42, 0x7f, 0x0b,                                  // i64 -1
                  0x7d, 0x01, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b,                      // f32 1.0
                  0x7c, 0x00, 0x44, 0,    0,    0,    0,    0,    0, 0xf0, 0x3f, 0x0b, // f64 1.0
                  0x6f, 0x00, 0xd0, 0x6f, 0x0b,                                        // ref.null
                  0x7f, 0x00, 0x23, 0x00, 0x0b});                                      // global.get
  auto m = readModule(cat({header(), kinds}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->globals.size(), 5u);
  EXPECT_EQ(m->globals[0].init.bits, ~uint64_t(0));
  EXPECT_TRUE(m->globals[1].type.isMutable);
  EXPECT_EQ(m->globals[1].init.bits, 0x3f800000u);
  EXPECT_EQ(m->globals[2].init.bits, 0x3ff0000000000000u);
  EXPECT_EQ(m->globals[3].init.kind, ConstExpr::Kind::RefNull);
  EXPECT_EQ(m->globals[3].init.refType, ValType::ExternRef);
  EXPECT_EQ(m->globals[4].init.kind, ConstExpr::Kind::GlobalGet);
  // global.get of an earlier defined global: refused under 2.0's rules;
  // under 3.0's it may be read, and then the types do not match.
  auto m2 = readModule(m->bytes, Features::wasm2());
  ASSERT_TRUE(m2);
  Status v2 = validateModule(*m2);
  ASSERT_FALSE(v2);
  EXPECT_NE(v2.error().message().find("unknown global 0"), std::string::npos)
      << v2.error().message();
  std::string v3 = validationErrorOf(m->bytes);
  EXPECT_NE(v3.find("type mismatch: expected i32 but the constant expression has type i64"),
            std::string::npos)
      << v3;
}

TEST(BinaryReader, ImportsAndExports) {
  Bytes type = section(1, {0x01, 0x60, 0x01, 0x7f, 0x00});
  Bytes imports = section(2, cat({{0x04},
                                  name("env"),
                                  name("f"),
                                  {0x00, 0x00},
                                  name("env"),
                                  name("t"),
                                  {0x01, 0x70, 0x01, 0x01, 0x02},
                                  name("env"),
                                  name("m"),
                                  {0x02, 0x00, 0x01},
                                  name("env"),
                                  name("g"),
                                  {0x03, 0x7e, 0x01}}));
  Bytes exports = section(7, cat({{0x04},
                                  name("f"),
                                  {0x00, 0x00},
                                  name("t"),
                                  {0x01, 0x00},
                                  name("m"),
                                  {0x02, 0x00},
                                  name("g"),
                                  {0x03, 0x00}}));
  auto m = readModule(cat({header(), type, imports, exports}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(m->imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m->imports[1].table.limits.max, 2u);
  EXPECT_EQ(m->imports[2].memory.limits.min, 1u);
  EXPECT_EQ(m->imports[3].global.type, ValType::I64);
  EXPECT_TRUE(m->imports[3].global.isMutable);
  EXPECT_EQ(m->numImportedFuncs, 1u);
  EXPECT_EQ(m->numImportedTables, 1u);
  EXPECT_EQ(m->numImportedMemories, 1u);
  EXPECT_EQ(m->numImportedGlobals, 1u);
  EXPECT_EQ(m->funcTypeIndices.size(), 1u);
  EXPECT_EQ(m->exports.size(), 4u);
  EXPECT_EQ(m->exports[2].kind, ExternKind::Memory);
  EXPECT_TRUE(validateModule(*m));

  // Kind 4 (tag) exists from 3.0 on; 5 does not exist at all.
  std::string err =
      errorOf(cat({header(), section(2, cat({{0x01}, name("a"), name("b"), {0x04, 0x00}}))}),
              Features::wasm2());
  EXPECT_EQ(err, "at offset 0xf: malformed import kind 0x04");
  err = errorOf(cat({header(), section(2, cat({{0x01}, name("a"), name("b"), {0x05, 0x00}}))}));
  EXPECT_EQ(err, "at offset 0xf: malformed import kind 0x05");
  err =
      errorOf(cat({header(), section(2, cat({{0x01}, name("a"), name("b"), {0x03, 0x7f, 0x02}}))}));
  EXPECT_EQ(err, "at offset 0x11: malformed mutability 0x02");
  err = errorOf(cat({header(), section(7, cat({{0x01}, name("a"), {0x05, 0x00}}))}));
  EXPECT_EQ(err, "at offset 0xd: malformed export kind 0x05");
  err = errorOf(cat({header(), section(7, cat({{0x01}, Bytes{0x01, 0xff}, {0x00, 0x00}}))}));
  EXPECT_EQ(err, "at offset 0xc: malformed UTF-8 encoding");
}

TEST(BinaryReader, LimitsAndTables) {
  std::string err = errorOf(cat({header(), section(5, {0x01, 0x02, 0x01})}));
  EXPECT_NE(err.find("malformed limits flags"), std::string::npos) << err;
  EXPECT_EQ(err.rfind("at offset 0xb:", 0), 0u) << err;
  err = errorOf(cat({header(), section(5, {0x01, 0x81, 0x00})}));
  EXPECT_NE(err.find("integer representation too long"), std::string::npos) << err;
  err = errorOf(cat({header(), section(4, {0x01, 0x7f, 0x00, 0x01})}));
  EXPECT_EQ(err, "at offset 0xb: malformed reference type i32");
  auto m =
      readModule(cat({header(), section(4, {0x02, 0x70, 0x00, 0x01, 0x6f, 0x01, 0x00, 0x05})}));
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->tables.size(), 2u);
  EXPECT_EQ(m->tables[1].elemType, ValType::ExternRef);
  EXPECT_EQ(m->tables[1].limits.max, 5u);
  EXPECT_FALSE(m->tables[0].limits.max.has_value());
}

TEST(BinaryReader, TrailingBytesAfterSections) {
  std::string err = errorOf(cat({header(), section(1, {0x00}), {0x01}}));
  EXPECT_NE(err.find("unexpected end"), std::string::npos) << err;
}

TEST(BinaryReader, NameSection) {
  Bytes names = cat({name("name"),
                     // module name
                     {0x00, 0x04},
                     name("mod"),
                     // function names: 1 entry, index 0 -> "main"
                     {0x01, 0x07, 0x01, 0x00},
                     name("main")});
  Bytes entry{0x00, 0x0b};
  Bytes bytes = oneFunction(entry);
  Bytes withNames = cat({bytes, section(0, names)});
  auto m = readModule(withNames);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->moduleName, "mod");
  ASSERT_EQ(m->functionNames.count(0), 1u);
  EXPECT_EQ(m->functionNames.at(0), "main");
  EXPECT_EQ(m->functionDisplayName(0), "main");

  // A truncated name map is ignored, never fatal.
  Bytes broken = cat({name("name"), {0x01, 0x07, 0x05, 0x00}, name("main")});
  auto m2 = readModule(cat({bytes, section(0, broken)}));
  ASSERT_TRUE(m2) << m2.error().message();
  EXPECT_TRUE(m2->functionNames.empty());
  EXPECT_EQ(m2->customSections.size(), 1u);
}

TEST(BinaryReader, ZeroByteExpectedInBodies) {
  // memory.size with a non-zero memory byte.
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x01, 0x7f});
  Bytes func = section(3, {0x01, 0x00});
  Bytes memory = section(5, {0x01, 0x00, 0x01});
  Bytes code = section(10, {0x01, 0x04, 0x00, 0x3f, 0x01, 0x0b});
  std::string err = validationErrorOf(cat({header(), type, func, memory, code}), Features::wasm2());
  EXPECT_NE(err.find("zero byte expected"), std::string::npos) << err;
  // A decoding error: the reader reports it, as malformed, at the byte.
  EXPECT_NE(err.find("<read failed: at offset 0x1e"), std::string::npos) << err;
  // 3.0 reads the byte as a memory index, which the validator refuses.
  err = validationErrorOf(cat({header(), type, func, memory, code}));
  EXPECT_EQ(err,
            "at offset 0x1d: in function func[0]: unknown memory 1: memory.size needs a memory");
}

TEST(BinaryReader, BodyMustEndAtBodyEnd) {
  // `end` followed by a stray nop inside the body.
  std::string err = validationErrorOf(oneFunction({0x00, 0x0b, 0x01}));
  EXPECT_NE(err.find("section size mismatch"), std::string::npos) << err;
  EXPECT_NE(err.find("at offset 0x18:"), std::string::npos) << err;
  // Body without its final end.
  err = validationErrorOf(oneFunction({0x00, 0x01}));
  EXPECT_NE(err.find("unexpected end of section or function"), std::string::npos) << err;
  // Empty body.
  err = validationErrorOf(oneFunction({0x00}));
  EXPECT_NE(err.find("unexpected end of section or function"), std::string::npos) << err;
}

TEST(BinaryReader, DataCountRequiredForMemoryInit) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes memory = section(5, {0x01, 0x00, 0x01});
  // i32.const 0 x3, memory.init 0 0, end
  Bytes body{0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  Bytes code{0x01};
  appendU32(code, uint32_t(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  Bytes data = section(11, {0x01, 0x01, 0x00});
  std::string err = validationErrorOf(cat({header(), type, func, memory, section(10, code), data}));
  EXPECT_NE(err.find("data count section required"), std::string::npos) << err;
  EXPECT_EQ(validationErrorOf(
                cat({header(), type, func, memory, section(12, {0x01}), section(10, code), data})),
            "<valid>");
}

TEST(BinaryReader, BlockTypeIndexIsValidated) {
  // block (type 9) end end, with only one type defined.
  std::string err = validationErrorOf(oneFunction({0x00, 0x02, 0x09, 0x0b, 0x0b}));
  EXPECT_NE(err.find("unknown type 9"), std::string::npos) << err;
  // block (type 0) with type 0 = () -> () is fine.
  EXPECT_EQ(validationErrorOf(oneFunction({0x00, 0x02, 0x00, 0x0b, 0x0b})), "<valid>");
}

TEST(BinaryReader, BodiesAreDecodedWhileReading) {
  // An illegal opcode makes the binary malformed: the reader refuses it at
  // the opcode's offset, before validation.
  Bytes bytes = oneFunction({0x00, 0xff, 0x0b});
  auto m = readModule(bytes);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message(), "at offset 0x17: illegal opcode 0xff");
}
