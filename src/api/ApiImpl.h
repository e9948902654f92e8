#pragma once

// The private halves of the public classes, shared by the C++ and C API
// implementations.

#include "api/HostClosure.h"
#include "lucet/instance.hh"
#include "lucet/linker.hh"
#include "lucet/module.hh"
#include "lucet/region.hh"
#include "lucet/tag.hh"
#include "runtime/Instance.h"
#include "runtime/InterruptState.h"
#include "runtime/LoadedModule.h"
#include "runtime/Region.h"
#include "wasi/WasiCtx.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lucet {

struct Module::Impl {
  std::shared_ptr<const rt::LoadedModule> loaded;
};

struct Linker::Impl {
  std::map<std::pair<std::string, std::string>, std::shared_ptr<api::HostClosure>> functions;
  std::map<std::pair<std::string, std::string>, Tag> tags;
};

struct Tag::Impl {
  std::string name;
  std::vector<ValType> params;
  std::shared_ptr<rt::Tag> tag;
  // A runtime tag as the API sees it; nullopt when a parameter is not a
  // number (the API's values are numbers only).
  static std::optional<Tag> wrap(const std::shared_ptr<rt::Tag> &tag, std::string name);
};

struct Region::Impl {
  std::shared_ptr<rt::Region> region;
  InstanceLimits limits;
};

struct InterruptHandle::Impl {
  std::shared_ptr<rt::InterruptState> state;
};

struct Instance::Impl {
  Module module;
  std::optional<WasiConfig> wasiConfig; // rebuilt into `wasi` by reset()
  // Keep the bound host functions' thunk slots alive as long as the guest
  // can call them, whatever happens to the Linker.
  std::vector<std::shared_ptr<api::HostClosure>> hostFunctions;
  std::unique_ptr<wasi::WasiCtx> wasi; // declared before `instance`: outlives it
  std::unique_ptr<rt::Instance> instance;
};

} // namespace lucet
