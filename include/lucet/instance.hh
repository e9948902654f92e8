#pragma once

// An instance of a module: its own linear memory, globals, tables and stack.
// Running an export returns how it ended: values, a trap or a WASI exit
// code. A trap ends only that call; other instances are unaffected.

#include "lucet/error.hh"
#include "lucet/export.h"
#include "lucet/limits.hh"
#include "lucet/linker.hh"
#include "lucet/module.hh"
#include "lucet/region.hh"
#include "lucet/tag.hh"
#include "lucet/value.hh"
#include "lucet/wasi.hh"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet {

// The values match the runtime's trap codes.
enum class TrapKind : uint32_t {
  OutOfBounds = 1,
  StackOverflow,
  Unreachable,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversion,
  TableOutOfBounds,
  IndirectCallNull,
  IndirectCallTypeMismatch,
  TableAccessOutOfBounds,
  NullReference,
  Interrupted,
  HostError,
  NullFunctionReference,
  UncaughtException, // a wasm exception left the guest; `message` names its tag
};
// "out of bounds memory access", "unreachable", ...
LUCET_API const char *trapKindText(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string function;              // name, or "func[N]"; empty outside guest code
  std::optional<uint32_t> funcIndex; // absent outside guest code
  std::optional<uint32_t> wasmOffset;
  std::string message; // a host function's reason (HostError), the tag (UncaughtException)
  // "out of bounds memory access in foo at wasm offset 0x1a2"
  LUCET_API std::string describe() const;
};

struct Outcome {
  enum class Kind { Returned, Trapped, Exited };
  Kind kind = Kind::Returned;
  std::vector<Val> values; // Returned
  Trap trap;               // Trapped
  uint32_t exitCode = 0;   // Exited

  bool returned() const { return kind == Kind::Returned; }
  bool trapped() const { return kind == Kind::Trapped; }
  bool exited() const { return kind == Kind::Exited; }
};

struct InstanceOptions {
  // Ignored when `region` is set: the region's limits apply.
  InstanceLimits limits;
  // Create the instance in a free slot of this region (region.hh): fast,
  // and an error when every slot is in use.
  std::optional<Region> region;
  // When set, wasi_snapshot_preview1 (and wasi_unstable) imports are bound
  // to a WASI context built from it; names the Linker defines take
  // precedence.
  std::optional<WasiConfig> wasi;
};

// Stops an instance's run from any thread: a kill switch. The run ends with
// an Interrupted trap as soon as the guest is in its own code (at once when
// it computes; a host function it is in is left to finish, and one blocked
// in a system call sees EINTR). Without a run in progress, the next run
// stops before it starts. Copies share the instance's switch, and using one
// after the instance is gone is harmless. The runtime interrupts the
// running thread with SIGURG.
class LUCET_API InterruptHandle {
public:
  void terminate() const;

  struct Impl;
  explicit InterruptHandle(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

private:
  std::shared_ptr<Impl> impl_;
};

class LUCET_API Instance {
public:
  // Binds every import (an unknown one is an error naming it), sets up
  // memory and runs the start function.
  static Result<Instance> create(const Module &module, const Linker &linker,
                                 const InstanceOptions &options = {});
  static Result<Instance> create(const Module &module, const InstanceOptions &options = {});

  Instance(Instance &&) noexcept;
  Instance &operator=(Instance &&) noexcept;
  ~Instance();

  // Errors (not traps): no such export, or arguments of the wrong types.
  Result<Outcome> run(const std::string &exportName, std::span<const Val> args = {});
  Result<Outcome> run(const std::string &exportName, std::initializer_list<Val> args) {
    return run(exportName, std::span<const Val>(args.begin(), args.size()));
  }
  // With a time limit: a run still going after `timeout` ends with an
  // Interrupted trap, as if its InterruptHandle had been used.
  Result<Outcome> run(const std::string &exportName, std::span<const Val> args,
                      std::chrono::nanoseconds timeout);

  // Back to the state creation left: initial memory, globals and tables, a
  // fresh WASI context, the start function run again. In a region it stays
  // in its slot and costs about as much as a new instance there. Fails while
  // another instance shares this one's memory, a table or a global.
  Result<void> reset();

  InterruptHandle interruptHandle() const;

  // The exported global `name`'s value, if there is such a global.
  std::optional<Val> global(const std::string &name) const;
  // Sets a mutable exported global; an error for an unknown, immutable or
  // differently typed one.
  Result<void> setGlobal(const std::string &name, const Val &value);

  // The exported tag `name`, for host functions to throw (tag.hh); nullopt
  // without such a tag, or when a parameter of it is not a number.
  std::optional<Tag> tag(const std::string &name) const;

  const Module &module() const;
  // The instance's linear memory (empty without one). Valid until the next
  // run, which may grow it.
  std::span<uint8_t> memory() const;

  struct Impl;

private:
  explicit Instance(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace lucet
