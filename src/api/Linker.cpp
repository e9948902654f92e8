#include "api/ApiImpl.h"

namespace lucet {

Linker::Linker() : impl_(std::make_shared<Impl>()) {}
Linker::~Linker() = default;
Linker::Linker(const Linker &) = default;
Linker &Linker::operator=(const Linker &) = default;

Result<void> Linker::defineFunc(const std::string &module, const std::string &name, FuncType type,
                                HostCallback callback) {
  auto closure = api::HostClosure::create(std::move(type), std::move(callback));
  if (!closure) return ApiError(module + "." + name + ": " + closure.error().message());
  impl_->tags.erase({module, name});
  impl_->functions.insert_or_assign({module, name}, std::move(*closure));
  return {};
}

Result<void> Linker::defineTag(const std::string &module, const std::string &name, const Tag &tag) {
  impl_->functions.erase({module, name});
  impl_->tags.insert_or_assign({module, name}, tag);
  return {};
}

} // namespace lucet
