#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet::tools {

// lucet-wasi [OPTIONS] <lucet_module> [--] [guest_args]...
//
// Everything after the module belongs to the guest verbatim, even arguments
// that look like our flags, so the split is made before any option parser
// sees them: options up to the first positional argument (or "--"), then the
// module, then one optional "--", then the guest's arguments.
//
// The seed's example, "lucet-wasi example.so --dir .:. --max-heap-size 2GiB
// -- example_arg", puts options after the module: when everything between
// the module and a "--" is known options with their values, those are ours
// too. Otherwise nothing after the module is ever taken as an option.
struct SplitArguments {
  std::vector<std::string> options;
  std::optional<std::string> modulePath;
  std::vector<std::string> guestArgs;
  // The first option that lucet-wasi does not know, so that the error names
  // it instead of whatever an option parser makes of the rest.
  std::optional<std::string> unknownOption;
};

// `args` excludes argv[0].
SplitArguments splitArguments(std::span<const std::string> args);

} // namespace lucet::tools
