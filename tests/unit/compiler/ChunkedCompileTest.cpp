// Compiling in chunks (compiler/ChunkPlan.h): how modules are cut, that the
// output does not depend on the number of threads, that a split module runs
// like a whole one (calls, tables, traps with their source positions), and
// the rule for the default optimisation level.
#include "abi/ModuleRecord.h"
#include "abi/SourceMap.h"
#include "compiler/ChunkPlan.h"
#include "compiler/Compiler.h"
#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include "TestDirectory.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <dlfcn.h>
#include <set>

#include <filesystem>
#include <fmt/format.h>
#include <string>

using namespace lucet;
namespace fs = std::filesystem;

namespace {

// `n` functions that call their predecessor, and a table of all of them.
std::string manyFunctions(int n) {
  std::string text = "(module (table funcref (elem";
  for (int i = 0; i < n; ++i) text += fmt::format(" $f{}", i);
  text += "))\n (type $t (func (param i32) (result i32)))\n";
  for (int i = 0; i < n; ++i) {
    std::string call = i ? fmt::format("(call $f{} (local.get 0))", i - 1) : "(local.get 0)";
    text += fmt::format(" (func $f{} (export \"f{}\") (param i32) (result i32)\n"
                        "   (i32.add (i32.mul {} (i32.const {})) (i32.const 1)))\n",
                        i, i, call, i + 2);
  }
  text += " (func (export \"via_table\") (param i32 i32) (result i32)\n"
          "   (call_indirect (type $t) (local.get 1) (local.get 0)))\n"
          " (func (export \"trap\") (result i32) (i32.div_u (i32.const 1) (i32.const 0))))";
  return text;
}

class ChunkedCompileTest : public ::testing::Test {
protected:
  wasm::Module module(const std::vector<uint8_t> &bytes) {
    auto m = wasm::readModule(bytes, wasm::Features::wasm3());
    EXPECT_TRUE(m) << m.error().message();
    EXPECT_TRUE(wasm::validateModule(*m));
    return std::move(*m);
  }

  std::vector<uint8_t> compile(const std::vector<uint8_t> &bytes, compiler::CompileOptions options,
                               const std::string &name) {
    auto so = (dir_ / name).string();
    auto status = compiler::compileBytes(bytes, "m.wasm", so, options);
    EXPECT_TRUE(status) << (status ? "" : status.error().message());
    auto data = readFile(so);
    return data ? *data : std::vector<uint8_t>{};
  }

  lucet::testing::TestDirectory dir_{"lucet-chunk-test"};
};

TEST_F(ChunkedCompileTest, SmallModulesAreOneChunk) {
  auto bytes = text::parseWat(manyFunctions(50));
  ASSERT_TRUE(bytes);
  auto m = module(*bytes);
  auto chunks = compiler::planChunks(m);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(chunks[0].main);
  EXPECT_FALSE(chunks[0].split);
  EXPECT_EQ(chunks[0].first, 0u);
  EXPECT_EQ(chunks[0].end, m.functions.size());
}

TEST_F(ChunkedCompileTest, LargeModulesAreCutEvenlyInFunctionOrder) {
  auto bytes = text::parseWat(manyFunctions(300));
  ASSERT_TRUE(bytes);
  auto m = module(*bytes);
  uint64_t limit = compiler::codeBytes(m) / 7;
  auto chunks = compiler::planChunks(m, limit);
  // The main chunk first, without functions; then the functions in order,
  // each chunk within the limit, about as many as the limit requires.
  ASSERT_GE(chunks.size(), 1u + 7u);
  EXPECT_LE(chunks.size(), 1u + 8u + 1u);
  EXPECT_TRUE(chunks[0].main);
  EXPECT_EQ(chunks[0].first, chunks[0].end);
  uint32_t next = 0;
  for (size_t k = 1; k < chunks.size(); ++k) {
    EXPECT_FALSE(chunks[k].main);
    EXPECT_TRUE(chunks[k].split);
    EXPECT_EQ(chunks[k].first, next);
    EXPECT_GT(chunks[k].end, chunks[k].first);
    uint64_t size = 0;
    for (uint32_t i = chunks[k].first; i < chunks[k].end; ++i)
      size += m.functions[i].bodyEnd - m.functions[i].bodyOffset;
    EXPECT_LE(size, limit);
    next = chunks[k].end;
  }
  EXPECT_EQ(next, m.functions.size());
  // A function larger than the limit is a chunk of its own.
  auto single = compiler::planChunks(m, 1);
  EXPECT_EQ(single.size(), m.functions.size() + 1);
}

TEST_F(ChunkedCompileTest, OutputDoesNotDependOnTheNumberOfThreadsOrProcesses) {
  auto bytes = text::parseWat(manyFunctions(120));
  ASSERT_TRUE(bytes);
  compiler::CompileOptions options;
  options.optLevel = 2;
  options.chunkBytes = 600;
  options.threads = 1;
  auto one = compile(*bytes, options, "one.so");
  options.threads = 2;
  auto two = compile(*bytes, options, "two.so");
  options.threads = 5;
  auto five = compile(*bytes, options, "five.so");
  // Worker processes instead of threads (lucetc's way), with progress.
  options.workerProcesses = true;
  options.threads = 3;
  std::vector<uint32_t> done;
  uint32_t functions = 0;
  options.progress = [&](uint32_t n, uint32_t total) {
    functions = total;
    done.push_back(n);
  };
  auto processes = compile(*bytes, options, "processes.so");
  options.progress = nullptr;
  options.workerProcesses = false;
  ASSERT_FALSE(one.empty());
  EXPECT_TRUE(one == two);
  EXPECT_TRUE(one == five);
  EXPECT_TRUE(one == processes);
  ASSERT_FALSE(done.empty());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_GE(functions, 120u);
  EXPECT_EQ(done.back(), functions);
  // And splitting changed something: the whole module links differently.
  options.chunkBytes = 0;
  EXPECT_FALSE(compile(*bytes, options, "whole.so") == one);
}

// The artifact of a split module is one module: its record lists every
// function, and the source map covers all of them, each chunk's part merged
// in order.
TEST_F(ChunkedCompileTest, SplitArtifactHasEveryFunctionAndItsSourceMap) {
  auto bytes = text::parseWat(manyFunctions(40));
  ASSERT_TRUE(bytes);
  compiler::CompileOptions options;
  options.optLevel = 0;
  options.chunkBytes = 1; // every function a chunk of its own
  compile(*bytes, options, "split.so");
  void *handle = ::dlopen((dir_ / "split.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  auto *record = static_cast<const lucet::abi::ModuleRecord *>(
      ::dlsym(handle, lucet::abi::ModuleRecordSymbol));
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->numFunctions, 42u);
  // A segment per chunk with functions, in order.
  ASSERT_EQ(record->numSegments, 42u);
  std::set<const void *> distinct;
  for (uint32_t i = 0; i < record->numSegments; ++i) {
    const auto &segment = record->segments[i];
    EXPECT_EQ(segment.first, i);
    ASSERT_EQ(segment.count, 1u);
    EXPECT_NE(segment.functions[0], nullptr) << i;
    distinct.insert(segment.functions[0]);
  }
  EXPECT_EQ(distinct.size(), 42u);
  // Guest functions are not exported from the shared object.
  EXPECT_EQ(::dlsym(handle, fmt::format("{}0", lucet::abi::FunctionSymbolPrefix).c_str()), nullptr);
  // Every function has entries, each chunk's in its own place.
  auto *map = static_cast<const uint8_t *>(::dlsym(handle, lucet::abi::SourceMapSymbol));
  ASSERT_NE(map, nullptr);
  lucet::abi::SourceMapHeader header;
  std::memcpy(&header, map, sizeof header);
  ASSERT_EQ(header.numFunctions, 42u);
  std::span<const uint8_t> image(map, lucet::abi::sourceMapBytes(42, header.streamBytes));
  std::set<uint32_t> mapped;
  for (uint32_t i = 0; i < 42; ++i) {
    auto entry = lucet::abi::lookupSourceMap(image, i, i, UINT32_MAX);
    ASSERT_TRUE(entry) << i;
    EXPECT_EQ(entry->wasmFuncIndex, i);
    mapped.insert(entry->wasmOffset);
  }
  EXPECT_EQ(mapped.size(), 42u);
  ::dlclose(handle);
}

TEST_F(ChunkedCompileTest, DefaultLevelIsTheFullPipelineUnlessTheModuleIsHuge) {
  using compiler::CompileOptions;
  auto small = text::parseWat(manyFunctions(3));
  ASSERT_TRUE(small);
  auto m = module(*small);
  EXPECT_EQ(compiler::chooseOptLevel(m, CompileOptions::AutoOptLevel), 2u);
  EXPECT_EQ(compiler::chooseOptLevel(m, 0), 0u);
  EXPECT_EQ(compiler::chooseOptLevel(m, 3), 3u);
  // Three functions of nops, together just over FullPipelineLimit.
  uint64_t each = compiler::FullPipelineLimit / 3 + 2; // and a locals byte
  std::vector<uint8_t> body(each, 0x01);
  body[0] = 0x00; // no locals
  body.back() = 0x0b;
  std::vector<uint8_t> huge = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                               0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type () -> ()
                               0x03, 0x04, 0x03, 0x00, 0x00, 0x00};      // three functions
  auto leb = [](std::vector<uint8_t> &out, uint64_t v) {
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      out.push_back(v ? b | 0x80 : b);
    } while (v);
  };
  std::vector<uint8_t> code{0x03};
  for (int i = 0; i < 3; ++i) {
    leb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  huge.push_back(0x0a);
  leb(huge, code.size());
  huge.insert(huge.end(), code.begin(), code.end());
  auto big = module(huge);
  EXPECT_GT(compiler::codeBytes(big), compiler::FullPipelineLimit);
  EXPECT_EQ(compiler::chooseOptLevel(big, CompileOptions::AutoOptLevel), 0u);
  EXPECT_EQ(compiler::chooseOptLevel(big, 2), 2u);
}

} // namespace
