#pragma once

// Host functions that guests import. A host function is native code with the
// guest calling convention of abi::FuncRef: it takes the calling instance's
// abi::VMContext* first, then the wasm parameters as C types
// (i32 -> int32_t, i64 -> int64_t, f32 -> float, f64 -> double), and
// returns void or the single result.
//
// Host functions run on the guest's stack. They must not throw, and before
// they end the guest (Instance::exitFromHost / trapFromHost, which never
// return) they must have no live objects with destructors.

#include "abi/InstanceContext.h"
#include "abi/Metadata.h"

#include <map>
#include <string>
#include <utility>

namespace lucet::rt {

struct HostFunction {
  abi::FuncTypeDesc type;
  void *code = nullptr;
};

// The set of host functions an instance may import, by (module, name).
// Instances bind their imports from it when they are created; a module that
// imports a function nobody defined is refused then, naming the import.
class HostFunctionRegistry {
public:
  void define(const std::string &module, const std::string &name, HostFunction function) {
    functions_[{module, name}] = std::move(function);
  }
  const HostFunction *find(const std::string &module, const std::string &name) const {
    auto it = functions_.find({module, name});
    return it == functions_.end() ? nullptr : &it->second;
  }

private:
  std::map<std::pair<std::string, std::string>, HostFunction> functions_;
};

} // namespace lucet::rt
