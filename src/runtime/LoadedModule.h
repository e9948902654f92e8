#pragma once

#include "abi/Metadata.h"
#include "abi/ModuleRecord.h"
#include "support/Expected.h"

#include <memory>
#include <string>

namespace lucet::rt {

// A compiled module (.so) loaded into the process with its metadata decoded
// and checked: magic, ABI version, sizes, and every index in the metadata.
class LoadedModule {
public:
  // The error says what is wrong with which file ("not a lucetc artifact",
  // "compiled for ABI version N", ...).
  static Expected<std::shared_ptr<const LoadedModule>> load(const std::string &path);
  ~LoadedModule();

  const std::string &path() const { return path_; }
  const abi::Metadata &metadata() const { return metadata_; }
  const abi::ModuleRecord &record() const { return *record_; }

  // Native entry point of a defined or imported function index (nullptr for imports).
  void *functionCode(uint32_t funcIndex) const;
  // Name for messages: name section, else "func[N]".
  std::string functionName(uint32_t funcIndex) const;
  // The defined function whose code contains `pc`, if any.
  bool containsCode(const void *pc) const;
  std::optional<uint32_t> functionAt(const void *pc) const;

  LoadedModule(const LoadedModule &) = delete;
  LoadedModule &operator=(const LoadedModule &) = delete;

private:
  LoadedModule() = default;
  std::string path_;
  void *handle_ = nullptr;
  const abi::ModuleRecord *record_ = nullptr;
  abi::Metadata metadata_;
  std::vector<std::pair<uintptr_t, uint32_t>> codeRanges_; // sorted (address, funcIndex)
  uintptr_t codeBegin_ = 0, codeEnd_ = 0;
};

} // namespace lucet::rt
