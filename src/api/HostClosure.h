#pragma once

// A host function defined through the public API, bound to native code the
// guest can call. The runtime's calling convention passes only the caller's
// VMContext, so each closure owns a slot whose thunk has its own address
// and finds the closure through it.

#include "lucet/linker.hh"
#include "lucet/value.hh"
#include "runtime/HostFunction.h"
#include "support/Expected.h"

#include <memory>

namespace lucet::api {

class HostClosure {
public:
  // Fails when the slots are used up or the type is not supported (see
  // Linker::defineFunc).
  static Expected<std::shared_ptr<HostClosure>> create(FuncType type, HostCallback callback);
  ~HostClosure();
  HostClosure(const HostClosure &) = delete;
  HostClosure &operator=(const HostClosure &) = delete;

  const FuncType &type() const { return type_; }
  const HostCallback &callback() const { return callback_; }
  // What the runtime binds an import to.
  const rt::HostFunction &hostFunction() const { return hostFunction_; }

private:
  HostClosure(FuncType type, HostCallback callback, unsigned slot);
  FuncType type_;
  HostCallback callback_;
  unsigned slot_;
  rt::HostFunction hostFunction_;
};

} // namespace lucet::api
