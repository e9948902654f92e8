#include "compiler/SourceMapBuilder.h"

#include "abi/ModuleRecord.h"
#include "compiler/CodeGenerator.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ObjectFile.h>

#include <algorithm>
#include <map>

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

Expected<std::vector<abi::SourceMapEntry>> buildSourceMap(const std::vector<char> &object,
                                                          const wasm::Module &module) {
  auto buffer = llvm::MemoryBufferRef(llvm::StringRef(object.data(), object.size()), "guest.o");
  auto objectFile = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!objectFile)
    return Error::format("internal compiler error: cannot read the generated object: {}",
                         llvm::toString(objectFile.takeError()));

  // Section index -> function index, from the per-function section names.
  std::map<uint64_t, uint32_t> sectionFunction;
  std::string prefix = std::string(".text.") + abi::FunctionSymbolPrefix;
  for (const auto &section : (*objectFile)->sections()) {
    auto name = section.getName();
    if (!name || !name->starts_with(prefix)) continue;
    uint32_t index = 0;
    if (name->drop_front(prefix.size()).getAsInteger(10, index)) continue;
    sectionFunction[section.getIndex()] = index;
  }

  std::vector<abi::SourceMapEntry> entries;
  auto dwarf = llvm::DWARFContext::create(**objectFile);
  for (const auto &unit : dwarf->compile_units()) {
    const auto *table = dwarf->getLineTableForUnit(unit.get());
    if (!table) continue;
    for (const auto &row : table->Rows) {
      if (row.EndSequence || row.Line == 0) continue;
      auto it = sectionFunction.find(row.Address.SectionIndex);
      if (it == sectionFunction.end()) continue;
      entries.push_back({it->second, uint32_t(row.Address.Address), row.Line,
                         functionContaining(module, row.Line, it->second)});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
    return a.funcIndex != b.funcIndex ? a.funcIndex < b.funcIndex : a.codeOffset < b.codeOffset;
  });
  // Keep one entry per address: the last row the line table gives for it.
  std::vector<abi::SourceMapEntry> unique;
  for (const auto &e : entries) {
    if (!unique.empty() && unique.back().funcIndex == e.funcIndex &&
        unique.back().codeOffset == e.codeOffset)
      unique.back() = e;
    else
      unique.push_back(e);
  }
  return unique;
}

Expected<std::vector<char>> emitSourceMapObject(const std::vector<abi::SourceMapEntry> &entries) {
  llvm::LLVMContext context;
  llvm::Module module("source-map", context);
  std::vector<uint32_t> words;
  words.push_back(uint32_t(entries.size()));
  words.push_back(0);
  for (const auto &e : entries) {
    words.push_back(e.funcIndex);
    words.push_back(e.codeOffset);
    words.push_back(e.wasmOffset);
    words.push_back(e.wasmFuncIndex);
  }
  auto *init = llvm::ConstantDataArray::get(context, llvm::ArrayRef<uint32_t>(words));
  auto *global =
      new llvm::GlobalVariable(module, init->getType(), true, llvm::GlobalValue::ExternalLinkage,
                               init, abi::SourceMapSymbol);
  global->setAlignment(llvm::Align(8));
  return generateObject(module, 0, {});
}

} // namespace lucet::compiler
