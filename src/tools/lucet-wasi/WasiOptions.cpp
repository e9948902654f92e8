#include "tools/lucet-wasi/WasiOptions.h"

#include "support/Size.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace lucet::tools {

Expected<PreopenDir> parsePreopenDir(std::string_view spec) {
  PreopenDir dir;
  if (auto colon = spec.find(':'); colon != std::string_view::npos) {
    dir.guestPath = std::string(spec.substr(0, colon));
    dir.hostPath = std::string(spec.substr(colon + 1));
  } else {
    dir.guestPath = dir.hostPath = std::string(spec);
  }
  if (dir.guestPath.empty())
    return Error::format("--dir: '{}': the guest path (before ':') is empty", spec);
  if (dir.hostPath.empty())
    return Error::format("--dir: '{}': the host path (after ':') is empty", spec);
  return dir;
}

Expected<std::pair<std::string, std::string>> parseEnvVar(std::string_view spec) {
  auto equals = spec.find('=');
  if (equals == std::string_view::npos)
    return Error::format("--env: '{}': expected KEY=VALUE", spec);
  if (equals == 0) return Error::format("--env: '{}': the variable name is empty", spec);
  return std::pair(std::string(spec.substr(0, equals)), std::string(spec.substr(equals + 1)));
}

std::vector<std::pair<std::string, std::string>> guestEnvironment(const WasiOptions &options,
                                                                  char **hostEnviron) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&](std::string key, std::string value) {
    auto same =
        std::find_if(env.begin(), env.end(), [&](const auto &kv) { return kv.first == key; });
    if (same != env.end())
      same->second = std::move(value);
    else
      env.emplace_back(std::move(key), std::move(value));
  };
  if (options.inheritEnv && hostEnviron) {
    for (char **entry = hostEnviron; *entry; ++entry) {
      std::string_view text = *entry;
      auto equals = text.find('=');
      if (equals == std::string_view::npos || equals == 0) continue;
      set(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
  }
  for (const auto &[key, value] : options.env) set(key, value);
  return env;
}

namespace {

Expected<uint64_t> parseSizeFlag(std::string_view flag, std::string_view text) {
  auto size = parsePageMultipleSize(text);
  if (!size) return size.error().withContext(std::string(flag));
  return *size;
}

// Checked here rather than left to the WASI builder so that a typo in --dir
// is reported as a usage error before any compiling or loading happens.
Status checkHostDirectory(const PreopenDir &dir) {
  struct stat st;
  if (::stat(dir.hostPath.c_str(), &st) != 0)
    return Error::format("--dir: host directory '{}': {}", dir.hostPath, std::strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return Error::format("--dir: host path '{}' is not a directory", dir.hostPath);
  return Status::ok();
}

} // namespace

Expected<WasiOptions> validateArguments(const RawWasiArguments &raw) {
  WasiOptions options;
  options.modulePath = raw.modulePath;
  options.guestArgs = raw.guestArgs;
  options.entrypoint = raw.entrypoint;
  if (options.modulePath.empty()) return Error("<lucet_module>: the module path is empty");
  if (options.entrypoint.empty()) return Error("--entrypoint: the entrypoint name is empty");
  LUCET_ASSIGN_OR_RETURN(heapAddressSpace,
                         parseSizeFlag("--heap-address-space", raw.heapAddressSpace));
  LUCET_ASSIGN_OR_RETURN(maxHeapSize, parseSizeFlag("--max-heap-size", raw.maxHeapSize));
  LUCET_ASSIGN_OR_RETURN(stackSize, parseSizeFlag("--stack-size", raw.stackSize));
  if (heapAddressSpace < maxHeapSize)
    return Error::format("--heap-address-space: {} is smaller than --max-heap-size {}; the "
                         "address space must hold the whole heap",
                         formatSize(heapAddressSpace), formatSize(maxHeapSize));
  if (heapAddressSpace == 0) return Error("--heap-address-space: must not be zero");
  if (stackSize == 0) return Error("--stack-size: must not be zero");
  options.heapAddressSpace = heapAddressSpace;
  options.maxHeapSize = maxHeapSize;
  options.stackSize = stackSize;
  for (const std::string &spec : raw.dirs) {
    LUCET_ASSIGN_OR_RETURN(dir, parsePreopenDir(spec));
    LUCET_TRY(checkHostDirectory(dir));
    options.preopens.push_back(std::move(dir));
  }
  for (const std::string &spec : raw.envs) {
    LUCET_ASSIGN_OR_RETURN(var, parseEnvVar(spec));
    options.env.push_back(std::move(var));
  }
  options.inheritEnv = raw.inheritEnv;
  for (const std::string &spec : raw.tcpListens) {
    auto address = wasi::parseTcpListenAddress(spec);
    if (!address) return address.error().withContext("--tcplisten");
    options.tcpListeners.push_back(std::move(*address));
  }
  return options;
}

} // namespace lucet::tools
