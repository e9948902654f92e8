#include "tools/lucet-wasi/WasiCommand.h"

#include "runtime/ImportResolver.h"
#include "runtime/Instance.h"
#include "runtime/LoadedModule.h"
#include "text/ModuleFile.h"
#include "tools/lucet-wasi/ModuleCache.h"
#include "wasi/WasiBindings.h"
#include "wasi/WasiCtxBuilder.h"

#include <fmt/format.h>

#include <algorithm>

extern char **environ;

namespace lucet::tools {

namespace {

Expected<std::string> compiledModulePath(const WasiOptions &options) {
  LUCET_ASSIGN_OR_RETURN(kind, text::moduleFileKind(options.modulePath));
  if (kind == text::ModuleFileKind::Other) return options.modulePath; // a compiled .so
  return compileCached(options.modulePath, options.heapAddressSpace);
}

Expected<std::unique_ptr<wasi::WasiCtx>> makeWasiCtx(const WasiOptions &options) {
  std::vector<std::string> argv;
  argv.push_back(options.modulePath);
  argv.insert(argv.end(), options.guestArgs.begin(), options.guestArgs.end());
  wasi::WasiCtxBuilder builder;
  builder.args(std::move(argv)).inheritStdio();
  for (const PreopenDir &dir : options.preopens) builder.preopenDir(dir.hostPath, dir.guestPath);
  for (const wasi::TcpListenAddress &address : options.tcpListeners)
    builder.preopenTcpListener(address);
  for (auto &[key, value] : guestEnvironment(options, environ)) builder.env(key, value);
  return builder.build();
}

// A process exit status has 8 bits. Truncating as a native exit() does would
// turn proc_exit(256) into success, so a status that does not fit becomes
// 255, with a note.
int exitStatusOf(uint32_t guestStatus, WasiOutcome &outcome) {
  if (guestStatus <= 255) return int(guestStatus);
  outcome.note = fmt::format("the guest exited with status {}, which does not fit in an exit "
                             "status (0-255); exiting with 255",
                             guestStatus);
  return 255;
}

} // namespace

Expected<WasiOutcome> runWasiCommand(const WasiOptions &options) {
  LUCET_ASSIGN_OR_RETURN(soPath, compiledModulePath(options));
  LUCET_ASSIGN_OR_RETURN(module, rt::LoadedModule::load(soPath));
  rt::HostFunctionRegistry registry;
  wasi::addWasiSnapshotPreview1(registry);
  // Binaries from toolchains older than preview1 import wasi_unstable; the
  // others do not pay for defining it at every start.
  const auto &imports = module->metadata().imports;
  if (std::any_of(imports.begin(), imports.end(),
                  [](const abi::ImportDesc &i) { return i.module == "wasi_unstable"; }))
    wasi::addWasiUnstable(registry);
  LUCET_ASSIGN_OR_RETURN(wasiCtx, makeWasiCtx(options));
  rt::InstantiateOptions instantiate;
  instantiate.limits = {options.heapAddressSpace, options.maxHeapSize, options.stackSize};
  // The start function may already call WASI.
  instantiate.hostData = wasiCtx.get();
  rt::Instantiation instantiation =
      rt::Instance::instantiate(module, rt::HostFunctionResolver(registry), instantiate);
  if (instantiation.error) return std::move(*instantiation.error);
  auto &instance = instantiation.instance;
  LUCET_ASSIGN_OR_RETURN(result, instance->run(options.entrypoint));

  WasiOutcome outcome;
  switch (result.kind) {
  case rt::RunResult::Kind::Returned:
    outcome.exitStatus = 0;
    break;
  case rt::RunResult::Kind::Exited:
    outcome.exitStatus = exitStatusOf(result.exitCode, outcome);
    break;
  case rt::RunResult::Kind::Trapped:
    outcome.exitStatus = TrapExitStatus;
    outcome.trap = result.trap.describe();
    break;
  }
  return outcome;
}

} // namespace lucet::tools
