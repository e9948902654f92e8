#pragma once

// The one exported symbol of a compiled module. The runtime finds it with
// dlsym, checks magic and version, then decodes `metadata` (see Metadata.h)
// before trusting anything else in the artifact.

#include "abi/InstanceContext.h"

#include <cstdint>

namespace lucet::abi {

constexpr uint64_t ModuleMagic = 0x31444f4d54435554ull; // "TUCTMOD1" little-endian
constexpr uint32_t AbiVersion = 3;
constexpr const char *ModuleRecordSymbol = "lucet_module_record_v1";

struct ModuleRecord {
  uint64_t magic;
  uint32_t abiVersion;
  uint32_t numFunctions; // defined functions
  const uint8_t *metadata;
  uint64_t metadataSize;
  void *const *functions;        // numFunctions native entry points, in index order
  const Trampoline *trampolines; // one per type index (Metadata::types)
  uint32_t numTrampolines;
  uint32_t reserved;
  // Where the loader stores the C++ personality routine that the module's
  // unwind tables reach through a forwarder, so that the artifact has no
  // undefined symbol (ExceptionObject.h); null when the module unwinds
  // nothing.
  void **personality;
  // One per imported function: code with the FuncRef convention that calls
  // VMContext::hostCode[i], for imports bound to host functions.
  void *const *importAdapters;
};
static_assert(sizeof(ModuleRecord) == 72);
static_assert(offsetof(ModuleRecord, metadata) == 16);
static_assert(offsetof(ModuleRecord, functions) == 32);
static_assert(offsetof(ModuleRecord, trampolines) == 40);
static_assert(offsetof(ModuleRecord, personality) == 56);
static_assert(offsetof(ModuleRecord, importAdapters) == 64);

// Symbol names the compiler gives to code, for debuggers and profilers.
// Nothing resolves them at run time: calls go through VMContext.
inline constexpr const char *FunctionSymbolPrefix = "guest_func_";
inline constexpr const char *TrampolineSymbolPrefix = "guest_trampoline_";
inline constexpr const char *ImportAdapterSymbolPrefix = "guest_import_";

} // namespace lucet::abi
