#pragma once

#include "support/Expected.h"
#include "wasm/Module.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lucet::wasm::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

// Runs a shell command, returning its exit status; output goes to `log`.
int runCommand(const std::string &command, std::string *log = nullptr);

void writeText(const std::filesystem::path &path, const std::string &text);

// Encodes WAT text with lucet's text parser; fails with its diagnostics.
Expected<std::vector<uint8_t>> assemble(const std::string &wat);

// readModule then validateModule; the Status carries the first error.
Status readAndValidate(std::vector<uint8_t> bytes, Features features = Features::wasm3());

bool haveTool(const std::string &name);

} // namespace lucet::wasm::test
