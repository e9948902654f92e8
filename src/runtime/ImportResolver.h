#pragma once

#include "runtime/Extern.h"
#include "runtime/HostFunction.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace lucet::rt {

// Where an instance's imports come from: (module, name) to an extern value.
// Instance::create binds every import through one, checking its type.
class ImportResolver {
public:
  virtual ~ImportResolver() = default;
  virtual std::optional<Extern> resolve(const std::string &module,
                                        const std::string &name) const = 0;
};

// Host functions only, as embedders that have just a HostFunctionRegistry
// (WASI) need.
class HostFunctionResolver final : public ImportResolver {
public:
  explicit HostFunctionResolver(const HostFunctionRegistry &registry) : registry_(registry) {}
  std::optional<Extern> resolve(const std::string &module, const std::string &name) const override {
    if (const HostFunction *f = registry_.find(module, name)) return Extern(*f);
    return std::nullopt;
  }

private:
  const HostFunctionRegistry &registry_;
};

class Instance;

// Names extern values for instances to import: host functions, objects the
// embedder made (the spec tests' `spectest` module) and other instances'
// exports. Holds memories, tables and globals alive; instances whose
// functions it names must outlive the instances that import them.
class Linker final : public ImportResolver {
public:
  void define(const std::string &module, const std::string &name, Extern value) {
    externs_.insert_or_assign({module, name}, std::move(value));
  }
  // Every export of `instance`, under `module`.
  void defineInstance(const std::string &module, const Instance &instance);
  // Consulted for names this linker does not define.
  void setFallback(const ImportResolver *fallback) { fallback_ = fallback; }

  std::optional<Extern> resolve(const std::string &module, const std::string &name) const override;

private:
  std::map<std::pair<std::string, std::string>, Extern> externs_;
  const ImportResolver *fallback_ = nullptr;
};

} // namespace lucet::rt
