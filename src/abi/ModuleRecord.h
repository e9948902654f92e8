#pragma once

// The one exported symbol of a compiled module. The runtime finds it with
// dlsym, checks magic and version, then decodes `metadata` (see Metadata.h)
// before trusting anything else in the artifact.

#include "abi/InstanceContext.h"

#include <cstdint>

namespace lucet::abi {

constexpr uint64_t ModuleMagic = 0x31444f4d54435554ull; // "TUCTMOD1" little-endian
constexpr uint32_t AbiVersion = 4;
constexpr const char *ModuleRecordSymbol = "lucet_module_record_v1";

// The code of defined functions [first, first + count): one per chunk of a
// module compiled in chunks (compiler/ChunkPlan.h), so that no chunk has to
// name every function; one for a module compiled whole.
struct FunctionSegment {
  void *const *functions; // native entry points, in index order
  // Their entries (abi::FuncRef): the C-convention ones, or null when
  // `functions` are them (no tail calls); and the tailcc ones, null for a
  // function that cannot become a reference.
  void *const *callEntries;
  void *const *tailEntries;
  uint32_t first;
  uint32_t count;
};
static_assert(sizeof(FunctionSegment) == 32);

struct ModuleRecord {
  uint64_t magic;
  uint32_t abiVersion;
  uint32_t numFunctions; // defined functions
  const uint8_t *metadata;
  uint64_t metadataSize;
  // numSegments segments, in order, covering [0, numFunctions) once.
  const FunctionSegment *segments;
  const Trampoline *trampolines; // one per type index (Metadata::types)
  uint32_t numTrampolines;
  uint32_t numSegments;
  // Where the loader stores the C++ personality routine that the module's
  // unwind tables reach through a forwarder, so that the artifact has no
  // undefined symbol (ExceptionObject.h); null when the module unwinds
  // nothing.
  void **personality;
  // One per imported function: a tailcc function that calls the FuncRef's
  // `code` in the C convention, the `tailCode` of a host function bound to
  // that import.
  void *const *importAdapters;
};
static_assert(sizeof(ModuleRecord) == 72);
static_assert(offsetof(ModuleRecord, metadata) == 16);
static_assert(offsetof(ModuleRecord, segments) == 32);
static_assert(offsetof(ModuleRecord, trampolines) == 40);
static_assert(offsetof(ModuleRecord, personality) == 56);
static_assert(offsetof(ModuleRecord, importAdapters) == 64);

// Symbol names the compiler gives to code, for debuggers and profilers.
// Nothing resolves them at run time: calls go through VMContext.
inline constexpr const char *FunctionSymbolPrefix = "guest_func_";
inline constexpr const char *TrampolineSymbolPrefix = "guest_trampoline_";
inline constexpr const char *ImportAdapterSymbolPrefix = "guest_import_";
inline constexpr const char *CallEntrySymbolPrefix = "guest_entry_";
inline constexpr const char *TailEntrySymbolPrefix = "guest_tail_";

} // namespace lucet::abi
