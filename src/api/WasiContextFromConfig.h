#pragma once

// Turns the public WasiConfig into a WASI context for one instance, opening
// everything it names (stdio files, preopened directories).

#include "lucet/wasi.hh"
#include "support/Expected.h"
#include "wasi/StdioStream.h"
#include "wasi/WasiCtx.h"

#include <memory>

namespace lucet {

struct WasiOutput::Impl {
  std::shared_ptr<wasi::OutputCapture> capture = std::make_shared<wasi::OutputCapture>();
};

namespace api {

// Errors name what could not be opened and why ("--dir: /nope: No such file
// or directory", "stdout: /ro/out.txt: Permission denied").
Expected<std::unique_ptr<wasi::WasiCtx>> wasiContextFromConfig(const WasiConfig &config);

} // namespace api
} // namespace lucet
