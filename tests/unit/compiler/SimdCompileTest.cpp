// Compiles every valid module of the spec suite's SIMD files at -O0, which
// proves that each v128 instruction lowers to something LLVM can generate
// code for on the generic x86-64 baseline. Execution is the spec-test
// runner's job.
#include "compiler/Compiler.h"
#include "support/FileIO.h"
#include "text/SExpr.h"
#include "text/WatParser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <unistd.h>

using namespace lucet;
namespace fs = std::filesystem;

namespace {

struct Tally {
  int files = 0;
  int compiled = 0;
  std::vector<std::string> failures;
};

// Every module of the script that is written out (text or `module binary`),
// encoded by our text parser; `module quote` texts are the assertions'.
void compileFile(const fs::path &wast, const fs::path &outDir, Tally &tally) {
  std::string stem = wast.stem().string();
  auto source = readFile(wast.string());
  if (!source) {
    tally.failures.push_back(stem + ": " + source.error().message());
    return;
  }
  auto script = text::readSExprs(
      std::string_view(reinterpret_cast<const char *>(source->data()), source->size()));
  if (!script) {
    tally.failures.push_back(stem + ": " + script.error().message());
    return;
  }
  for (const text::SExpr &command : *script) {
    if (!command.isListOf("module")) continue;
    if (command.items.size() > 1 &&
        (command.items[1].isKeyword("quote") || command.items[1].isKeyword("instance")))
      continue;
    std::string where = fmt::format("{}.wast:{}", stem, command.location().line);
    auto bytes = text::encodeModule(command);
    if (!bytes) {
      tally.failures.push_back(where + ": " + bytes.error().message());
      continue;
    }
    compiler::CompileOptions options;
    options.optLevel = 0;
    fs::path so = outDir / (stem + ".so");
    Status status = compiler::compileBytes(std::move(*bytes), stem + ".wasm", so.string(), options);
    if (status)
      ++tally.compiled;
    else
      tally.failures.push_back(where + ": " + status.error().message());
    fs::remove(so);
  }
}

} // namespace

TEST(SimdCompile, EverySpecSimdModuleCompiles) {
  fs::path core = LUCET_SPECTEST_CORE_DIR;
  ASSERT_TRUE(fs::is_directory(core)) << core << " is missing";
  fs::path out = fs::temp_directory_path() / fmt::format("lucet-simd-compile-{}", ::getpid());
  fs::create_directories(out);
  std::vector<fs::path> wasts;
  for (const auto &entry : fs::directory_iterator(core))
    if (entry.path().extension() == ".wast" && entry.path().stem().string().rfind("simd", 0) == 0)
      wasts.push_back(entry.path());
  std::sort(wasts.begin(), wasts.end());
  Tally tally;
  for (const auto &wast : wasts) {
    compileFile(wast, out, tally);
    ++tally.files;
  }
  fs::remove_all(out);
  std::cout << fmt::format("simd compile: {} files, {} modules compiled at -O0, {} failures\n",
                           tally.files, tally.compiled, tally.failures.size());
  for (const auto &f : tally.failures) std::cout << "  " << f << "\n";
  EXPECT_GT(tally.files, 50);
  EXPECT_GT(tally.compiled, 100);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " modules failed to compile";
}
