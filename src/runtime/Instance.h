#pragma once

#include "abi/InstanceContext.h"
#include "runtime/GuestMemory.h"
#include "runtime/HostFunction.h"
#include "runtime/LoadedModule.h"
#include "runtime/Trap.h"
#include "support/Expected.h"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace lucet::rt {

struct InstanceLimits {
  uint64_t heapAddressSpace = 8ull << 30; // reserved per instance: accessible heap + guard
  uint64_t maxHeapSize = 4ull << 30;      // memory.grow never goes past this
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page below it
};

// A wasm value crossing the host/guest boundary.
struct Value {
  uint8_t type = 0x7f; // wasm value type code
  std::array<uint8_t, 16> bytes = {};

  static Value i32(int32_t v);
  static Value i64(int64_t v);
  static Value f32(float v);
  static Value f64(double v);
  int32_t asI32() const;
  int64_t asI64() const;
  float asF32() const;
  double asF64() const;
};

// How a call into the guest ended.
struct RunResult {
  enum class Kind { Returned, Trapped, Exited };
  Kind kind = Kind::Returned;
  std::vector<Value> values; // Returned
  Trap trap;                 // Trapped
  uint32_t exitCode = 0;     // Exited (WASI proc_exit)
};

// An instantiated module: its memory, globals, tables and stack. Created
// with all imports bound; runs exports on its own stack, turning faults and
// explicit traps into RunResult::Trapped.
class Instance {
public:
  static Expected<std::unique_ptr<Instance>> create(std::shared_ptr<const LoadedModule> module,
                                                    const HostFunctionRegistry &hostFunctions,
                                                    const InstanceLimits &limits);
  ~Instance();
  Instance(const Instance &) = delete;
  Instance &operator=(const Instance &) = delete;

  // Calls an exported function. Fails (as an Error, before running anything)
  // when there is no such export or the arguments do not match its type.
  Expected<RunResult> run(const std::string &exportName, std::span<const Value> args = {});
  // The same for any function index (imports first), exported or not.
  Expected<RunResult> call(uint32_t funcIndex, std::span<const Value> args = {});

  const LoadedModule &module() const;
  GuestMemory memory() const;

  // The embedder's pointer, reachable from host functions through
  // abi::VMContext::hostData (WASI keeps its WasiCtx there).
  void setHostData(void *data);
  void *hostData() const;

  static Instance *fromVMContext(abi::VMContext *vmctx) {
    return static_cast<Instance *>(vmctx->instance);
  }

  // For host functions: end the running guest with an exit code (WASI
  // proc_exit) or a trap. Neither returns; see HostFunction.h.
  [[noreturn]] static void exitFromHost(abi::VMContext *vmctx, uint32_t exitCode);
  [[noreturn]] static void trapFromHost(abi::VMContext *vmctx, abi::TrapCode code,
                                        const char *message);

  struct State;
  // The runtime's own view of the instance (State is defined privately).
  State &state() { return *state_; }

private:
  explicit Instance(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

} // namespace lucet::rt
