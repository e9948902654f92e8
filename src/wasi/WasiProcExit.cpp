// proc_exit on its own: the one binding that needs the runtime's Instance,
// so code that never registers the bindings does not have to link it.

#include "runtime/Instance.h"
#include "wasi/WasiBindings.h"

namespace lucet::wasi::preview1 {

// Nothing with a destructor is alive here: exitFromHost never returns, and
// the guest's stack (this frame included) is abandoned.
Void proc_exit(abi::VMContext *vmctx, I32 code) noexcept {
  rt::Instance::exitFromHost(vmctx, static_cast<uint32_t>(code));
}

} // namespace lucet::wasi::preview1
