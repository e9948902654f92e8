#pragma once

// Compiles a script's .wasm files with lucetc's library into a directory and
// loads them, once per distinct module content: spec scripts repeat modules,
// and compilation is most of the runner's time.

#include "compiler/CompileOptions.h"
#include "runtime/LoadedModule.h"
#include "support/Expected.h"
#include "wasm/Features.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lucet::spectest {

class ModuleCache {
public:
  // Every module is compiled with `options` (its emit kind aside).
  ModuleCache(std::string outputDir, unsigned jobs, compiler::CompileOptions options)
      : dir_(std::move(outputDir)), jobs_(jobs), options_(std::move(options)) {}

  // Compiles every file in `wasmPaths` ahead of use, on up to `jobs` threads.
  void precompile(const std::vector<std::string> &wasmPaths);

  // Compiles (or reuses) and loads the module in `wasmPath`. A failed
  // compilation is an error naming the stage ("malformed module", "invalid
  // module").
  Expected<std::shared_ptr<const rt::LoadedModule>> load(const std::string &wasmPath);
  // Only compiles, for assertions about malformed and invalid modules.
  Status compile(const std::string &wasmPath);

private:
  struct Entry {
    std::string soPath;
    std::optional<Error> compileError;
    bool compiled = false;
    std::shared_ptr<const rt::LoadedModule> loaded;
  };
  struct Keyed {
    const std::string *content;
    Entry *entry;
  };
  Expected<Keyed> entryFor(const std::string &wasmPath);
  void compileEntry(const std::string &content, Entry &entry);

  std::string dir_;
  unsigned jobs_;
  compiler::CompileOptions options_;
  std::mutex mutex_;
  // Keyed by the module's bytes: equal content, one artifact.
  std::map<std::string, Entry> entries_;
};

} // namespace lucet::spectest
