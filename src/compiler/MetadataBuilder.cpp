#include "compiler/MetadataBuilder.h"

namespace lucet::compiler {

namespace {

abi::LimitsDesc limits(const wasm::Limits &l) {
  return {l.min, l.max.has_value(), l.max.value_or(0), l.is64};
}

abi::InitOp initOp(const wasm::ConstExpr &e) {
  using K = wasm::ConstExpr::Kind;
  using O = abi::InitOpKind;
  switch (e.kind) {
  case K::I64Const:
    return {O::I64Const, e.bits, 0};
  case K::GlobalGet:
    return {O::GlobalGet, 0, e.index};
  case K::I32Add:
    return {O::I32Add, 0, 0};
  case K::I32Sub:
    return {O::I32Sub, 0, 0};
  case K::I32Mul:
    return {O::I32Mul, 0, 0};
  case K::I64Add:
    return {O::I64Add, 0, 0};
  case K::I64Sub:
    return {O::I64Sub, 0, 0};
  case K::I64Mul:
    return {O::I64Mul, 0, 0};
  default: // the validator allows only i32/i64 constants, globals and arithmetic
    return {O::I32Const, e.bits, 0};
  }
}

abi::InitExpr initExpr(const wasm::ConstExpr &e) {
  abi::InitExpr out;
  out.kind = abi::InitExpr::Kind(uint8_t(e.kind));
  for (const auto &op : e.program) out.program.push_back(initOp(op));
  out.bits = e.bits;
  out.v128 = e.v128;
  out.index = e.index;
  if (e.kind == wasm::ConstExpr::Kind::RefNull) out.bits = e.refType.code();
  return out;
}

abi::ValTypeDesc valType(wasm::ValType t) {
  if (!t.isRef()) return abi::ValTypeDesc(t.code());
  wasm::HeapType h = t.heap();
  return abi::ValTypeDesc(t.code(), t.nullable(),
                          h.isConcrete() ? h.typeIndex()
                                         : abi::ValTypeDesc::AbstractHeap | uint32_t(h.abs()));
}

abi::TableDesc table(const wasm::TableType &t) {
  return {valType(t.elemType), limits(t.limits)};
}

abi::GlobalTypeDesc globalType(const wasm::GlobalType &g) {
  return {valType(g.type), g.isMutable};
}

std::vector<abi::ValTypeDesc> valTypes(const std::vector<wasm::ValType> &types) {
  std::vector<abi::ValTypeDesc> out;
  for (auto t : types) out.push_back(valType(t));
  return out;
}

} // namespace

abi::Metadata buildMetadata(const wasm::Module &module, const CompileOptions &options,
                            const std::vector<std::string> &cpuFeatures) {
  static_assert(uint8_t(wasm::ConstExpr::Kind::RefFunc) == uint8_t(abi::InitExpr::Kind::RefFunc));
  static_assert(uint8_t(wasm::ConstExpr::Kind::Extended) == uint8_t(abi::InitExpr::Kind::Extended));
  abi::Metadata m;
  m.compilerFingerprint = compilerVersion();
  m.requiredCpuFeatures = cpuFeatures;
  m.moduleName = module.moduleName;
  m.heap = {options.reservedSize, options.guardSize, options.needsBoundsChecks()};
  for (const auto &t : module.types) m.types.push_back({valTypes(t.params), valTypes(t.results)});
  for (const auto &i : module.imports) {
    abi::ImportDesc d;
    d.module = i.module;
    d.name = i.name;
    d.kind = abi::ExternKindCode(uint8_t(i.kind));
    d.typeIndex = i.typeIndex;
    d.table = table(i.table);
    d.memory = limits(i.memory.limits);
    d.global = globalType(i.global);
    m.imports.push_back(std::move(d));
  }
  m.funcTypeIndices = module.funcTypeIndices;
  m.numImportedFuncs = module.numImportedFuncs;
  for (size_t i = module.numImportedTables; i < module.tables.size(); ++i)
    m.tables.push_back(table(module.tables[i]));
  for (const auto &init : module.tableInits) m.tableInits.push_back(initExpr(init));
  m.tagTypeIndices = module.tagTypeIndices;
  m.numImportedTags = module.numImportedTags;
  for (size_t i = module.numImportedMemories; i < module.memories.size(); ++i)
    m.memories.push_back(limits(module.memories[i].limits));
  for (const auto &g : module.globals) m.globals.push_back({globalType(g.type), initExpr(g.init)});
  for (const auto &e : module.exports)
    m.exports.push_back({e.name, abi::ExternKindCode(uint8_t(e.kind)), e.index});
  m.start = module.start;
  for (const auto &e : module.elems) {
    abi::ElemDesc d;
    d.mode = abi::SegmentModeCode(uint8_t(e.mode));
    d.type = valType(e.type);
    d.table = e.table;
    d.offset = initExpr(e.offset);
    for (const auto &item : e.init) d.init.push_back(initExpr(item));
    m.elems.push_back(std::move(d));
  }
  for (const auto &d : module.datas) {
    abi::DataDesc out;
    out.mode = abi::SegmentModeCode(uint8_t(d.mode));
    out.memory = d.memory;
    out.offset = initExpr(d.offset);
    auto bytes = module.dataBytes(d);
    out.bytes.assign(bytes.begin(), bytes.end());
    m.datas.push_back(std::move(out));
  }
  for (uint32_t f = 0; f < module.funcTypeIndices.size(); ++f)
    m.functionNames.push_back(module.functionDisplayName(f));
  return m;
}

} // namespace lucet::compiler
