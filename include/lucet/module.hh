#pragma once

// A module compiled by lucetc (a .so), loaded and checked. Loading never runs
// guest code; instances are made from it (instance.hh). Copies share the
// loaded code, which stays mapped while any copy or instance lives.

#include "lucet/error.hh"
#include "lucet/export.h"
#include "lucet/value.hh"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucet {

enum class ExternKind : uint8_t { Func, Table, Memory, Global, Tag };

struct ImportType {
  std::string module;
  std::string name;
  ExternKind kind;
  FuncType type; // Func only
};

struct ExportType {
  std::string name;
  ExternKind kind;
  FuncType type; // Func only
};

class LUCET_API Module {
public:
  // Errors name the file and say what is wrong ("No such file or
  // directory", "not a lucetc artifact", an ABI mismatch, ...).
  static Result<Module> load(const std::string &soPath);

  const std::string &path() const;
  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  // The type of the exported function `name`, if there is one.
  std::optional<FuncType> exportedFunc(const std::string &name) const;

  struct Impl;
  const Impl &impl() const { return *impl_; }

private:
  explicit Module(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

} // namespace lucet
