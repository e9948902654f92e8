// lucet::WasiOutput: the public face of wasi::OutputCapture.
#include "api/WasiContextFromConfig.h"
#include "lucet/wasi.hh"

namespace lucet {

WasiOutput::WasiOutput() : impl_(std::make_shared<Impl>()) {}

std::string WasiOutput::contents() const {
  return impl_->capture->contents();
}

} // namespace lucet
