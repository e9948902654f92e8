#pragma once

#include "abi/InstanceContext.h"
#include "runtime/Extern.h"
#include "runtime/GuestMemory.h"
#include "runtime/HostFunction.h"
#include "runtime/InstanceLimits.h"
#include "runtime/LoadedModule.h"
#include "runtime/Trap.h"
#include "runtime/Value.h"
#include "support/Expected.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace lucet::rt {

// How a call into the guest ended.
struct RunResult {
  enum class Kind { Returned, Trapped, Exited };
  Kind kind = Kind::Returned;
  std::vector<Value> values; // Returned
  Trap trap;                 // Trapped
  uint32_t exitCode = 0;     // Exited (WASI proc_exit)
};

class ImportResolver;
class InterruptState;
class Region;
struct Instantiation;

struct InstantiateOptions {
  // Ignored when `region` is set: the region's limits apply.
  InstanceLimits limits;
  // Create the instance in a free slot of this region.
  std::shared_ptr<Region> region;
  // Set before the start function runs (see setHostData).
  void *hostData = nullptr;
};

// An instantiated module: its memory, globals, tables and stack. Created
// with all imports bound; runs exports on its own stack, turning faults and
// explicit traps into RunResult::Trapped.
class Instance {
public:
  // Binds every import through `imports` (checking its type), sets up
  // memory, tables and globals, applies segments and runs the start
  // function.
  static Instantiation instantiate(std::shared_ptr<const LoadedModule> module,
                                   const ImportResolver &imports, const InstanceLimits &limits);
  static Instantiation instantiate(std::shared_ptr<const LoadedModule> module,
                                   const ImportResolver &imports,
                                   const InstantiateOptions &options);
  // The same, for embedders that only need success or an error.
  static Expected<std::unique_ptr<Instance>> create(std::shared_ptr<const LoadedModule> module,
                                                    const ImportResolver &imports,
                                                    const InstanceLimits &limits);
  static Expected<std::unique_ptr<Instance>> create(std::shared_ptr<const LoadedModule> module,
                                                    const HostFunctionRegistry &hostFunctions,
                                                    const InstanceLimits &limits);
  ~Instance();
  Instance(const Instance &) = delete;
  Instance &operator=(const Instance &) = delete;

  // Calls an exported function. Fails (as an Error, before running anything)
  // when there is no such export or the arguments do not match its type.
  // With a deadline (CLOCK_MONOTONIC nanoseconds, 0 for none) a run still
  // going then ends with an Interrupted trap.
  Expected<RunResult> run(const std::string &exportName, std::span<const Value> args = {},
                          uint64_t deadline = 0);
  // The same for any function index (imports first), exported or not.
  Expected<RunResult> call(uint32_t funcIndex, std::span<const Value> args = {},
                           uint64_t deadline = 0);

  // Puts the instance back in the state instantiation left it in: initial
  // memory, globals and tables, segments applied again and the start
  // function run again. Imports stay bound. Refused while running, and when
  // another instance shares this one's memory, a table or a global.
  Status reset();

  // Stops this instance's run from any thread (see InterruptState.h). Lives
  // as long as any holder, so a watchdog may keep it past the instance.
  std::shared_ptr<InterruptState> interruptState() const;

  // The export called `name` as an extern value another instance can import.
  std::optional<Extern> exportNamed(const std::string &name) const;

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
  // For host functions, just before returning to the guest: ends the run
  // with an Interrupted trap if it was asked to stop meanwhile (kill switch
  // or deadline). Hold no objects with destructors when calling it.
  static void stopIfInterrupted();
  // For host functions, first thing: ends the run with a StackOverflow trap
  // when the guest left too little stack for host code (see GuestCall.h).
  // Hold no objects with destructors when calling it.
  static void ensureHostStackHeadroom();

  struct State;
  // The runtime's own view of the instance (State is defined privately).
  State &state() { return *state_; }

private:
  explicit Instance(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Why instantiation failed, for embedders that must tell the cases apart
// (the spec tests distinguish unlinkable from uninstantiable modules).
enum class InstantiationFailure {
  None,
  Link,  // an import is missing or has an incompatible type
  Trap,  // a segment did not fit or the start function trapped
  Other, // resources or limits
};

struct Instantiation {
  // Set on success, and also when initialization trapped: by then segments
  // may have stored references to the instance's functions in imported
  // tables, so it must live as long as those tables can be used.
  std::unique_ptr<Instance> instance;
  InstantiationFailure failure = InstantiationFailure::None;
  std::optional<Error> error;
  abi::TrapCode trap = abi::TrapCode::None; // for Trap
};

} // namespace lucet::rt
