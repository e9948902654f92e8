// Compiles every valid module of the spec suite's SIMD files at -O0, which
// proves that each v128 instruction lowers to something LLVM can generate
// code for on the generic x86-64 baseline. Execution is the spec-test
// runner's job.
#include "compiler/Compiler.h"
#include "support/FileIO.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

using namespace lucet;
namespace fs = std::filesystem;

namespace {

bool haveWast2Json() {
  return std::system("wast2json --version >/dev/null 2>&1") == 0;
}

struct Tally {
  int files = 0;
  int compiled = 0;
  std::vector<std::string> failures;
};

void compileFile(const fs::path &wast, const fs::path &outDir, Tally &tally) {
  std::string stem = wast.stem().string();
  fs::path dir = outDir / stem;
  fs::create_directories(dir);
  fs::path json = dir / (stem + ".json");
  std::string cmd = "wast2json '" + wast.string() + "' -o '" + json.string() + "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    tally.failures.push_back(stem + ": wast2json failed");
    return;
  }
  std::ifstream in(json);
  nlohmann::json script = nlohmann::json::parse(in);
  for (const auto &command : script["commands"]) {
    if (command["type"] != "module" || command.value("module_type", "binary") != "binary") continue;
    std::string where = fmt::format("{}.wast:{}", stem, command["line"].get<int>());
    fs::path wasm = dir / command["filename"].get<std::string>();
    auto bytes = readFile(wasm.string());
    if (!bytes) {
      tally.failures.push_back(where + ": " + bytes.error().message());
      continue;
    }
    compiler::CompileOptions options;
    options.optLevel = 0;
    fs::path so = wasm;
    so.replace_extension(".so");
    Status status =
        compiler::compileBytes(std::move(*bytes), wasm.filename().string(), so.string(), options);
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
  if (!fs::is_directory(core) || !haveWast2Json())
    GTEST_SKIP() << "spec suite or wast2json not available";
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
