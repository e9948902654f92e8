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
  impl_->functions.insert_or_assign({module, name}, std::move(*closure));
  return {};
}

} // namespace lucet
