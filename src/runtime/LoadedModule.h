#pragma once

#include "abi/Metadata.h"
#include "abi/ModuleRecord.h"
#include "abi/SourceMap.h"
#include "runtime/MemoryImage.h"
#include "support/Expected.h"
#include "support/UniqueFd.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

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

  uint32_t numFunctions() const { return uint32_t(metadata_.funcTypeIndices.size()); }
  const abi::FuncTypeDesc &functionType(uint32_t funcIndex) const {
    return metadata_.types[metadata_.funcTypeIndices[funcIndex]];
  }

  // Native entry point of a defined or imported function index (nullptr for imports).
  void *functionCode(uint32_t funcIndex) const;
  // What a FuncRef of defined function `funcIndex` holds (abi::FuncRef):
  // its C-convention entry and its tailcc one (null when it cannot become
  // a reference).
  void *callEntry(uint32_t funcIndex) const;
  void *tailEntry(uint32_t funcIndex) const;
  // The tailCode of a FuncRef of imported function `funcIndex` when a host
  // function is bound to it (abi::ModuleRecord::importAdapters).
  void *importAdapter(uint32_t funcIndex) const;
  // Name for messages: name section, else "func[N]".
  std::string functionName(uint32_t funcIndex) const;
  // Whether `pc` lies in the module's executable segments. Async-signal-safe.
  bool containsCode(const void *pc) const;
  // The defined function whose code contains `pc`, if any. Async-signal-safe.
  std::optional<uint32_t> functionAt(const void *pc) const;
  // Where the instruction at `pc` in function `funcIndex`'s code comes from:
  // the wasm code offset and the function whose body holds it (another one
  // where a callee was inlined), from the artifact's source map when it has
  // one. Async-signal-safe.
  struct WasmLocation {
    uint32_t funcIndex;
    uint32_t wasmOffset;
  };
  std::optional<WasmLocation> wasmLocationAt(const void *pc, uint32_t funcIndex) const;

  // The initial contents of the module's memory as an image to map, built
  // on first use; nullptr when the module cannot have one (MemoryImage).
  std::shared_ptr<const MemoryImage> memoryImage() const;

  // Checks what the fields of decoded metadata mean: every index in range,
  // every type code a value type, import and function lists that agree. The
  // loader runs it before anything trusts the metadata; the error says
  // what is wrong without the path.
  static Status validateMetadata(const abi::Metadata &metadata);

  // The loaded module whose code contains `pc`, if any. Async-signal-safe.
  static const LoadedModule *containingCode(const void *pc);

  LoadedModule(const LoadedModule &) = delete;
  LoadedModule &operator=(const LoadedModule &) = delete;

private:
  // Defined function `funcIndex`'s entry in one of the arrays (functions_,
  // callEntries_, tailEntries_); null for an import, an index out of range
  // or an absent array.
  void *definedEntry(std::span<void *const> entries, uint32_t funcIndex) const;
  LoadedModule() = default;
  Status openChecked(UniqueFd fd);
  Status validate();
  Status findFunctions();
  Status findCodeRange();
  Status findSourceMap();

  std::string path_;
  // Open while the module is loaded: it names the file to the loader.
  UniqueFd fd_;
  void *handle_ = nullptr;
  const abi::ModuleRecord *record_ = nullptr;
  abi::Metadata metadata_;
  // Per defined function, from the record's segments: the artifact's own
  // arrays when it has one segment, else copies in the owned vectors.
  // callEntries_ is empty when the functions have the C convention.
  std::span<void *const> functions_, callEntries_, tailEntries_;
  std::vector<void *> ownedFunctions_, ownedCallEntries_, ownedTailEntries_;
  // Sorted start addresses of functions and trampolines; trampolines carry
  // UINT32_MAX so that a PC in one is not blamed on the function before it.
  std::vector<std::pair<uintptr_t, uint32_t>> codeRanges_;
  uintptr_t codeBegin_ = 0, codeEnd_ = 0;
  std::span<const uint8_t> sourceMap_; // abi/SourceMap.h
  bool registered_ = false;
  mutable std::once_flag imageOnce_;
  mutable std::shared_ptr<const MemoryImage> image_;
};

} // namespace lucet::rt
