#pragma once

// The C API's opaque types: each holds its C++ counterpart.

#include "lucet.h"
#include "lucet/lucet.hh"

#include <string>

struct lucet_error {
  std::string message;
};

struct lucet_module {
  lucet::Module module;
};

struct lucet_linker {
  lucet::Linker linker;
};

struct lucet_tag {
  lucet::Tag tag;
};

struct lucet_instance {
  lucet::Instance instance;
  // Storage for the strings of the last lucet_run_result_t.
  std::string trapFunction;
  std::string trapMessage;
};

struct lucet_region {
  lucet::Region region;
};

struct lucet_interrupt_handle {
  lucet::InterruptHandle handle;
};

struct lucet_wasi_config {
  lucet::WasiConfig config;
};

namespace lucet::capi {

inline lucet_error_t *makeError(std::string message) {
  return new lucet_error{std::move(message)};
}

// lucet_instance_new, lucet_instance_new_wasi and the region variants.
lucet_error_t *newInstance(const lucet_module_t *module, const lucet_linker_t *linker,
                           const lucet_instance_limits_t *limits, const WasiConfig *wasi,
                           lucet_instance_t **out, const lucet_region_t *region = nullptr);

} // namespace lucet::capi
