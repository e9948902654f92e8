#include "tools/lucet-spectest/ModuleCache.h"

#include "compiler/Compiler.h"
#include "support/FileIO.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

namespace lucet::spectest {
namespace {

Expected<std::string> readContent(const std::string &path) {
  LUCET_ASSIGN_OR_RETURN(bytes, readFile(path));
  return std::string(bytes.begin(), bytes.end());
}

} // namespace

Expected<ModuleCache::Keyed> ModuleCache::entryFor(const std::string &wasmPath) {
  LUCET_ASSIGN_OR_RETURN(content, readContent(wasmPath));
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(content);
  if (inserted)
    it->second.soPath =
        (std::filesystem::path(dir_) /
         fmt::format("m{}-{:016x}.so", entries_.size(), std::hash<std::string>()(content)))
            .string();
  return Keyed{&it->first, &it->second};
}

void ModuleCache::compileEntry(const std::string &content, Entry &entry) {
  Status status = compiler::compileBytes(
      std::vector<uint8_t>(content.begin(), content.end()),
      std::filesystem::path(entry.soPath).stem().string() + ".wasm", entry.soPath, options_);
  if (!status) entry.compileError = status.error();
  entry.compiled = true;
}

void ModuleCache::precompile(const std::vector<std::string> &wasmPaths) {
  // Map nodes never move, so workers use the keys and entries without the
  // lock; each entry is compiled by one worker.
  std::vector<Keyed> work;
  std::set<Entry *> queued;
  for (const auto &path : wasmPaths) {
    auto keyed = entryFor(path);
    if (keyed && !keyed->entry->compiled && queued.insert(keyed->entry).second)
      work.push_back(*keyed);
  }
  std::atomic<size_t> next = 0;
  auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++)
      compileEntry(*work[i].content, *work[i].entry);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs_ && t < work.size(); ++t) threads.emplace_back(worker);
  worker();
  for (auto &t : threads) t.join();
}

Status ModuleCache::compile(const std::string &wasmPath) {
  LUCET_ASSIGN_OR_RETURN(keyed, entryFor(wasmPath));
  if (!keyed.entry->compiled) compileEntry(*keyed.content, *keyed.entry);
  if (keyed.entry->compileError) return *keyed.entry->compileError;
  return Status::ok();
}

Expected<std::shared_ptr<const rt::LoadedModule>> ModuleCache::load(const std::string &wasmPath) {
  LUCET_TRY(compile(wasmPath));
  LUCET_ASSIGN_OR_RETURN(keyed, entryFor(wasmPath));
  Entry *entry = keyed.entry;
  if (!entry->loaded) {
    LUCET_ASSIGN_OR_RETURN(module, rt::LoadedModule::load(entry->soPath));
    entry->loaded = std::move(module);
  }
  return entry->loaded;
}

} // namespace lucet::spectest
