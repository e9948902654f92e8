// Reads and validates what a real toolchain produces: a small C program
// compiled to wasm32-wasi with clang, wasi-libc included.
#include "WasmTestUtil.h"

#include "support/FileIO.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace lucet;
using namespace lucet::wasm;
using namespace lucet::wasm::test;

namespace {

const char *ProgramSource = R"(
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(int argc, char **argv) {
  int values[32];
  for (int i = 0; i < 32; ++i)
    values[i] = (i * 7919) % 97;
  qsort(values, 32, sizeof values[0], compare);
  char *text = malloc(128);
  snprintf(text, 128, "%d %d %.3f %s", values[0], values[31], argc * 1.25, argv[0]);
  printf("%s (%zu)\n", text, strlen(text));
  free(text);
  return 0;
}
)";

} // namespace

TEST(RealProgram, ClangWasiProgramReadsAndValidates) {
  if (!haveTool("clang-19")) GTEST_SKIP() << "clang-19 is not installed";
  TempDir dir;
  auto source = dir.path() / "program.c";
  auto output = dir.path() / "program.wasm";
  writeText(source, ProgramSource);
  std::string log;
  int rc = runCommand(std::string(LUCET_WASM_GUEST_CC) + " '" + output.string() + "' '" +
                          source.string() + "' -O2 -g",
                      &log);
  if (rc != 0) GTEST_SKIP() << "clang-19 cannot build for wasm32-wasi here: " << log;

  auto bytes = readFile(output.string());
  ASSERT_TRUE(bytes) << bytes.error().message();
  auto module = readModule(std::move(*bytes));
  ASSERT_TRUE(module) << module.error().message();
  Status valid = validateModule(*module);
  ASSERT_TRUE(valid) << valid.error().message();

  const Module &m = *module;
  EXPECT_GT(m.functions.size(), 20u);
  EXPECT_EQ(m.memories.size(), 1u);
  auto hasExport = [&](const std::string &name, ExternKind kind) {
    return std::any_of(m.exports.begin(), m.exports.end(),
                       [&](const Export &e) { return e.name == name && e.kind == kind; });
  };
  EXPECT_TRUE(hasExport("_start", ExternKind::Func));
  EXPECT_TRUE(hasExport("memory", ExternKind::Memory));
  ASSERT_FALSE(m.imports.empty());
  for (const Import &imp : m.imports) EXPECT_EQ(imp.module, "wasi_snapshot_preview1") << imp.name;
  EXPECT_TRUE(std::any_of(m.imports.begin(), m.imports.end(),
                          [](const Import &i) { return i.name == "fd_write"; }));
  // Built with -g: the name section is present, so functions have names.
  EXPECT_FALSE(m.functionNames.empty());
  bool hasMain = false;
  for (const auto &[index, name] : m.functionNames)
    hasMain |= name == "main" || name == "__main_argc_argv";
  EXPECT_TRUE(hasMain);
  // Debug info sections are kept as custom sections.
  EXPECT_TRUE(std::any_of(m.customSections.begin(), m.customSections.end(),
                          [](const CustomSection &c) { return c.name == ".debug_info"; }));
  // Every body ends with `end` at bodyEnd.
  for (const Function &f : m.functions) {
    ASSERT_LT(f.bodyOffset, f.bodyEnd);
    EXPECT_EQ(m.bytes[f.bodyEnd - 1], 0x0b);
  }
}
