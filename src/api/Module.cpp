#include "api/ApiImpl.h"

namespace lucet {
namespace {

FuncType toFuncType(const abi::FuncTypeDesc &desc) {
  FuncType type;
  for (const auto &t : desc.params) type.params.push_back(ValType(t.code));
  for (const auto &t : desc.results) type.results.push_back(ValType(t.code));
  return type;
}

ExternKind toExternKind(abi::ExternKindCode code) {
  switch (code) {
  case abi::ExternKindCode::Func:
    return ExternKind::Func;
  case abi::ExternKindCode::Table:
    return ExternKind::Table;
  case abi::ExternKindCode::Memory:
    return ExternKind::Memory;
  case abi::ExternKindCode::Global:
    return ExternKind::Global;
  case abi::ExternKindCode::Tag:
    return ExternKind::Tag;
  }
  return ExternKind::Func;
}

} // namespace

Result<Module> Module::load(const std::string &soPath) {
  auto loaded = rt::LoadedModule::load(soPath);
  if (!loaded) return ApiError(loaded.error().message());
  return Module(std::make_shared<const Impl>(Impl{std::move(*loaded)}));
}

const std::string &Module::path() const {
  return impl_->loaded->path();
}

std::vector<ImportType> Module::imports() const {
  const abi::Metadata &m = impl_->loaded->metadata();
  std::vector<ImportType> result;
  for (const auto &imp : m.imports) {
    ImportType t{imp.module, imp.name, toExternKind(imp.kind), {}};
    if (imp.kind == abi::ExternKindCode::Func) t.type = toFuncType(m.types[imp.typeIndex]);
    result.push_back(std::move(t));
  }
  return result;
}

std::vector<ExportType> Module::exports() const {
  const rt::LoadedModule &loaded = *impl_->loaded;
  std::vector<ExportType> result;
  for (const auto &exp : loaded.metadata().exports) {
    ExportType t{exp.name, toExternKind(exp.kind), {}};
    if (exp.kind == abi::ExternKindCode::Func) t.type = toFuncType(loaded.functionType(exp.index));
    result.push_back(std::move(t));
  }
  return result;
}

std::optional<FuncType> Module::exportedFunc(const std::string &name) const {
  for (auto &exp : exports())
    if (exp.kind == ExternKind::Func && exp.name == name) return exp.type;
  return std::nullopt;
}

} // namespace lucet
