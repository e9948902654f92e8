#include "runtime/ImportResolver.h"

#include "runtime/Instance.h"

namespace lucet::rt {

void Linker::defineInstance(const std::string &module, const Instance &instance) {
  for (const auto &e : instance.module().metadata().exports)
    if (auto value = instance.exportNamed(e.name)) define(module, e.name, std::move(*value));
}

std::optional<Extern> Linker::resolve(const std::string &module, const std::string &name) const {
  auto it = externs_.find({module, name});
  if (it != externs_.end()) return it->second;
  return fallback_ ? fallback_->resolve(module, name) : std::nullopt;
}

} // namespace lucet::rt
