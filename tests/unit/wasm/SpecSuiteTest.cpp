// Runs the binary side of the WebAssembly 2.0 core spec suite through the
// reader and validator: every module that should load must read and validate,
// and every assert_invalid or binary assert_malformed module must be refused.
#include "WasmTestUtil.h"

#include "support/FileIO.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>

using namespace lucet;
using namespace lucet::wasm;
using namespace lucet::wasm::test;
namespace fs = std::filesystem;

namespace {

struct Tally {
  int accepted = 0;      // modules that must load and did
  int refused = 0;       // invalid/malformed modules that were refused
  int reasonMatched = 0; // ... with the spec's reason in our message
  int notApplicable = 0; // text-format assert_malformed
  std::vector<std::string> failures;
};

void runFile(const fs::path &wast, const fs::path &outDir, Tally &tally) {
  std::string stem = wast.stem().string();
  fs::path dir = outDir / stem;
  fs::create_directories(dir);
  fs::path json = dir / (stem + ".json");
  std::string log;
  if (runCommand("wast2json '" + wast.string() + "' -o '" + json.string() + "'", &log) != 0) {
    tally.failures.push_back(stem + ": wast2json failed: " + log);
    return;
  }
  std::ifstream in(json);
  nlohmann::json script = nlohmann::json::parse(in);
  for (const auto &cmd : script["commands"]) {
    std::string type = cmd["type"];
    std::string where = fmt::format("{}.wast:{}", stem, cmd["line"].get<int>());
    bool mustLoad =
        type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable";
    bool mustRefuse = type == "assert_invalid" || type == "assert_malformed";
    if (!mustLoad && !mustRefuse) continue;
    if (cmd.value("module_type", "binary") != "binary") {
      ++tally.notApplicable;
      continue;
    }
    auto bytes = readFile((dir / cmd["filename"].get<std::string>()).string());
    if (!bytes) {
      tally.failures.push_back(where + ": " + bytes.error().message());
      continue;
    }
    Status status = readAndValidate(std::move(*bytes));
    if (mustLoad) {
      if (status)
        ++tally.accepted;
      else
        tally.failures.push_back(where + ": valid module refused: " + status.error().message());
    } else if (!status) {
      ++tally.refused;
      std::string expected = cmd["text"];
      if (status.error().message().find(expected) != std::string::npos)
        ++tally.reasonMatched;
      else if (std::getenv("LUCET_SPEC_VERBOSE"))
        std::cout << where << ": expected \"" << expected << "\", got " << status.error().message()
                  << "\n";
    } else {
      tally.failures.push_back(where + ": " + type + " module accepted (expected \"" +
                               cmd["text"].get<std::string>() + "\")");
    }
  }
}

bool isSimdFile(const fs::path &wast) {
  return wast.stem().string().rfind("simd", 0) == 0;
}

// Runs the suite's files for which `select` holds and prints the tally.
Tally runSuite(const fs::path &core, const fs::path &outDir, bool (*select)(const fs::path &),
               const char *label) {
  Tally tally;
  std::vector<fs::path> wasts;
  for (const auto &entry : fs::directory_iterator(core))
    if (entry.path().extension() == ".wast" && select(entry.path())) wasts.push_back(entry.path());
  std::sort(wasts.begin(), wasts.end());
  for (const auto &wast : wasts) runFile(wast, outDir, tally);
  std::cout << fmt::format("{}: {} files, {} modules accepted, {} invalid/malformed "
                           "refused ({} with the spec's reason), {} text-only not applicable, "
                           "{} failures\n",
                           label, wasts.size(), tally.accepted, tally.refused, tally.reasonMatched,
                           tally.notApplicable, tally.failures.size());
  for (const auto &f : tally.failures) std::cout << "  " << f << "\n";
  return tally;
}

} // namespace

TEST(SpecSuite, CoreBinaryModulesReadAndValidate) {
  fs::path core = LUCET_SPECTEST_CORE_DIR;
  if (!fs::is_directory(core) || !haveTool("wast2json"))
    GTEST_SKIP() << "spec suite or wast2json not available";
  TempDir out;
  Tally tally = runSuite(
      core, out.path(), [](const fs::path &p) { return !isSimdFile(p); }, "spec suite");
  EXPECT_GT(tally.accepted, 1000);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " spec commands failed";
}

// The fixed-width SIMD proposal's files (simd_*.wast), which exercise every
// v128 instruction's decoding and typing.
TEST(SpecSuite, SimdBinaryModulesReadAndValidate) {
  fs::path core = LUCET_SPECTEST_CORE_DIR;
  if (!fs::is_directory(core) || !haveTool("wast2json"))
    GTEST_SKIP() << "spec suite or wast2json not available";
  TempDir out;
  Tally tally = runSuite(core, out.path(), isSimdFile, "simd spec suite");
  EXPECT_GT(tally.accepted, 100);
  EXPECT_GT(tally.refused, 100);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " spec commands failed";
}
