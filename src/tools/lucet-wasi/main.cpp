// lucet-wasi: runs a lucetc-compiled WASI module (or a .wasm, compiled on the
// fly and cached). Argument parsing and printing only; the work is in
// WasiCommand.cpp.
#include "tools/lucet-wasi/ArgumentSplit.h"
#include "tools/lucet-wasi/WasiCommand.h"
#include "tools/lucet-wasi/WasiOptions.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <memory>

namespace {

constexpr int ExitLoadError = 1;
constexpr int ExitUsage = 2;

int usageError(const std::string &message) {
  fmt::print(stderr, "lucet-wasi: error: {}\nRun 'lucet-wasi --help' for usage.\n", message);
  return ExitUsage;
}

// CLI11 would print "[OPTIONS] lucet_module guest_args..."; ours must show
// the "--" that separates our options from the guest's.
class UsageFormatter : public CLI::Formatter {
public:
  std::string make_usage(const CLI::App *, std::string) const override {
    return "Usage: lucet-wasi [OPTIONS] <lucet_module> [--] [guest_args]...\n";
  }
};

constexpr const char *Description =
    "lucet-wasi: run a WebAssembly program that uses WASI. <lucet_module> is a shared object "
    "made by lucetc, or a .wasm module (recognized by its \\0asm header), which is compiled "
    "with lucetc on first use and cached.";

constexpr const char *Footer = R"(Example:
  lucet-wasi example.so --dir .:. --max-heap-size 2GiB -- example_arg

Arguments after <lucet_module> are the guest's, verbatim, even when they
start with '-'. As in the example, options may also follow the module when
a "--" separates them from the guest's arguments.

Preopened directories:
  By default the guest cannot access the filesystem. --dir GUEST:HOST lets it
  see the host directory HOST as GUEST (split at the first ':'; a path with no
  ':' maps to itself). Preopens get WASI descriptors 3, 4, ... in the order
  given; paths never resolve outside them.

Sockets:
  --tcplisten HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080) binds and listens
  before the guest starts, and gives it the listening socket; it can accept
  connections (sock_accept) but create no sockets of its own. The sockets get
  the descriptors after the --dir ones, in the order given (fd 3, 4, ... when
  there is no --dir).

Environment:
  The guest's environment is empty unless given: --inherit-env passes ours,
  and each --env KEY=VALUE adds one variable (split at the first '=', so the
  value may contain '='), replacing an inherited or earlier one of that KEY.

Sizes are bytes or KiB/MiB/GiB and must be multiples of 4 KiB.

Compiled .wasm cache:
  $LUCET_CACHE_DIR, else $XDG_CACHE_HOME/lucet, else $HOME/.cache/lucet. Keyed
  by the SHA-256 of the module, lucetc's version and the compile options. The
  lucetc beside lucet-wasi is used, else the one in PATH.

Exit status:
  the guest's proc_exit code (0 when the entrypoint returns; 255 for a
      code above 255, which an exit status cannot hold);
  134 when the guest traps ("lucet-wasi: trap: ..." on stderr);
  1   when the module cannot be read, compiled, loaded or instantiated, or a
      --tcplisten address cannot be listened on;
  2   on a usage error (bad flag or value, missing --dir host directory,
      --env without KEY=, --tcplisten that is not HOST:PORT).)";

} // namespace

int main(int argc, char **argv) {
  using namespace lucet::tools;
  std::vector<std::string> args(argv + 1, argv + argc);
  SplitArguments split = splitArguments(args);

  if (split.unknownOption)
    return usageError(fmt::format("unknown option '{}'", *split.unknownOption));

  RawWasiArguments raw;
  std::vector<std::string> guestArgsForHelp;
  CLI::App app{Description, "lucet-wasi"};
  app.formatter(std::make_shared<UsageFormatter>());
  app.footer(Footer);
  app.set_version_flag("-V,--version", "lucet-wasi " LUCET_VERSION);
  app.add_option("--entrypoint", raw.entrypoint, "Entrypoint to run within the WASI module")
      ->type_name("<entrypoint>")
      ->default_str("_start");
  app.add_option("--heap-address-space", raw.heapAddressSpace,
                 "Maximum heap address space size (must be a multiple of 4 KiB, and >= "
                 "`max-heap-size`)")
      ->type_name("<heap_address_space_size>")
      ->default_str("8 GiB");
  app.add_option("--max-heap-size", raw.maxHeapSize,
                 "Maximum heap size (must be a multiple of 4 KiB)")
      ->type_name("<heap_memory_size>")
      ->default_str("4 GiB");
  app.add_option("--dir", raw.dirs, "A directory to provide to the WASI guest, as GUEST:HOST")
      ->allow_extra_args(false)
      ->type_name("<preopen_dirs>");
  app.add_option("--env", raw.envs,
                 "An environment variable for the WASI guest, as KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->type_name("<KEY=VALUE>");
  app.add_option("--tcplisten", raw.tcpListens,
                 "Listen on a TCP address, as HOST:PORT, and give the guest the listening "
                 "socket (repeatable)")
      ->allow_extra_args(false)
      ->type_name("<HOST:PORT>");
  app.add_flag("--inherit-env", raw.inheritEnv,
               "Pass lucet-wasi's own environment to the guest (--env values override it)");
  app.add_option("--stack-size", raw.stackSize, "Maximum stack size (must be a multiple of 4 KiB)")
      ->type_name("<stack_size>")
      ->default_str("8 MiB");
  app.add_option("lucet_module", raw.modulePath,
                 "Path to the `lucetc`-compiled WASI module (or a .wasm)")
      ->type_name("")
      ->required();
  app.add_option("guest_args", guestArgsForHelp, "Arguments to the WASI `main` function")
      ->type_name("");

  // Only our options and the module go through CLI11; the "--" keeps a
  // module path that starts with '-' from being taken for a flag.
  std::vector<std::string> cliArgs = {"lucet-wasi"};
  cliArgs.insert(cliArgs.end(), split.options.begin(), split.options.end());
  if (split.modulePath) {
    cliArgs.push_back("--");
    cliArgs.push_back(*split.modulePath);
  }
  std::vector<char *> cliArgv;
  for (std::string &arg : cliArgs) cliArgv.push_back(arg.data());
  try {
    app.parse(int(cliArgv.size()), cliArgv.data());
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    return usageError(e.what());
  }
  raw.guestArgs = std::move(split.guestArgs);

  auto options = validateArguments(raw);
  if (!options) return usageError(options.error().message());

  auto outcome = runWasiCommand(*options);
  if (!outcome) {
    fmt::print(stderr, "lucet-wasi: error: {}\n", outcome.error().message());
    return ExitLoadError;
  }
  if (outcome->trap) fmt::print(stderr, "lucet-wasi: trap: {}\n", *outcome->trap);
  if (outcome->note) fmt::print(stderr, "lucet-wasi: {}\n", *outcome->note);
  return outcome->exitStatus;
}
