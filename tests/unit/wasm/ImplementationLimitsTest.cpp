// Every implementation limit (wasm/ImplementationLimits.h) refuses a module
// just over it with a message naming the limit, the value and where, and
// accepts one at it.
#include "WasmEncoder.h"
#include "WasmTestUtil.h"

#include "wasm/BinaryReader.h"
#include "wasm/ImplementationLimits.h"

#include <gtest/gtest.h>

using namespace lucet;
using namespace lucet::wasm;
using namespace lucet::wasm::test;

namespace {

Bytes repeat(const Bytes &entry, uint64_t count) {
  Bytes out;
  out.reserve(entry.size() * count);
  for (uint64_t i = 0; i < count; ++i) append(out, entry);
  return out;
}

std::string readError(const Bytes &bytes) {
  auto module = readModule(bytes);
  return module ? std::string("accepted") : module.error().message();
}

void expectRefused(const Bytes &bytes, const std::string &part) {
  std::string message = readError(bytes);
  EXPECT_NE(message.find(part), std::string::npos) << message;
}

// A module of one () -> () function with `code` and `localRuns`.
Bytes oneFunction(const Bytes &type, const Bytes &code,
                  const std::vector<std::pair<uint32_t, uint8_t>> &localRuns = {}) {
  return ModuleEncoder()
      .section(1, vec(1, type))
      .section(3, vec(1, {0}))
      .section(10, vec(1, body(code, localRuns)))
      .bytes();
}

TEST(ImplementationLimits, Types) {
  Bytes type = funcType({}, {});
  expectRefused(ModuleEncoder().section(1, vec(MaxTypes + 1, repeat(type, MaxTypes + 1))).bytes(),
                "implementation limit exceeded: 1000001 types in the type section; at most "
                "1000000 are supported");
  EXPECT_EQ(readError(ModuleEncoder().section(1, vec(MaxTypes, repeat(type, MaxTypes))).bytes()),
            "accepted");
}

TEST(ImplementationLimits, ParamsAndResults) {
  std::vector<uint8_t> many(MaxFunctionParams + 1, I32);
  expectRefused(ModuleEncoder().section(1, vec(1, funcType(many, {}))).bytes(),
                "1001 parameters in type 0; at most 1000");
  expectRefused(ModuleEncoder().section(1, vec(1, funcType({}, many))).bytes(),
                "1001 results in type 0; at most 1000");
  many.pop_back();
  EXPECT_EQ(readError(ModuleEncoder().section(1, vec(1, funcType(many, many))).bytes()),
            "accepted");
}

TEST(ImplementationLimits, LocalsCountParameters) {
  std::vector<uint8_t> params(10, I32);
  expectRefused(oneFunction(funcType(params, {}), {}, {{MaxFunctionLocals - 10, I32}, {1, I32}}),
                "too many locals: function 0 has at least 50001 locals (parameters included); "
                "the implementation limit is 50000");
  EXPECT_EQ(readError(oneFunction(funcType(params, {}), {}, {{MaxFunctionLocals - 10, I32}})),
            "accepted");
}

TEST(ImplementationLimits, BodySize) {
  Bytes nops(MaxFunctionBodyBytes - 2, 0x01); // with the local count and the end
  EXPECT_EQ(readError(oneFunction(funcType({}, {}), nops)), "accepted");
  nops.push_back(0x01);
  expectRefused(oneFunction(funcType({}, {}), nops),
                "7654322 bytes in the body of function 0; at most 7654321 are supported");
}

TEST(ImplementationLimits, SectionCounts) {
  Bytes type = funcType({}, {});
  // Function section entries are one byte each.
  expectRefused(ModuleEncoder()
                    .section(1, vec(1, type))
                    .section(3, vec(MaxFunctions + 1, Bytes(MaxFunctions + 1, 0)))
                    .bytes(),
                "1000001 functions in the function section");
  Bytes import{1, 'm', 1, 'f', 0, 0};
  expectRefused(ModuleEncoder()
                    .section(1, vec(1, type))
                    .section(2, vec(MaxImports + 1, repeat(import, MaxImports + 1)))
                    .bytes(),
                "1000001 imports in the import section");
  Bytes table{0x70, 0, 0};
  expectRefused(
      ModuleEncoder().section(4, vec(MaxTables + 1, repeat(table, MaxTables + 1))).bytes(),
      "100001 tables (imported and defined)");
  Bytes memory{0, 0};
  expectRefused(
      ModuleEncoder().section(5, vec(MaxMemories + 1, repeat(memory, MaxMemories + 1))).bytes(),
      "101 memories (imported and defined)");
  Bytes global{I32, 0, 0x41, 0, End};
  expectRefused(
      ModuleEncoder().section(6, vec(MaxGlobals + 1, repeat(global, MaxGlobals + 1))).bytes(),
      "1000001 globals in the global section");
  Bytes dataCount;
  appendU32(dataCount, MaxDataSegments + 1);
  expectRefused(ModuleEncoder().section(12, dataCount).bytes(),
                "100001 data segments in the data count section");
  Bytes passiveData{1, 0};
  expectRefused(ModuleEncoder()
                    .section(11, vec(MaxDataSegments + 1, repeat(passiveData, MaxDataSegments + 1)))
                    .bytes(),
                "100001 segments in the data section");
  // A passive segment of function indices: flags 1, elemkind 0, items.
  Bytes items{1, 0};
  appendU32(items, MaxElemSegmentItems + 1);
  append(items, Bytes(MaxElemSegmentItems + 1, 0));
  expectRefused(ModuleEncoder().section(9, vec(1, items)).bytes(),
                "10000001 elements in an element segment");
}

TEST(ImplementationLimits, Exports) {
  // Names must differ only for validation; reading counts them first.
  Bytes exportEntry{1, 'e', 0, 0};
  expectRefused(
      ModuleEncoder().section(7, vec(MaxExports + 1, repeat(exportEntry, MaxExports + 1))).bytes(),
      "1000001 exports in the export section");
}

} // namespace
