#include "tools/lucet-wasi/WasiOptions.h"

#include "support/Size.h"

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
  return options;
}

} // namespace lucet::tools
