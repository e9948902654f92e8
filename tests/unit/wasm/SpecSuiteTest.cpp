// Runs the WebAssembly 2.0 core spec suite's modules through the reader and
// validator: every module that should load must read and validate, and every
// assert_invalid or assert_malformed module must be refused (malformed text
// by the text parser).
#include "WasmTestUtil.h"

#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <gtest/gtest.h>

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
  int textRefused = 0;   // assert_malformed text the text parser refused
  std::vector<std::string> failures;
};

// Each module command of a script, encoded by the text parser, through the
// reader and validator.
void runFile(const fs::path &wast, Tally &tally) {
  std::string stem = wast.stem().string();
  auto source = readFile(wast.string());
  if (!source) {
    tally.failures.push_back(stem + ": " + source.error().message());
    return;
  }
  auto top = text::readSExprs(std::string(source->begin(), source->end()));
  if (!top) {
    tally.failures.push_back(stem + ": " + top.error().message());
    return;
  }
  for (const auto &cmd : *top) {
    std::string type(cmd.head());
    std::string where = fmt::format("{}.wast:{}", stem, cmd.location().line);
    const text::SExpr *module = nullptr;
    if (type == "module")
      module = &cmd;
    else if (cmd.items.size() > 1 && cmd.items[1].isListOf("module"))
      module = &cmd.items[1];
    if (!module) continue;
    bool mustRefuse = type == "assert_invalid" || type == "assert_malformed";
    std::string expected =
        mustRefuse && cmd.items.size() > 2 ? cmd.items[2].token.text : std::string();
    auto bytes = text::encodeModule(*module);
    if (!bytes) {
      if (type == "assert_malformed")
        ++tally.textRefused;
      else
        tally.failures.push_back(where + ": text refused: " + bytes.error().message());
      continue;
    }
    // The 2.0 suite, under 2.0's rules (wasm/Features.h).
    Status status = readAndValidate(std::move(*bytes), Features::wasm2());
    if (!mustRefuse) {
      if (status)
        ++tally.accepted;
      else
        tally.failures.push_back(where + ": valid module refused: " + status.error().message());
    } else if (!status) {
      ++tally.refused;
      if (status.error().message().find(expected) != std::string::npos)
        ++tally.reasonMatched;
      else if (std::getenv("LUCET_SPEC_VERBOSE"))
        std::cout << where << ": expected \"" << expected << "\", got " << status.error().message()
                  << "\n";
    } else {
      tally.failures.push_back(where + ": " + type + " module accepted (expected \"" + expected +
                               "\")");
    }
  }
}

bool isSimdFile(const fs::path &wast) {
  return wast.stem().string().rfind("simd", 0) == 0;
}

// Runs the suite's files for which `select` holds and prints the tally.
Tally runSuite(const fs::path &core, bool (*select)(const fs::path &), const char *label) {
  Tally tally;
  std::vector<fs::path> wasts;
  for (const auto &entry : fs::directory_iterator(core))
    if (entry.path().extension() == ".wast" && select(entry.path())) wasts.push_back(entry.path());
  std::sort(wasts.begin(), wasts.end());
  for (const auto &wast : wasts) runFile(wast, tally);
  std::cout << fmt::format("{}: {} files, {} modules accepted, {} invalid/malformed "
                           "refused ({} with the spec's reason), {} malformed texts refused by "
                           "the text parser, {} failures\n",
                           label, wasts.size(), tally.accepted, tally.refused, tally.reasonMatched,
                           tally.textRefused, tally.failures.size());
  for (const auto &f : tally.failures) std::cout << "  " << f << "\n";
  return tally;
}

} // namespace

TEST(SpecSuite, CoreBinaryModulesReadAndValidate) {
  fs::path core = LUCET_SPECTEST_CORE_DIR;
  if (!fs::is_directory(core)) GTEST_SKIP() << "spec suite not available";
  Tally tally = runSuite(
      core, [](const fs::path &p) { return !isSimdFile(p); }, "spec suite");
  EXPECT_GT(tally.accepted, 1000);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " spec commands failed";
}

// The fixed-width SIMD proposal's files (simd_*.wast), which exercise every
// v128 instruction's decoding and typing.
TEST(SpecSuite, SimdBinaryModulesReadAndValidate) {
  fs::path core = LUCET_SPECTEST_CORE_DIR;
  if (!fs::is_directory(core)) GTEST_SKIP() << "spec suite not available";
  Tally tally = runSuite(core, isSimdFile, "simd spec suite");
  EXPECT_GT(tally.accepted, 100);
  EXPECT_GT(tally.refused, 100);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " spec commands failed";
}
