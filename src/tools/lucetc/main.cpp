// lucetc: compiles a WebAssembly module to a native shared object.
// Argument parsing and printing only; the pipeline is compiler/Compiler.h.
#include "compiler/Compiler.h"
#include "support/Size.h"
#include "text/ModuleFile.h"
#include "tools/lucetc/AllocatorSettings.h"
#include "tools/lucetc/CompileProgress.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>

namespace {

constexpr int ExitCompileError = 1;
constexpr int ExitUsage = 2;

int usageError(const std::string &message) {
  fmt::print(stderr, "lucetc: error: {}\nRun 'lucetc --help' for usage.\n", message);
  return ExitUsage;
}

} // namespace

int main(int argc, char **argv) {
  using namespace lucet;
  tools::tuneAllocatorForCompiling();
  CLI::App app{
      "lucetc: compile a WebAssembly module (.wasm) to a native shared object (.so) "
      "that lucet-wasi and the lucet runtime load.\n\n"
      "The input must be a regular file of at most 1 GiB holding a WebAssembly module in the "
      "binary format (.wasm) or the text format (.wat).\n\n"
      "Exit status: 0 on success, 1 when the module cannot be compiled, 2 on a usage "
      "error.",
      "lucetc"};
  app.set_version_flag("-V,--version", compiler::compilerVersion());
  std::string input, output, emit = "so", reservedSize = "4GiB", guardSize = "4GiB";
  unsigned jobs = 0;
  bool progressOnTty = false;
  std::string optLevel = "auto";
  std::string targetCpu = "native";
  app.add_option("input", input, "The WebAssembly module to compile")->required();
  app.add_option("-o,--output", output, "Output path [default: INPUT with .so, .o, .ll or .wasm]");
  app.add_option("--opt-level", optLevel,
                 "LLVM optimisation level; auto: 2, or 0 for a module of more than 16 MiB of "
                 "code, which would take LLVM's full pipeline too long")
      ->check(CLI::IsMember({"0", "1", "2", "3", "auto"}))
      ->default_val("auto");
  app.add_option("-j,--jobs", jobs,
                 "Processes compiling a large module's chunks; 0: one per core. The output "
                 "is the same whatever the number")
      ->check(CLI::Range(0u, 1024u))
      ->default_val(0);
  app.add_flag("--progress-on-tty", progressOnTty,
               "Show progress on the terminal (/dev/tty) even when stderr is not one, as "
               "lucet-wasi asks; on a terminal stderr it is shown anyway");
  app.add_option("--emit", emit,
                 "What to write: so (shared object), obj (relocatable object), "
                 "ll (LLVM IR) or wasm (the validated module in the binary format, e.g. from a "
                 ".wat)")
      ->check(CLI::IsMember({"so", "obj", "ll", "wasm"}))
      ->default_val("so");
  app.add_option("--target-cpu", targetCpu,
                 "native: use this machine's CPU features (the artifact then refuses to load on "
                 "a CPU without them); baseline: plain x86-64, runs anywhere")
      ->check(CLI::IsMember({"native", "baseline"}))
      ->default_val("native");
  app.add_option("--reserved-size", reservedSize,
                 "Heap address space the code may assume is reserved (multiple of 4 KiB)")
      ->default_val("4GiB");
  app.add_option("--guard-size", guardSize,
                 "Guard region assumed after the reserved heap (multiple of 4 KiB); when "
                 "reserved + guard >= 8 GiB no bounds checks are emitted")
      ->default_val("4GiB");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    return usageError(e.what());
  }

  compiler::CompileOptions options;
  options.optLevel =
      optLevel == "auto" ? compiler::CompileOptions::AutoOptLevel : unsigned(std::stoul(optLevel));
  options.threads = jobs;
  options.workerProcesses = true; // this tool has no other threads
  options.cpuTarget =
      targetCpu == "native" ? compiler::CpuTarget::Native : compiler::CpuTarget::Baseline;
  options.emit = emit == "so"     ? compiler::EmitKind::SharedObject
                 : emit == "obj"  ? compiler::EmitKind::Object
                 : emit == "wasm" ? compiler::EmitKind::Wasm
                                  : compiler::EmitKind::LlvmIr;
  auto reserved = parsePageMultipleSize(reservedSize);
  if (!reserved) return usageError("--reserved-size: " + reserved.error().message());
  auto guard = parsePageMultipleSize(guardSize);
  if (!guard) return usageError("--guard-size: " + guard.error().message());
  options.reservedSize = *reserved;
  options.guardSize = *guard;
  if (output.empty()) {
    std::string stem = input;
    if (auto dot = stem.rfind('.');
        dot != std::string::npos && stem.find('/', dot) == std::string::npos)
      stem.resize(dot);
    output = stem + (emit == "so"     ? ".so"
                     : emit == "obj"  ? ".o"
                     : emit == "wasm" ? ".wasm"
                                      : ".ll");
  }

  auto fail = [](const Error &error) {
    fmt::print(stderr, "lucetc: error: {}\n", error.message());
    return ExitCompileError;
  };
  auto bytes = text::readModuleFile(input);
  if (!bytes) return fail(bytes.error());
  tools::CompileProgress progress(input, progressOnTty);
  options.progress = progress.callback();
  auto status = compiler::compileBytes(std::move(*bytes), input, output, options);
  if (!status) return fail(status.error());
  return 0;
}
