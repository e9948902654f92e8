#pragma once

// An instance of a module: its own linear memory, globals, tables and stack.
// Running an export returns how it ended: values, a trap or a WASI exit
// code. A trap ends only that call; other instances are unaffected.

#include "lucet/error.hh"
#include "lucet/export.h"
#include "lucet/linker.hh"
#include "lucet/module.hh"
#include "lucet/value.hh"
#include "lucet/wasi.hh"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lucet {

// Sizes in bytes, multiples of 4 KiB.
struct InstanceLimits {
  uint64_t heapSize = 4ull << 30;         // memory.grow never goes past this
  uint64_t heapAddressSpace = 8ull << 30; // reserved: accessible heap + guard
  uint64_t stackSize = 8ull << 20;        // guest stack, plus a guard page
};

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
};
// "out of bounds memory access", "unreachable", ...
LUCET_API const char *trapKindText(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string function;              // name, or "func[N]"; empty outside guest code
  std::optional<uint32_t> funcIndex; // absent outside guest code
  std::optional<uint32_t> wasmOffset;
  std::string message; // a host function's reason, for HostError
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
  InstanceLimits limits;
  // When set, wasi_snapshot_preview1 (and wasi_unstable) imports are bound
  // to a WASI context built from it; names the Linker defines take
  // precedence.
  std::optional<WasiConfig> wasi;
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
