#include "tools/lucet-wasi/ArgumentSplit.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace lucet::tools {

namespace {

// The options that consume the next argument when written without '='.
bool takesSeparateValue(std::string_view arg) {
  static constexpr std::array<std::string_view, 7> WithValue = {
      "--entrypoint", "--heap-address-space", "--max-heap-size", "--stack-size", "--dir",
      "--env",        "--tcplisten"};
  return std::find(WithValue.begin(), WithValue.end(), arg) != WithValue.end();
}

bool isKnownOption(std::string_view arg) {
  static constexpr std::array<std::string_view, 5> Flags = {"-h", "--help", "-V", "--version",
                                                            "--inherit-env"};
  if (std::find(Flags.begin(), Flags.end(), arg) != Flags.end()) return true;
  return takesSeparateValue(arg.substr(0, arg.find('=')));
}

bool looksLikeOption(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-';
}

// Options from `i` up to a "--" (consumed) or the first argument that is not
// an option; appends them to `options` and returns where it stopped.
size_t collectOptions(std::span<const std::string> args, size_t i,
                      std::vector<std::string> &options) {
  while (i < args.size()) {
    const std::string &arg = args[i];
    if (arg == "--") return i + 1;
    if (!looksLikeOption(arg)) break;
    options.push_back(arg);
    ++i;
    if (takesSeparateValue(arg) && i < args.size()) options.push_back(args[i++]);
  }
  return i;
}

} // namespace

SplitArguments splitArguments(std::span<const std::string> args) {
  SplitArguments split;
  size_t i = collectOptions(args, 0, split.options);
  if (i < args.size()) split.modulePath = args[i++];

  // The seed's own example puts options after the module and separates the
  // guest's arguments with "--": accept that when the arguments between the
  // module and a "--" are all known options with their values. Anything
  // else after the module is the guest's, verbatim.
  if (i < args.size() && args[i] != "--") {
    std::vector<std::string> trailing;
    size_t end = collectOptions(args, i, trailing);
    bool endedAtDoubleDash = end > i && args[end - 1] == "--" && end - i == trailing.size() + 1;
    bool allKnown = !trailing.empty() && isKnownOption(trailing.front());
    for (size_t k = 0; allKnown && k < trailing.size(); ++k) {
      if (!isKnownOption(trailing[k]))
        allKnown = false;
      else if (takesSeparateValue(trailing[k]))
        ++k;
    }
    if (endedAtDoubleDash && allKnown) {
      split.options.insert(split.options.end(), trailing.begin(), trailing.end());
      i = end;
    }
  } else if (i < args.size()) {
    ++i;
  }
  for (size_t k = 0; k < split.options.size() && !split.unknownOption; ++k) {
    const std::string &option = split.options[k];
    if (!isKnownOption(option))
      split.unknownOption = option.substr(0, option.find('='));
    else if (takesSeparateValue(option))
      ++k; // skip its value
  }
  split.guestArgs.assign(args.begin() + std::ptrdiff_t(i), args.end());
  return split;
}

} // namespace lucet::tools
