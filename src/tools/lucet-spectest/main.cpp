// lucet-spectest FILE.wast...: runs WebAssembly spec scripts with lucetc and
// the runtime. Prints one line per failed command and closes with
// "N passed, M failed, K not applicable"; exits 0 only when nothing failed.

#include "tools/lucet-spectest/SpecRunner.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

int main(int argc, char **argv) {
  CLI::App app{"Runs WebAssembly spec test scripts (.wast) with lucetc and the lucet runtime"};
  std::vector<std::string> files;
  lucet::spectest::SpecOptions options;
  options.jobs = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
  bool perFile = false;
  app.add_option("files", files, "spec scripts (.wast)")->required();
  app.add_option("-j,--jobs", options.jobs, "threads compiling a script's modules")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--wast2json", options.wast2json,
                 "read scripts with wabt's wast2json instead of lucet's own text parser");
  app.add_option("-O,--opt-level", options.optLevel,
                 "LLVM optimisation level for the modules (lucetc's default is 2)")
      ->check(CLI::Range(0u, 3u))
      ->capture_default_str();
  app.add_option("--wasm-version", options.wasmVersion,
                 "the WebAssembly version whose rules modules are checked against: 3 (as "
                 "lucetc), or 2 for the 2.0 spec suite, some of whose assertions 3.0 reversed")
      ->check(CLI::IsMember({2u, 3u}))
      ->capture_default_str();
  app.add_option("--chunk-bytes", options.chunkBytes,
                 "compile every module in chunks of at most this many bytes of code, as lucetc "
                 "does large modules (0: lucetc's rule)")
      ->capture_default_str();
  app.add_flag("--keep-temp", options.keepTemp, "keep converted scripts and compiled modules");
  app.add_flag("--per-file", perFile, "print a summary line per script");
  CLI11_PARSE(app, argc, argv);

  unsigned passed = 0, failed = 0, notApplicable = 0;
  for (const auto &file : files) {
    lucet::spectest::FileResult r = lucet::spectest::runSpecFile(file, options);
    for (const auto &line : r.failures) fmt::print("{}\n", line);
    if (perFile)
      fmt::print("{}: {} passed, {} failed, {} not applicable\n", file, r.passed, r.failed,
                 r.notApplicable);
    std::fflush(stdout);
    passed += r.passed;
    failed += r.failed;
    notApplicable += r.notApplicable;
  }
  fmt::print("{} passed, {} failed, {} not applicable\n", passed, failed, notApplicable);
  return failed == 0 ? 0 : 1;
}
