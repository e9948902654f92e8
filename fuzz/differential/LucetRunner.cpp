#include "LucetRunner.h"

#include "ModuleGenerator.h"

#include "lucet/compile.hh"
#include "lucet/instance.hh"
#include "lucet/module.hh"

#include <chrono>

namespace lucet::fuzz {

Result<LucetRun> runWithLucet(std::span<const uint8_t> wasm, unsigned optLevel,
                              const std::string &soPath, bool boundsChecked) {
  CompileOptions options;
  options.optLevel = optLevel;
  if (boundsChecked) options.reservedSize = options.guardSize = 1ull << 30;
  auto compiled = compileBytes(wasm, soPath, options);
  if (!compiled)
    return ApiError("compile at -O" + std::to_string(optLevel) + ": " + compiled.error().message());
  auto module = Module::load(soPath);
  if (!module) return ApiError("load: " + module.error().message());
  auto instance = Instance::create(*module);
  if (!instance) return ApiError("instantiate: " + instance.error().message());

  LucetRun run;
  run.plan = planCalls(*module);
  for (auto &[name, type] : run.plan.globals)
    if (auto value = instance->global(name)) type = value->type();

  for (const PlannedCall &call : run.plan.calls) {
    auto fuel = instance->setGlobal(FuelExportName, Val(DefaultFuel));
    if (!fuel) return ApiError("set fuel: " + fuel.error().message());
    // Fuel bounds every call; the timeout only turns a compiler bug that
    // loops into an error instead of a hang.
    auto outcome = instance->run(call.function, call.args, std::chrono::seconds(5));
    if (!outcome) return ApiError(describeCall(call) + ": " + outcome.error().message());
    Observation o;
    if (outcome->trapped()) {
      o.trapped = true;
      o.trap = outcome->trap.kind;
    } else if (outcome->returned()) {
      o.results = outcome->values;
    } else {
      return ApiError(describeCall(call) + ": exited");
    }
    auto memory = instance->memory();
    o.memoryPages = memory.size() / 65536;
    o.memoryHash = memoryHash(memory);
    for (const auto &[name, type] : run.plan.globals)
      if (auto value = instance->global(name)) o.globals.emplace_back(name, *value);
    run.observations.push_back(std::move(o));
  }
  return run;
}

} // namespace lucet::fuzz
