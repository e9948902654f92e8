#include "tools/lucet-wasi/ModuleCache.h"

#include "abi/CpuFeatures.h"
#include "platform/CpuFeatures.h"
#include "support/Sha256.h"
#include "text/ModuleFile.h"
#include "tools/lucet-wasi/Subprocess.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lucet::tools {

Expected<std::string> cacheDirectory() {
  auto nonEmpty = [](const char *name) -> const char * {
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
  };
  if (const char *dir = nonEmpty("LUCET_CACHE_DIR")) return std::string(dir);
  if (const char *dir = nonEmpty("XDG_CACHE_HOME")) return std::string(dir) + "/lucet";
  if (const char *dir = nonEmpty("HOME")) return std::string(dir) + "/.cache/lucet";
  return Error("no cache directory for compiled .wasm modules: set LUCET_CACHE_DIR or HOME");
}

namespace {

bool isExecutableFile(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// mkdir -p; an existing directory is fine.
Status makeDirectories(const std::string &path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST)
      return Error::format("cannot create cache directory {}: {}", prefix, std::strerror(errno));
    if (slash == std::string::npos) break;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error::format("cache directory {} is not a directory", path);
  return Status::ok();
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
    text.pop_back();
  return text;
}

// What a failed lucetc said, without its own "lucetc: error: " prefix since
// we add ours.
std::string compilerMessage(const ProcessResult &result) {
  std::string text = trimmed(result.stderrText.empty() ? result.stdoutText : result.stderrText);
  constexpr std::string_view Prefix = "lucetc: error: ";
  if (text.starts_with(Prefix)) text.erase(0, Prefix.size());
  if (text.empty()) text = fmt::format("lucetc exited with status {}", result.exitStatus);
  return text;
}

} // namespace

Expected<std::string> findLucetc() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, size_t(n));
    dir.resize(dir.rfind('/') + 1);
    if (isExecutableFile(dir + "lucetc")) return dir + "lucetc";
  }
  const char *path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/lucetc";
    if (isExecutableFile(candidate)) return candidate;
  }
  return Error("cannot compile a WebAssembly module: no lucetc beside lucet-wasi or in PATH");
}

std::vector<std::string> heapFlagsFor(uint64_t heapAddressSpace) {
  // The default 8 GiB splits into lucetc's own defaults (4 GiB + 4 GiB guard).
  constexpr uint64_t FourGiB = 4ull << 30;
  uint64_t reserved = std::min(heapAddressSpace, FourGiB);
  return {"--reserved-size", std::to_string(reserved), "--guard-size",
          std::to_string(heapAddressSpace - reserved)};
}

std::string cacheKey(const std::vector<uint8_t> &wasm, const std::string &compilerVersion,
                     const std::vector<std::string> &flags) {
  Sha256 hash;
  // Each part is length-prefixed so that no two different inputs hash the
  // same byte stream.
  auto part = [&](std::string_view text) {
    hash.update(fmt::format("{}:", text.size()));
    hash.update(text);
  };
  part(std::string_view(reinterpret_cast<const char *>(wasm.data()), wasm.size()));
  part(compilerVersion);
  for (const std::string &flag : flags) part(flag);
  return hash.finishHex();
}

std::string hostCpuDescription() {
  std::string out = "cpu:";
  for (auto feature : abi::CheckableCpuFeatures)
    if (platform::cpuHasFeature(feature)) out += std::string(feature) + ",";
  return out;
}

Expected<std::string> compileCached(const std::string &wasmPath, uint64_t heapAddressSpace) {
  LUCET_ASSIGN_OR_RETURN(wasm, text::readModuleFile(wasmPath));
  LUCET_ASSIGN_OR_RETURN(lucetc, findLucetc());
  LUCET_ASSIGN_OR_RETURN(version, runProcess({lucetc, "-V"}));
  if (version.exitStatus != 0)
    return Error::format("{} -V failed: {}", lucetc, compilerMessage(version));
  std::vector<std::string> flags = heapFlagsFor(heapAddressSpace);
  LUCET_ASSIGN_OR_RETURN(dir, cacheDirectory());
  std::vector<std::string> keyParts = flags;
  keyParts.push_back(hostCpuDescription());
  std::string artifact = dir + "/" + cacheKey(wasm, version.stdoutText, keyParts) + ".so";
  if (::access(artifact.c_str(), R_OK) == 0) return artifact;

  LUCET_TRY(makeDirectories(dir));
  std::string temp = fmt::format("{}.tmp.{}", artifact, ::getpid());
  std::vector<std::string> argv = {lucetc, wasmPath, "-o", temp};
  argv.insert(argv.end(), flags.begin(), flags.end());
  // lucetc's stderr comes here; its progress line goes to our terminal.
  if (::isatty(STDERR_FILENO)) argv.push_back("--progress-on-tty");
  LUCET_ASSIGN_OR_RETURN(result, runProcess(argv));
  if (result.exitStatus != 0) {
    ::unlink(temp.c_str());
    return Error::format("cannot compile {}: {}", wasmPath, compilerMessage(result));
  }
  if (::rename(temp.c_str(), artifact.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return Error::format("cannot store {} in the cache: {}", artifact, std::strerror(err));
  }
  return artifact;
}

} // namespace lucet::tools
