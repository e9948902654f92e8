#include "runtime/LoadedModule.h"

#include "platform/CpuFeatures.h"
#include "runtime/Exceptions.h"
#include "runtime/MappedFile.h"
#include "support/FileIO.h"
#include "support/SharedObjectCheck.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lucet::rt {
namespace {

// One encoding per type: numbers and vectors carry their own code as the
// heap; a reference's heap is an abstract type of its hierarchy or, for
// function references, one of the module's `numTypes` types.
bool isValueType(const abi::ValTypeDesc &t, size_t numTypes) {
  constexpr uint32_t Abstract = abi::ValTypeDesc::AbstractHeap;
  switch (t.code) {
  case 0x7f: // i32
  case 0x7e: // i64
  case 0x7d: // f32
  case 0x7c: // f64
  case 0x7b: // v128
    return t == abi::ValTypeDesc(t.code);
  case 0x70: // function references
    return t.heap == (Abstract | 0x70) || t.heap == (Abstract | 0x73) || t.heap < numTypes;
  case 0x6f: // external references
    return t.heap == (Abstract | 0x6f) || t.heap == (Abstract | 0x72);
  case 0x69: // exception references
    return t.heap == (Abstract | 0x69) || t.heap == (Abstract | 0x74);
  default:
    return false;
  }
}

bool isRefType(const abi::ValTypeDesc &t, size_t numTypes) {
  return t.isRef() && isValueType(t, numTypes);
}

struct IndexSpaces {
  uint32_t funcs = 0, tables = 0, memories = 0, globals = 0;
  uint32_t importedGlobals = 0;
};

// An extended constant expression's program must leave exactly one value
// and never take one that is not there, so that evaluation needs no checks.
Status checkProgram(const abi::InitExpr &e, uint32_t visibleGlobals, const char *what) {
  using Op = abi::InitOpKind;
  if (e.program.empty()) return Error::format("{}: empty constant expression program", what);
  size_t depth = 0;
  for (const abi::InitOp &op : e.program) {
    switch (op.kind) {
    case Op::GlobalGet:
      if (op.index >= visibleGlobals)
        return Error::format("{}: global index {} out of range", what, op.index);
      [[fallthrough]];
    case Op::I32Const:
    case Op::I64Const:
      ++depth;
      break;
    default:
      if (depth < 2) return Error::format("{}: constant expression program underflows", what);
      --depth;
    }
  }
  if (depth != 1)
    return Error::format("{}: constant expression program leaves {} values", what, depth);
  return Status::ok();
}

Status checkInit(const abi::InitExpr &e, const IndexSpaces &spaces, uint32_t visibleGlobals,
                 const char *what) {
  using Kind = abi::InitExpr::Kind;
  if (e.kind == Kind::Extended) return checkProgram(e, visibleGlobals, what);
  if (!e.program.empty())
    return Error::format("{}: a program in a single-instruction expression", what);
  if (e.kind == Kind::GlobalGet && e.index >= visibleGlobals)
    return Error::format("{}: global index {} out of range", what, e.index);
  if (e.kind == Kind::RefFunc && e.index >= spaces.funcs)
    return Error::format("{}: function index {} out of range", what, e.index);
  return Status::ok();
}

Status checkOffset(const abi::InitExpr &e, const IndexSpaces &spaces, const char *what) {
  using Kind = abi::InitExpr::Kind;
  if (e.kind != Kind::I32Const && e.kind != Kind::I64Const && e.kind != Kind::GlobalGet &&
      e.kind != Kind::Extended)
    return Error::format("{}: offset is not an integer constant expression", what);
  return checkInit(e, spaces, spaces.globals, what);
}

// Finds the loaded object containing `address` and records the extent of its
// executable segments.
struct PhdrSearch {
  uintptr_t address;
  uintptr_t begin = UINTPTR_MAX, end = 0;
  bool found = false;
};

int visitObject(dl_phdr_info *info, size_t, void *data) {
  auto *search = static_cast<PhdrSearch *>(data);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    if (search->address >= begin && search->address - begin < ph.p_memsz) contains = true;
  }
  if (!contains) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    search->begin = std::min(search->begin, begin);
    search->end = std::max(search->end, uintptr_t(begin + ph.p_memsz));
  }
  search->found = true;
  return 1;
}

// Every loaded module, so that the signal handler can attribute a fault to
// whichever module's code raised it: a guest may call functions of other
// instances. A fixed array of atomics because the handler reads it.
constexpr size_t MaxRegisteredModules = 4096;
std::atomic<const LoadedModule *> registeredModules[MaxRegisteredModules];

} // namespace

const LoadedModule *LoadedModule::containingCode(const void *pc) {
  for (auto &slot : registeredModules) {
    const LoadedModule *module = slot.load(std::memory_order_acquire);
    if (module && module->containsCode(pc)) return module;
  }
  return nullptr;
}

Expected<std::shared_ptr<const LoadedModule>> LoadedModule::load(const std::string &path) {
  std::shared_ptr<LoadedModule> module(new LoadedModule());
  module->path_ = path;
  // The file is checked by reading it before dlopen may map it or run any
  // of its code: see support/SharedObjectCheck.h.
  LUCET_ASSIGN_OR_RETURN(fd, openRegularFile(path));
  if (Status s = checkSharedObject(fd.get(), abi::ModuleRecordSymbol, sizeof(abi::ModuleRecord));
      !s)
    return Error::format("{}: not a lucetc artifact ({})", path, s.error().message());
  LUCET_TRY(module->openChecked(std::move(fd)));
  void *symbol = dlsym(module->handle_, abi::ModuleRecordSymbol);
  if (!symbol)
    return Error::format("{}: not a lucetc artifact (no {} symbol)", path, abi::ModuleRecordSymbol);
  // dlsym also searches the object's dependencies; the record must be the
  // object's own.
  Dl_info symInfo;
  link_map *symbolMap = nullptr, *objectMap = nullptr;
  if (dladdr1(symbol, &symInfo, reinterpret_cast<void **>(&symbolMap), RTLD_DL_LINKMAP) == 0 ||
      dlinfo(module->handle_, RTLD_DI_LINKMAP, &objectMap) != 0 || symbolMap != objectMap)
    return Error::format("{}: not a lucetc artifact (no {} symbol of its own)", path,
                         abi::ModuleRecordSymbol);
  module->record_ = static_cast<const abi::ModuleRecord *>(symbol);
  const abi::ModuleRecord &record = *module->record_;
  if (record.magic != abi::ModuleMagic)
    return Error::format("{}: not a lucetc artifact (bad magic in {})", path,
                         abi::ModuleRecordSymbol);
  if (record.abiVersion != abi::AbiVersion)
    return Error::format("{}: compiled for ABI version {}; this runtime supports {}", path,
                         record.abiVersion, abi::AbiVersion);
  if (!record.metadata && record.metadataSize != 0)
    return Error::format("{}: malformed module record: no metadata", path);
  auto metadata = abi::deserializeMetadata({record.metadata, size_t(record.metadataSize)});
  if (!metadata)
    return Error::format("{}: malformed metadata: {}", path, metadata.error().message());
  module->metadata_ = std::move(*metadata);
  if (Status s = module->validate(); !s)
    return Error::format("{}: invalid module: {}", path, s.error().message());
  if (Status s = module->findCodeRange(); !s)
    return Error::format("{}: {}", path, s.error().message());
  std::string missing;
  for (const auto &feature : module->metadata_.requiredCpuFeatures)
    if (!platform::cpuHasFeature(feature)) missing += (missing.empty() ? "" : ", ") + feature;
  if (!missing.empty())
    return Error::format("{}: compiled for CPU features this CPU lacks ({}); recompile it here, "
                         "or with lucetc --target-cpu baseline",
                         path, missing);
  if (Status s = module->findSourceMap(); !s)
    return Error::format("{}: {}", path, s.error().message());
  // The module's unwind tables reach the personality routine through this.
  if (record.personality) *record.personality = exceptionPersonality();
  // A full registry only costs attribution of faults raised by this
  // module's code while another instance's call is innermost.
  for (auto &slot : registeredModules) {
    const LoadedModule *empty = nullptr;
    if (slot.compare_exchange_strong(empty, module.get(), std::memory_order_acq_rel)) {
      module->registered_ = true;
      break;
    }
  }
  return std::shared_ptr<const LoadedModule>(std::move(module));
}

Status LoadedModule::openChecked(UniqueFd fd) {
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return Error::format("{}: cannot stat: {}", path_, std::strerror(errno));
  // dlopen gets the file that was checked, through its descriptor, not
  // whatever the path names by now. The loader also hands back an object
  // already loaded under the same name, and a descriptor number names
  // another file once it is closed and reused, so the descriptor stays open
  // while the module is loaded and the object dlopen returns is checked to
  // be mapped from this file; on a mismatch (a stale name) another number
  // is tried.
  std::vector<UniqueFd> tried;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string name = fmt::format("/proc/self/fd/{}", fd.get());
    dlerror();
    void *handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *reason = dlerror();
      if (attempt == 0 && ::access(name.c_str(), R_OK) != 0) break; // no /proc
      return Error::format("{}: cannot load: {}", path_, reason ? reason : "unknown error");
    }
    link_map *map = nullptr;
    std::optional<bool> same;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map) same = mappedFromFile(map->l_ld, st);
    // When that cannot be told, the descriptor is still the best name.
    if (!same || *same) {
      handle_ = handle;
      fd_ = std::move(fd);
      return Status::ok();
    }
    dlclose(handle);
    UniqueFd next(::fcntl(fd.get(), F_DUPFD_CLOEXEC, fd.get() + 1));
    if (!next) return Error::format("{}: cannot load: {}", path_, std::strerror(errno));
    tried.push_back(std::exchange(fd, std::move(next)));
  }
  dlerror();
  // A path without a slash would make dlopen search the library path.
  std::string openPath = path_.find('/') == std::string::npos ? "./" + path_ : path_;
  handle_ = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char *reason = dlerror();
    return Error::format("{}: cannot load: {}", path_, reason ? reason : "unknown error");
  }
  return Status::ok();
}

LoadedModule::~LoadedModule() {
  if (registered_) {
    for (auto &slot : registeredModules) {
      const LoadedModule *self = this;
      if (slot.compare_exchange_strong(self, nullptr, std::memory_order_acq_rel)) break;
    }
  }
  if (handle_) dlclose(handle_);
}

Status LoadedModule::validateMetadata(const abi::Metadata &m) {
  IndexSpaces spaces;
  spaces.funcs = uint32_t(m.funcTypeIndices.size());
  for (size_t f = 0; f < m.funcTypeIndices.size(); ++f)
    if (m.funcTypeIndices[f] >= m.types.size())
      return Error::format("function {}: type index {} out of range", f, m.funcTypeIndices[f]);
  if (m.numImportedFuncs > spaces.funcs)
    return Error::format("{} imported functions but only {} functions", m.numImportedFuncs,
                         spaces.funcs);
  if (m.start && *m.start >= spaces.funcs)
    return Error::format("start function {} out of range", *m.start);

  for (size_t t = 0; t < m.types.size(); ++t) {
    // A type refers to itself or to earlier types only.
    for (const auto &p : m.types[t].params)
      if (!isValueType(p, t + 1))
        return Error::format("type {} has an invalid parameter type {:#x}", t, p.code);
    for (const auto &r : m.types[t].results)
      if (!isValueType(r, t + 1))
        return Error::format("type {} has an invalid result type {:#x}", t, r.code);
  }

  uint32_t importedFuncs = 0, importedTags = 0;
  for (const auto &imp : m.imports) {
    switch (imp.kind) {
    case abi::ExternKindCode::Func:
      if (imp.typeIndex >= m.types.size())
        return Error::format("import {}.{}: type index {} out of range", imp.module, imp.name,
                             imp.typeIndex);
      if (importedFuncs >= m.funcTypeIndices.size() ||
          m.funcTypeIndices[importedFuncs] != imp.typeIndex)
        return Error::format("import {}.{}: function types disagree with the import", imp.module,
                             imp.name);
      ++importedFuncs;
      break;
    case abi::ExternKindCode::Table:
      if (!isRefType(imp.table.elemType, m.types.size()))
        return Error::format("import {}.{}: bad table element type", imp.module, imp.name);
      ++spaces.tables;
      break;
    case abi::ExternKindCode::Memory:
      ++spaces.memories;
      break;
    case abi::ExternKindCode::Global:
      if (!isValueType(imp.global.type, m.types.size()))
        return Error::format("import {}.{}: bad global type", imp.module, imp.name);
      ++spaces.globals;
      break;
    case abi::ExternKindCode::Tag:
      if (importedTags >= m.tagTypeIndices.size() ||
          m.tagTypeIndices[importedTags] != imp.typeIndex)
        return Error::format("import {}.{}: tag types disagree with the import", imp.module,
                             imp.name);
      ++importedTags;
      break;
    }
  }
  if (importedTags != m.numImportedTags)
    return Error::format("{} tag imports but {} imported tags", importedTags, m.numImportedTags);
  for (uint32_t t : m.tagTypeIndices)
    if (t >= m.types.size()) return Error::format("tag type index {} out of range", t);
  if (importedFuncs != m.numImportedFuncs)
    return Error::format("{} function imports but {} imported functions", importedFuncs,
                         m.numImportedFuncs);
  spaces.importedGlobals = spaces.globals;
  for (const auto &t : m.tables)
    if (!isRefType(t.elemType, m.types.size())) return Error("bad table element type");
  if (m.tableInits.size() != m.tables.size())
    return Error::format("{} table initializers for {} tables", m.tableInits.size(),
                         m.tables.size());
  for (const auto &init : m.tableInits) {
    if (init.kind == abi::InitExpr::Kind::Extended)
      return Error("table initializer: not a reference expression");
    LUCET_TRY(checkInit(init, spaces, spaces.importedGlobals, "table initializer"));
  }
  spaces.tables += uint32_t(m.tables.size());
  spaces.memories += uint32_t(m.memories.size());
  for (size_t i = 0; i < m.globals.size(); ++i) {
    if (!isValueType(m.globals[i].type.type, m.types.size()))
      return Error::format("global {} has a bad type", spaces.importedGlobals + i);
    LUCET_TRY(checkInit(m.globals[i].init, spaces, spaces.globals, "global initializer"));
    ++spaces.globals;
  }

  for (const auto &e : m.exports) {
    uint32_t limit = 0;
    switch (e.kind) {
    case abi::ExternKindCode::Func:
      limit = spaces.funcs;
      break;
    case abi::ExternKindCode::Table:
      limit = spaces.tables;
      break;
    case abi::ExternKindCode::Memory:
      limit = spaces.memories;
      break;
    case abi::ExternKindCode::Global:
      limit = spaces.globals;
      break;
    case abi::ExternKindCode::Tag:
      limit = uint32_t(m.tagTypeIndices.size());
      break;
    }
    if (e.index >= limit) return Error::format("export {}: index {} out of range", e.name, e.index);
  }
  if (m.start) {
    const auto &type = m.types[m.funcTypeIndices[*m.start]];
    if (!type.params.empty() || !type.results.empty())
      return Error("the start function must take and return nothing");
  }
  for (const auto &e : m.elems) {
    if (e.mode == abi::SegmentModeCode::Active) {
      if (e.table >= spaces.tables)
        return Error::format("element segment: table index {} out of range", e.table);
      LUCET_TRY(checkOffset(e.offset, spaces, "element segment"));
    }
    for (const auto &item : e.init) {
      // A reference: extended constant expressions compute integers only.
      if (item.kind == abi::InitExpr::Kind::Extended)
        return Error("element segment item: not a reference expression");
      LUCET_TRY(checkInit(item, spaces, spaces.globals, "element segment item"));
    }
  }
  for (const auto &d : m.datas) {
    if (d.mode == abi::SegmentModeCode::Active) {
      if (d.memory >= spaces.memories)
        return Error::format("data segment: memory index {} out of range", d.memory);
      LUCET_TRY(checkOffset(d.offset, spaces, "data segment"));
    }
  }
  if (!m.functionNames.empty() && m.functionNames.size() != spaces.funcs)
    return Error::format("{} function names for {} functions", m.functionNames.size(),
                         spaces.funcs);
  return Status::ok();
}

Status LoadedModule::validate() {
  const abi::Metadata &m = metadata_;
  const abi::ModuleRecord &record = *record_;
  LUCET_TRY(validateMetadata(m));
  uint32_t defined = uint32_t(m.funcTypeIndices.size()) - m.numImportedFuncs;
  if (record.numFunctions != defined)
    return Error::format("the record has {} functions but the metadata defines {}",
                         record.numFunctions, defined);
  LUCET_TRY(findFunctions());
  if (record.numTrampolines != m.types.size())
    return Error::format("the record has {} trampolines but the metadata has {} types",
                         record.numTrampolines, m.types.size());
  if (!m.types.empty() && !record.trampolines) return Error("the record has no trampoline table");
  for (uint32_t i = 0; i < defined; ++i)
    if (!functions_[i]) return Error::format("function {} has no code", m.numImportedFuncs + i);
  for (uint32_t i = 0; i < record.numTrampolines; ++i)
    if (!record.trampolines[i]) return Error::format("type {} has no trampoline", i);
  if (!callEntries_.empty())
    for (uint32_t i = 0; i < defined; ++i)
      if (!callEntries_[i])
        return Error::format("function {} has no entry", m.numImportedFuncs + i);
  if (m.numImportedFuncs != 0 && !record.importAdapters)
    return Error("the record has no import adapters");
  for (uint32_t i = 0; i < m.numImportedFuncs; ++i)
    if (!record.importAdapters[i]) return Error::format("import {} has no adapter", i);
  return Status::ok();
}

Status LoadedModule::findCodeRange() {
  PhdrSearch search{uintptr_t(record_)};
  dl_iterate_phdr(visitObject, &search);
  if (!search.found || search.begin >= search.end) {
    // A module without functions or types has no code at all.
    if (record_->numFunctions == 0 && record_->numTrampolines == 0) return Status::ok();
    return Error("cannot find the module's code segments");
  }
  codeBegin_ = search.begin;
  codeEnd_ = search.end;
  for (uint32_t i = 0; i < record_->numFunctions; ++i) {
    auto address = uintptr_t(functions_[i]);
    if (address < codeBegin_ || address >= codeEnd_)
      return Error::format("function {} lies outside the module's code",
                           metadata_.numImportedFuncs + i);
    codeRanges_.emplace_back(address, metadata_.numImportedFuncs + i);
  }
  for (uint32_t i = 0; i < record_->numTrampolines; ++i)
    codeRanges_.emplace_back(uintptr_t(record_->trampolines[i]), UINT32_MAX);
  std::sort(codeRanges_.begin(), codeRanges_.end());
  return Status::ok();
}

Status LoadedModule::findFunctions() {
  const abi::ModuleRecord &record = *record_;
  uint32_t defined = record.numFunctions;
  if (defined != 0 && !record.segments) return Error("the record has no function segments");
  std::span<const abi::FunctionSegment> segments(record.segments, record.numSegments);
  // Segments follow each other from function 0 and all have callEntries
  // or none do; a segment without tailEntries has no function that can
  // become a reference.
  uint64_t next = 0;
  bool withCallEntries = !segments.empty() && segments.front().callEntries;
  for (const auto &segment : segments) {
    if (segment.first != next || segment.count == 0 || !segment.functions ||
        bool(segment.callEntries) != withCallEntries)
      return Error::format("malformed function segment at function {}", next);
    next += segment.count;
  }
  if (next != defined)
    return Error::format("the function segments cover {} of {} functions", next, defined);
  if (segments.size() == 1) {
    const auto &only = segments.front();
    functions_ = {only.functions, defined};
    if (only.tailEntries) tailEntries_ = {only.tailEntries, defined};
    if (withCallEntries) callEntries_ = {only.callEntries, defined};
    return Status::ok();
  }
  // A module compiled in chunks: one array of each kind, copied from them.
  auto flatten = [&](void *const *abi::FunctionSegment::*array, std::vector<void *> &out) {
    out.reserve(defined);
    for (const auto &segment : segments) {
      if (segment.*array)
        out.insert(out.end(), segment.*array, segment.*array + segment.count);
      else
        out.insert(out.end(), segment.count, nullptr);
    }
    return std::span<void *const>(out);
  };
  functions_ = flatten(&abi::FunctionSegment::functions, ownedFunctions_);
  tailEntries_ = flatten(&abi::FunctionSegment::tailEntries, ownedTailEntries_);
  if (withCallEntries)
    callEntries_ = flatten(&abi::FunctionSegment::callEntries, ownedCallEntries_);
  return Status::ok();
}

void *LoadedModule::definedEntry(std::span<void *const> entries, uint32_t funcIndex) const {
  if (entries.empty() || funcIndex < metadata_.numImportedFuncs || funcIndex >= numFunctions())
    return nullptr;
  return entries[funcIndex - metadata_.numImportedFuncs];
}

void *LoadedModule::functionCode(uint32_t funcIndex) const {
  return definedEntry(functions_, funcIndex);
}

void *LoadedModule::callEntry(uint32_t funcIndex) const {
  // Without the array the functions themselves have the C convention.
  return definedEntry(callEntries_.empty() ? functions_ : callEntries_, funcIndex);
}

void *LoadedModule::tailEntry(uint32_t funcIndex) const {
  return definedEntry(tailEntries_, funcIndex);
}

void *LoadedModule::importAdapter(uint32_t funcIndex) const {
  if (funcIndex >= metadata_.numImportedFuncs) return nullptr;
  return record_->importAdapters[funcIndex];
}

std::shared_ptr<const MemoryImage> LoadedModule::memoryImage() const {
  std::call_once(imageOnce_, [this] { image_ = MemoryImage::build(metadata_); });
  return image_;
}

std::string LoadedModule::functionName(uint32_t funcIndex) const {
  if (funcIndex < metadata_.functionNames.size() && !metadata_.functionNames[funcIndex].empty())
    return metadata_.functionNames[funcIndex];
  return "func[" + std::to_string(funcIndex) + "]";
}

bool LoadedModule::containsCode(const void *pc) const {
  auto address = uintptr_t(pc);
  return address >= codeBegin_ && address < codeEnd_;
}

std::optional<uint32_t> LoadedModule::functionAt(const void *pc) const {
  if (!containsCode(pc)) return std::nullopt;
  auto address = uintptr_t(pc);
  auto it = std::upper_bound(
      codeRanges_.begin(), codeRanges_.end(), address,
      [](uintptr_t a, const std::pair<uintptr_t, uint32_t> &range) { return a < range.first; });
  if (it == codeRanges_.begin()) return std::nullopt;
  --it;
  if (it->second == UINT32_MAX) return std::nullopt;
  return it->second;
}

Status LoadedModule::findSourceMap() {
  // Optional: artifacts without one report faults without a wasm offset.
  void *symbol = dlsym(handle_, abi::SourceMapSymbol);
  if (!symbol) return Status::ok();
  // Its size is the symbol's; a lookup checks the rest (abi/SourceMap.h).
  Dl_info info;
  void *extra = nullptr;
  if (!dladdr1(symbol, &info, &extra, RTLD_DL_SYMENT) || !extra)
    return Error("cannot find the size of the source map");
  const auto *entry = static_cast<const ElfW(Sym) *>(extra);
  abi::SourceMapHeader header;
  if (entry->st_size < sizeof header) return Error("malformed source map: too small");
  std::memcpy(&header, symbol, sizeof header);
  if (header.numFunctions != numFunctions() - metadata_.numImportedFuncs ||
      header.streamBytes > entry->st_size ||
      abi::sourceMapBytes(header.numFunctions, header.streamBytes) != entry->st_size)
    return Error("malformed source map: its size does not match the module");
  sourceMap_ = std::span<const uint8_t>(static_cast<const uint8_t *>(symbol), entry->st_size);
  return Status::ok();
}

std::optional<LoadedModule::WasmLocation> LoadedModule::wasmLocationAt(const void *pc,
                                                                       uint32_t funcIndex) const {
  void *code = functionCode(funcIndex);
  if (!code || uintptr_t(pc) < uintptr_t(code)) return std::nullopt;
  auto entry = abi::lookupSourceMap(sourceMap_, funcIndex - metadata_.numImportedFuncs, funcIndex,
                                    uintptr_t(pc) - uintptr_t(code));
  if (!entry || entry->wasmFuncIndex >= numFunctions() ||
      entry->wasmFuncIndex < metadata_.numImportedFuncs)
    return std::nullopt;
  return WasmLocation{entry->wasmFuncIndex, entry->wasmOffset};
}

} // namespace lucet::rt
