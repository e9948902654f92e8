#include "compiler/WideMultiply.h"

#include "compiler/FunctionEmitter.h"

#include <algorithm>
#include <array>
#include <span>

namespace lucet::compiler {

namespace {

struct Multi3Template {
  std::span<const uint8_t> body; // from the first instruction to the final `end`
  Multi3Body stores;
};

// compiler-rt's __multi3 as clang 19 builds it for wasm32 at -O2 (Debian's
// libclang-rt-19-dev-wasm32; what clang-19 --target=wasm32-wasi links into
// any program that multiplies 128-bit integers). Parameters: 0 result,
// 1 aLow, 2 aHigh, 3 bLow, 4 bHigh; one i64 local (5). It computes
// aLow*bHigh + aHigh*bLow + the schoolbook high half of aLow*bLow from
// 32-bit halves, stores that at result+8, then the low half at result+0.
// To add a build: print the function's body bytes (between its local
// declarations and its final `end`, inclusive) and check the function with
// tests/guests/wide_multiply.c.
constexpr std::array<uint8_t, 114> ClangRt19Multi3 = {
    0x20, 0x00, 0x20, 0x04, 0x20, 0x01, 0x7e, 0x20, 0x02, 0x20, 0x03, 0x7e, 0x7c, 0x20, 0x03,
    0x42, 0x20, 0x88, 0x22, 0x02, 0x20, 0x01, 0x42, 0x20, 0x88, 0x22, 0x04, 0x7e, 0x7c, 0x20,
    0x03, 0x42, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x83, 0x22, 0x03, 0x20, 0x01, 0x42, 0xff, 0xff,
    0xff, 0xff, 0x0f, 0x83, 0x22, 0x01, 0x7e, 0x22, 0x05, 0x42, 0x20, 0x88, 0x20, 0x03, 0x20,
    0x04, 0x7e, 0x7c, 0x22, 0x03, 0x42, 0x20, 0x88, 0x7c, 0x20, 0x03, 0x42, 0xff, 0xff, 0xff,
    0xff, 0x0f, 0x83, 0x20, 0x02, 0x20, 0x01, 0x7e, 0x7c, 0x22, 0x01, 0x42, 0x20, 0x88, 0x7c,
    0x37, 0x03, 0x08, 0x20, 0x00, 0x20, 0x01, 0x42, 0x20, 0x86, 0x20, 0x05, 0x42, 0xff, 0xff,
    0xff, 0xff, 0x0f, 0x83, 0x84, 0x37, 0x03, 0x00, 0x0b};

// Where `i64.store offset` (align 8) first occurs in `body`.
template <size_t N> constexpr uint32_t storeAt(const std::array<uint8_t, N> &body, uint8_t offset) {
  for (uint32_t i = 0; i + 2 < N; ++i)
    if (body[i] == 0x37 && body[i + 1] == 0x03 && body[i + 2] == offset) return i;
  return N;
}
static_assert(storeAt(ClangRt19Multi3, 8) == 90 && storeAt(ClangRt19Multi3, 0) == 110);

const Multi3Template Templates[] = {
    {ClangRt19Multi3,
     {.storeHigh = storeAt(ClangRt19Multi3, 8), .storeLow = storeAt(ClangRt19Multi3, 0)}},
};

bool hasMulti3Type(const wasm::Module &module, const wasm::Function &f) {
  using wasm::ValType;
  const wasm::FuncType &type = module.types[f.typeIndex];
  const std::vector<ValType> params = {ValType::I32, ValType::I64, ValType::I64, ValType::I64,
                                       ValType::I64};
  return type.params == params && type.results.empty() && f.locals.size() == 1 &&
         f.locals[0].count == 1 && f.locals[0].type == ValType::I64;
}

} // namespace

std::optional<Multi3Body> matchMulti3(const wasm::Module &module, uint32_t definedIndex) {
  const wasm::Function &f = module.functions[definedIndex];
  // Memory 0 must be 32-bit: the template's stores are i64.store to memory 0.
  if (module.memories.empty() || module.memories[0].limits.is64 || !hasMulti3Type(module, f))
    return std::nullopt;
  std::span<const uint8_t> body = module.functionBody(f);
  for (const Multi3Template &t : Templates)
    if (std::ranges::equal(body, t.body)) return t.stores;
  return std::nullopt;
}

// The product, then the body's own stores (each with its offset, so a
// fault is reported at that store) and its final `end`; the rest of the
// body is what the multiply replaces.
Status FunctionEmitter::emitMulti3(const Multi3Body &body, wasm::InstructionReader &reader) {
  auto &b = builder_;
  auto *i64Ty = b.getInt64Ty();
  auto *i128Ty = b.getInt128Ty();
  auto param = [&](unsigned i) { return b.CreateLoad(mc_.llvmType(type_.params[i]), locals_[i]); };
  auto wide = [&](unsigned low, unsigned high) {
    return b.CreateOr(b.CreateZExt(param(low), i128Ty),
                      b.CreateShl(b.CreateZExt(param(high), i128Ty), 64));
  };
  auto *product = b.CreateMul(wide(1, 2), wide(3, 4));
  auto *low = b.CreateTrunc(product, i64Ty);
  auto *high = b.CreateTrunc(b.CreateLShr(product, 64), i64Ty);
  auto *result = param(0);
  auto *scope = llvmFunc_->getSubprogram();
  wasm::Instruction ins;
  while (!frames_.empty()) {
    if (reader.atEnd())
      return Error::format("at offset {:#x}: function body ends before its final `end`",
                           reader.offset());
    LUCET_TRY(reader.next(ins));
    uint32_t at = ins.offset - func_.bodyOffset;
    if (at == body.storeHigh || at == body.storeLow) {
      push(result);
      push(at == body.storeHigh ? high : low);
    } else if (ins.op != wasm::Opcode::End) {
      continue;
    }
    b.SetCurrentDebugLocation(llvm::DILocation::get(mc_.context, ins.offset, 0, scope));
    LUCET_TRY(emitInstruction(ins));
  }
  return Status::ok();
}

} // namespace lucet::compiler
