// The whole lucetc pipeline in process: read, validate, translate to LLVM IR,
// optimise and generate an object (not linked: spawning ld.lld per input
// would dominate). Inputs that start with the wasm magic are taken as
// modules (so that the spec suite's modules seed the corpus); anything else
// drives the module generator, whose output must validate, so that most
// inputs reach the code generator. The input's length picks -O0 or -O2, so
// that a crash reproduces from its input alone.

#include "ModuleGenerator.h"

#include "compiler/CodeGenerator.h"
#include "compiler/CompileOptions.h"
#include "compiler/ModuleEmitter.h"
#include "compiler/TargetFeatures.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <llvm/IR/LLVMContext.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace lucet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t Magic[] = {0x00, 0x61, 0x73, 0x6d};
  bool raw = size >= 4 && std::memcmp(data, Magic, 4) == 0;
  std::vector<uint8_t> bytes = raw ? std::vector<uint8_t>(data, data + size)
                                   : fuzz::generateModule(std::span<const uint8_t>(data, size));

  auto module = wasm::readModule(std::move(bytes));
  if (!module) {
    if (raw) return 0;
    std::fprintf(stderr, "generated module does not read: %s\n", module.error().message().c_str());
    std::abort();
  }
  auto valid = wasm::validateModule(*module);
  if (!valid) {
    if (raw) return 0;
    std::fprintf(stderr, "generated module is invalid: %s\n", valid.error().message().c_str());
    std::abort();
  }

  compiler::CompileOptions options;
  options.optLevel = size % 2 ? 2 : 0;
  options.emit = compiler::EmitKind::Object;
  // Half the inputs with explicit bounds checks, the other model.
  if (size % 4 >= 2) options.reservedSize = options.guardSize = 1ull << 30;
  static const std::vector<std::string> cpuFeatures =
      compiler::selectCpuFeatures(compiler::CpuTarget::Native);
  llvm::LLVMContext context;
  auto llvmModule = compiler::emitModule(*module, options, cpuFeatures, context);
  if (!llvmModule) {
    // A valid module the compiler cannot translate is a bug.
    std::fprintf(stderr, "valid module not compiled: %s\n", llvmModule.error().message().c_str());
    std::abort();
  }
  auto object = compiler::generateObject(**llvmModule, options.optLevel, cpuFeatures);
  if (!object) {
    std::fprintf(stderr, "no object for a valid module: %s\n", object.error().message().c_str());
    std::abort();
  }
  return 0;
}
