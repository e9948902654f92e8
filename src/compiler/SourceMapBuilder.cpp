#include "compiler/SourceMapBuilder.h"

#include "abi/ModuleRecord.h"
#include "compiler/CodeGenerator.h"
#include "support/ByteReader.h"
#include "support/ByteWriter.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>

#include <algorithm>
#include <cstring>
#include <tuple>

namespace lucet::compiler {

namespace {

// The function whose body contains a wasm code offset (bodies are in order).
uint32_t functionContaining(const wasm::Module &module, uint32_t wasmOffset, uint32_t fallback) {
  auto it = std::upper_bound(
      module.functions.begin(), module.functions.end(), wasmOffset,
      [](uint32_t offset, const wasm::Function &f) { return offset < f.bodyOffset; });
  if (it == module.functions.begin()) return fallback;
  --it;
  if (wasmOffset >= it->bodyEnd) return fallback;
  return module.numImportedFuncs + uint32_t(it - module.functions.begin());
}

} // namespace

Expected<SourceMapPart> buildSourceMap(const std::vector<char> &object, const wasm::Module &module,
                                       uint32_t first, uint32_t end) {
  auto buffer = llvm::MemoryBufferRef(llvm::StringRef(object.data(), object.size()), "guest.o");
  auto objectFile = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!objectFile)
    return Error::format("internal compiler error: cannot read the generated object: {}",
                         llvm::toString(objectFile.takeError()));

  // Each defined function of [first, end) this object has: where its
  // symbol says its code is, sorted by section and address.
  struct Range {
    uint64_t section, begin, end;
    uint32_t definedIndex;
  };
  std::vector<Range> ranges;
  std::string_view prefix = abi::FunctionSymbolPrefix;
  for (const auto &symbol : (*objectFile)->symbols()) {
    auto name = symbol.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (!name->starts_with(prefix)) continue;
    uint32_t index = 0;
    if (name->drop_front(prefix.size()).getAsInteger(10, index)) continue;
    if (index < module.numImportedFuncs + first || index >= module.numImportedFuncs + end) continue;
    auto section = symbol.getSection();
    auto address = symbol.getAddress();
    if (!section || !address) {
      std::string why = llvm::toString(section ? address.takeError() : section.takeError());
      if (!section) llvm::consumeError(section.takeError());
      if (!address) llvm::consumeError(address.takeError());
      return Error::format("internal compiler error: cannot read symbol {}: {}", name->str(), why);
    }
    if (*section == (*objectFile)->section_end()) continue;
    uint64_t size = llvm::object::ELFSymbolRef(symbol).getSize();
    ranges.push_back(
        {(*section)->getIndex(), *address, *address + size, index - module.numImportedFuncs});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) {
    return std::tie(a.section, a.begin) < std::tie(b.section, b.begin);
  });
  // The function whose code holds an address, if any.
  auto functionAt = [&](uint64_t section, uint64_t address) -> const Range * {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), std::pair(section, address),
                               [](const std::pair<uint64_t, uint64_t> &key, const Range &r) {
                                 return key < std::pair(r.section, r.begin);
                               });
    if (it == ranges.begin()) return nullptr;
    --it;
    if (it->section != section || address >= it->end) return nullptr;
    return &*it;
  };

  struct Row {
    uint32_t definedIndex;
    abi::SourceMapEntry entry;
    size_t order; // in the line table
  };
  std::vector<Row> rows;
  auto dwarf = llvm::DWARFContext::create(**objectFile);
  for (const auto &unit : dwarf->compile_units()) {
    const auto *table = dwarf->getLineTableForUnit(unit.get());
    if (!table) continue;
    for (const auto &row : table->Rows) {
      if (row.EndSequence || row.Line == 0) continue;
      const Range *fn = functionAt(row.Address.SectionIndex, row.Address.Address);
      if (!fn) continue;
      uint32_t funcIndex = module.numImportedFuncs + fn->definedIndex;
      rows.push_back({fn->definedIndex,
                      {uint32_t(row.Address.Address - fn->begin), row.Line,
                       functionContaining(module, row.Line, funcIndex)},
                      rows.size()});
    }
  }
  // Of several rows at one address the line table's last one is kept.
  std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
    return std::tie(a.definedIndex, a.entry.codeOffset, a.order) <
           std::tie(b.definedIndex, b.entry.codeOffset, b.order);
  });
  SourceMapPart part;
  part.first = first;
  part.sizes.assign(end - first, 0);
  ByteWriter stream;
  std::vector<abi::SourceMapEntry> entries;
  for (size_t r = 0; r < rows.size();) {
    uint32_t definedIndex = rows[r].definedIndex;
    entries.clear();
    for (; r < rows.size() && rows[r].definedIndex == definedIndex; ++r) {
      if (!entries.empty() && entries.back().codeOffset == rows[r].entry.codeOffset)
        entries.back() = rows[r].entry;
      else
        entries.push_back(rows[r].entry);
    }
    size_t before = stream.bytes.size();
    abi::encodeSourceMapFunction(entries, module.numImportedFuncs + definedIndex, stream);
    part.sizes[definedIndex - first] = stream.bytes.size() - before;
  }
  part.stream = std::move(stream.bytes);
  return part;
}

Expected<std::vector<char>> emitSourceMapObject(uint32_t numFunctions,
                                                std::vector<SourceMapPart> parts) {
  uint64_t streamBytes = 0;
  for (const auto &part : parts) streamBytes += part.stream.size();
  std::vector<uint8_t> image(abi::sourceMapBytes(numFunctions, 0));
  image.reserve(abi::sourceMapBytes(numFunctions, streamBytes));
  abi::SourceMapHeader header{numFunctions, 0, streamBytes};
  std::memcpy(image.data(), &header, sizeof header);
  uint64_t start = 0;
  uint32_t next = 0; // the next function whose start is not written yet
  auto setStart = [&](uint32_t definedIndex, uint64_t value) {
    std::memcpy(image.data() + sizeof header + 8 * uint64_t(definedIndex), &value, 8);
  };
  for (auto &part : parts) {
    for (; next < part.first; ++next) setStart(next, start); // functions without entries
    for (uint64_t size : part.sizes) {
      setStart(next++, start);
      start += size;
    }
    image.insert(image.end(), part.stream.begin(), part.stream.end());
    part = SourceMapPart(); // free it
  }
  for (; next <= numFunctions; ++next) setStart(next, start);

  llvm::LLVMContext context;
  llvm::Module module("source-map", context);
  auto *init = llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint8_t>(image));
  image = {};
  auto *global =
      new llvm::GlobalVariable(module, init->getType(), true, llvm::GlobalValue::ExternalLinkage,
                               init, abi::SourceMapSymbol);
  global->setAlignment(llvm::Align(8));
  return generateObject(module, 0, {});
}

std::vector<uint8_t> encodeSourceMapPart(const SourceMapPart &part) {
  ByteWriter w;
  w.uleb(part.first);
  w.uleb(part.sizes.size());
  for (uint64_t size : part.sizes) w.uleb(size);
  w.bytes.insert(w.bytes.end(), part.stream.begin(), part.stream.end());
  return std::move(w.bytes);
}

Expected<SourceMapPart> decodeSourceMapPart(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  SourceMapPart part;
  LUCET_ASSIGN_OR_RETURN(first, r.readVarU32());
  LUCET_ASSIGN_OR_RETURN(count, r.readVarU64());
  if (count > r.remaining()) return Error("source map part: more functions than bytes");
  part.first = first;
  part.sizes.reserve(count);
  uint64_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    LUCET_ASSIGN_OR_RETURN(size, r.readVarU64());
    part.sizes.push_back(size);
    total += size;
  }
  if (total != r.remaining()) return Error("source map part: sizes do not add up to its stream");
  LUCET_ASSIGN_OR_RETURN(stream, r.readBytes(r.remaining()));
  part.stream.assign(stream.begin(), stream.end());
  return part;
}

} // namespace lucet::compiler
