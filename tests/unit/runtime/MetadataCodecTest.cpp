// The metadata codec (abi/Metadata.h) and the loader's check of what the
// decoded fields mean: every reject path gives an error, never a crash or an
// allocation the input cannot justify.
#include "abi/Metadata.h"
#include "runtime/LoadedModule.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace lucet;
using namespace lucet::abi;
using lucet::rt::LoadedModule;

namespace {

InitExpr constant(InitExpr::Kind kind, uint64_t bits, uint32_t index = 0) {
  InitExpr e;
  e.kind = kind;
  e.bits = bits;
  e.index = index;
  return e;
}

// Every field set, every sequence non-empty, and valid for the loader.
Metadata richMetadata() {
  Metadata m;
  m.compilerFingerprint = "lucetc test (LLVM 19, abi 1)";
  m.requiredCpuFeatures = {"sse4.1", "popcnt"};
  m.moduleName = "rich";
  m.heap = {4ull << 30, 4ull << 30, false};
  m.types = {{{0x7f, 0x7e}, {0x7d}}, {{}, {}}, {{0x7b, 0x70, 0x6f}, {0x7c, 0x7f}}};
  ImportDesc func;
  func.module = "env";
  func.name = "f";
  func.kind = ExternKindCode::Func;
  func.typeIndex = 0;
  ImportDesc global;
  global.module = "env";
  global.name = "g";
  global.kind = ExternKindCode::Global;
  global.global = {0x7e, true};
  ImportDesc table;
  table.module = "env";
  table.name = "t";
  table.kind = ExternKindCode::Table;
  table.table = {0x6f, {1, true, 7}};
  ImportDesc memory;
  memory.module = "env";
  memory.name = "m";
  memory.kind = ExternKindCode::Memory;
  memory.memory = {2, true, 9};
  m.imports = {func, global, table, memory};
  m.funcTypeIndices = {0, 1, 2, 0};
  m.numImportedFuncs = 1;
  // A typed table (ref null $1) whose elements start as function 2.
  m.tables = {{ValTypeDesc(0x70, true, 1), {3, false, 0}}};
  m.tableInits = {constant(InitExpr::Kind::RefFunc, 0, 2)};
  m.memories = {};
  InitExpr v128 = constant(InitExpr::Kind::V128Const, 0);
  for (int i = 0; i < 16; ++i) v128.v128[i] = uint8_t(i * 17);
  m.globals = {{{0x7f, false}, constant(InitExpr::Kind::I32Const, 42)},
               {{0x7b, true}, v128},
               {{0x7e, false}, constant(InitExpr::Kind::GlobalGet, 0, 0)},
               {{0x70, false}, constant(InitExpr::Kind::RefFunc, 0, 3)}};
  m.exports = {{"run", ExternKindCode::Func, 1},
               {"mem", ExternKindCode::Memory, 0},
               {"tab", ExternKindCode::Table, 1},
               {"glob", ExternKindCode::Global, 4}};
  m.start = 1;
  ElemDesc active;
  active.mode = SegmentModeCode::Active;
  active.table = 1;
  active.offset = constant(InitExpr::Kind::I32Const, 2);
  active.init = {constant(InitExpr::Kind::RefFunc, 0, 2), constant(InitExpr::Kind::RefNull, 0x70)};
  ElemDesc declarative;
  declarative.mode = SegmentModeCode::Declarative;
  declarative.init = {constant(InitExpr::Kind::RefFunc, 0, 3)};
  m.elems = {active, declarative};
  DataDesc data;
  data.memory = 0;
  data.offset = constant(InitExpr::Kind::GlobalGet, 0, 0);
  data.bytes = {'h', 'e', 'l', 'l', 'o', 0, 0xff};
  DataDesc passive;
  passive.mode = SegmentModeCode::Passive;
  passive.bytes = {1, 2, 3};
  m.datas = {data, passive};
  m.functionNames = {"f", "run", "", "helper"};
  return m;
}

TEST(MetadataCodec, RoundTripsARichRecord) {
  Metadata m = richMetadata();
  auto bytes = serializeMetadata(m);
  auto decoded = deserializeMetadata(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(*decoded == m);
  EXPECT_EQ(serializeMetadata(*decoded), bytes);
  Status valid = LoadedModule::validateMetadata(*decoded);
  EXPECT_TRUE(valid) << valid.error().message();
}

TEST(MetadataCodec, RoundTripsAnEmptyRecord) {
  Metadata m;
  auto decoded = deserializeMetadata(serializeMetadata(m));
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(*decoded == m);
  EXPECT_TRUE(LoadedModule::validateMetadata(*decoded));
}

TEST(MetadataCodec, EveryTruncationIsAnError) {
  auto bytes = serializeMetadata(richMetadata());
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = deserializeMetadata(std::span(bytes).first(size));
    ASSERT_FALSE(decoded) << "truncated to " << size << " bytes";
    EXPECT_NE(decoded.error().message().find("at offset 0x"), std::string::npos)
        << decoded.error().message();
  }
}

TEST(MetadataCodec, RefusesTrailingBytes) {
  auto bytes = serializeMetadata(richMetadata());
  bytes.push_back(0);
  auto decoded = deserializeMetadata(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message().find("1 trailing bytes"), std::string::npos)
      << decoded.error().message();
}

TEST(MetadataCodec, RefusesOtherFormatVersions) {
  auto bytes = serializeMetadata(richMetadata());
  uint32_t version = MetadataFormatVersion + 1;
  std::memcpy(bytes.data(), &version, 4);
  auto decoded = deserializeMetadata(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message(),
            fmt::format("metadata format version {} is not supported (expected {})", version,
                        MetadataFormatVersion));
}

// A count of 2^32 - 1 must be refused before anything is reserved for it.
TEST(MetadataCodec, RefusesCountsLargerThanTheRest) {
  Metadata m;
  auto bytes = serializeMetadata(m);
  // version, fingerprint length, then the CPU feature count.
  size_t countOffset = 8;
  std::memset(bytes.data() + countOffset, 0xff, 4);
  auto decoded = deserializeMetadata(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message().find("at offset 0x8: count 4294967295 exceeds"),
            std::string::npos)
      << decoded.error().message();
}

TEST(MetadataCodec, RefusesBadBooleansAndEnums) {
  Metadata m;
  m.imports.push_back({});
  auto bytes = serializeMetadata(m);
  auto at = [&](size_t offset, uint8_t value) {
    auto copy = bytes;
    copy[offset] = value;
    auto decoded = deserializeMetadata(copy);
    EXPECT_FALSE(decoded) << "byte " << offset << " = " << int(value);
    return decoded ? std::string() : decoded.error().message();
  };
  // version 4, fingerprint 4, features 4, name 4, heap 8 + 8, then boundsChecked.
  EXPECT_NE(at(32, 2).find("bad boolean 2"), std::string::npos);
  // types 4, imports count 4, module 4, name 4, then the import kind.
  EXPECT_NE(at(49, 5).find("bad enum value 5"), std::string::npos);
}

// Each record has one encoding, so that whatever decodes re-encodes to the
// same bytes (the fuzzer checks it): an absent start function is written
// as 0 and nothing else is accepted.
TEST(MetadataCodec, RefusesNonCanonicalEncodings) {
  auto bytes = serializeMetadata(Metadata{});
  // version, fingerprint, features, name, heap (17), then eleven counts
  // (types, imports, functions, imported functions, tables, table
  // initializers, memories, tags, imported tags, globals, exports) and the
  // start function's presence byte.
  size_t startValue = 4 + 4 + 4 + 4 + 17 + 11 * 4 + 1;
  ASSERT_EQ(bytes.size(), startValue + 4 + 3 * 4);
  bytes[startValue] = 1;
  auto decoded = deserializeMetadata(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message().find("absent value 1 is not 0"), std::string::npos)
      << decoded.error().message();
}

// Whatever the bytes, decoding ends in a value or an error: every 32-bit
// window set to extreme values, every byte set to each value a field could
// misread.
TEST(MetadataCodec, SurvivesEveryCorruption) {
  auto bytes = serializeMetadata(richMetadata());
  for (size_t offset = 0; offset + 4 <= bytes.size(); ++offset) {
    for (uint32_t value : {0u, 1u, 0x7fffffffu, 0xffffffffu}) {
      auto copy = bytes;
      std::memcpy(copy.data() + offset, &value, 4);
      auto decoded = deserializeMetadata(copy);
      if (decoded) (void)LoadedModule::validateMetadata(*decoded);
    }
  }
  for (size_t offset = 0; offset < bytes.size(); ++offset) {
    for (uint8_t value : {uint8_t(0), uint8_t(2), uint8_t(8), uint8_t(0x7f), uint8_t(0xff)}) {
      auto copy = bytes;
      copy[offset] = value;
      auto decoded = deserializeMetadata(copy);
      if (decoded) (void)LoadedModule::validateMetadata(*decoded);
    }
  }
}

TEST(MetadataCodec, ExtendedConstantExpressionsRoundTrip) {
  Metadata m = richMetadata();
  m.globals[2].init = {
      InitExpr::Kind::Extended,
      0,
      {},
      0,
      {{InitOpKind::GlobalGet, 0, 0}, {InitOpKind::I64Const, 7, 0}, {InitOpKind::I64Mul, 0, 0}}};
  auto decoded = deserializeMetadata(serializeMetadata(m));
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(*decoded == m);
  EXPECT_TRUE(LoadedModule::validateMetadata(*decoded));
}

// Each index and code the loader checks, broken one at a time in an
// otherwise valid record.
TEST(MetadataValidation, RefusesEveryOutOfRangeField) {
  struct Case {
    const char *message;
    void (*breakIt)(Metadata &);
  };
  const Case cases[] = {
      {"function 2: type index 3 out of range", [](Metadata &m) { m.funcTypeIndices[2] = 3; }},
      {"5 imported functions but only 4 functions", [](Metadata &m) { m.numImportedFuncs = 5; }},
      {"start function 4 out of range", [](Metadata &m) { m.start = 4; }},
      {"the start function must take and return nothing", [](Metadata &m) { m.start = 0; }},
      {"type 1 has an invalid parameter type 0x40",
       [](Metadata &m) { m.types[1].params.push_back(0x40); }},
      {"type 0 has an invalid result type 0x0", [](Metadata &m) { m.types[0].results[0] = 0; }},
      {"import env.f: type index 9 out of range", [](Metadata &m) { m.imports[0].typeIndex = 9; }},
      {"import env.f: function types disagree with the import",
       [](Metadata &m) { m.imports[0].typeIndex = 1; }},
      {"import env.t: bad table element type",
       [](Metadata &m) { m.imports[2].table.elemType = 0x7f; }},
      {"import env.g: bad global type", [](Metadata &m) { m.imports[1].global.type = 0x01; }},
      {"bad table element type", [](Metadata &m) { m.tables[0].elemType = 0x7f; }},
      {"global 2 has a bad type", [](Metadata &m) { m.globals[1].type.type = 0x12; }},
      {"global initializer: global index 3 out of range",
       [](Metadata &m) { m.globals[2].init.index = 3; }},
      {"global initializer: function index 4 out of range",
       [](Metadata &m) { m.globals[3].init.index = 4; }},
      {"export run: index 4 out of range", [](Metadata &m) { m.exports[0].index = 4; }},
      {"export mem: index 1 out of range", [](Metadata &m) { m.exports[1].index = 1; }},
      {"export tab: index 2 out of range", [](Metadata &m) { m.exports[2].index = 2; }},
      {"export glob: index 5 out of range", [](Metadata &m) { m.exports[3].index = 5; }},
      {"element segment: table index 2 out of range", [](Metadata &m) { m.elems[0].table = 2; }},
      {"element segment: offset is not an integer constant expression",
       [](Metadata &m) { m.elems[0].offset.kind = InitExpr::Kind::F32Const; }},
      {"element segment item: function index 4 out of range",
       [](Metadata &m) { m.elems[1].init[0].index = 4; }},
      {"data segment: memory index 1 out of range", [](Metadata &m) { m.datas[0].memory = 1; }},
      {"data segment: global index 5 out of range",
       [](Metadata &m) { m.datas[0].offset.index = 5; }},
      {"3 function names for 4 functions", [](Metadata &m) { m.functionNames.pop_back(); }},
      // Extended constant expressions: the program is checked so that
      // evaluating it never reads a value that is not there.
      {"data segment: constant expression program underflows",
       [](Metadata &m) {
         m.datas[0].offset = {InitExpr::Kind::Extended,
                              0,
                              {},
                              0,
                              {{InitOpKind::I32Const, 1, 0}, {InitOpKind::I32Add, 0, 0}}};
       }},
      {"data segment: constant expression program leaves 2 values",
       [](Metadata &m) {
         m.datas[0].offset = {InitExpr::Kind::Extended,
                              0,
                              {},
                              0,
                              {{InitOpKind::I32Const, 1, 0}, {InitOpKind::I32Const, 2, 0}}};
       }},
      {"global initializer: global index 3 out of range",
       [](Metadata &m) {
         m.globals[2].init = {InitExpr::Kind::Extended,
                              0,
                              {},
                              0,
                              {{InitOpKind::GlobalGet, 0, 3},
                               {InitOpKind::I32Const, 2, 0},
                               {InitOpKind::I32Add, 0, 0}}};
       }},
      {"element segment item: not a reference expression",
       [](Metadata &m) {
         m.elems[1].init[0] = {InitExpr::Kind::Extended, 0, {}, 0, {{InitOpKind::I32Const, 1, 0}}};
       }},
      {"data segment: empty constant expression program",
       [](Metadata &m) {
         m.datas[0].offset = {InitExpr::Kind::Extended, 0, {}, 0, {}};
       }},
  };
  ASSERT_TRUE(LoadedModule::validateMetadata(richMetadata()));
  for (const Case &c : cases) {
    Metadata m = richMetadata();
    c.breakIt(m);
    // Through the codec, as the loader sees it.
    auto decoded = deserializeMetadata(serializeMetadata(m));
    ASSERT_TRUE(decoded) << c.message << ": " << decoded.error().message();
    Status s = LoadedModule::validateMetadata(*decoded);
    ASSERT_FALSE(s) << c.message;
    EXPECT_EQ(s.error().message(), c.message);
  }
}

} // namespace
