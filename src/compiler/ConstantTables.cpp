#include "compiler/ConstantTables.h"

#include "wasm/Instruction.h"

namespace lucet::compiler {

namespace {

using wasm::Opcode;

// Marks every table that some instruction of the module can write.
Status markWrittenTables(const wasm::Module &module, std::vector<bool> &written) {
  wasm::Instruction ins;
  for (const auto &func : module.functions) {
    wasm::InstructionReader reader(module.functionBody(func), func.bodyOffset, module.features);
    while (!reader.atEnd()) {
      LUCET_TRY(reader.next(ins));
      switch (ins.op) {
      case Opcode::TableSet:
      case Opcode::TableGrow:
      case Opcode::TableFill:
      case Opcode::TableCopy: // index is the destination
        written[ins.index] = true;
        break;
      case Opcode::TableInit: // index2 is the table
        written[ins.index2] = true;
        break;
      default:
        break;
      }
    }
  }
  return Status::ok();
}

uint64_t guaranteedSize(const wasm::Module &module, uint32_t table) {
  return module.tables[table].limits.min;
}

} // namespace

Expected<std::vector<std::optional<ConstantTable>>> findConstantTables(const wasm::Module &module) {
  size_t numTables = module.tables.size();
  std::vector<std::optional<ConstantTable>> result(numTables);

  // Instantiation must apply every active segment: if one could fail, the
  // earlier ones may have made this module's functions callable (through an
  // imported table) with its own tables only partly filled.
  for (const auto &seg : module.elems) {
    if (seg.mode != wasm::SegmentMode::Active) continue;
    if (seg.offset.kind != wasm::ConstExpr::Kind::I32Const) return result;
    uint64_t offset = uint32_t(seg.offset.bits);
    if (offset + seg.init.size() > guaranteedSize(module, seg.table)) return result;
  }

  std::vector<bool> excluded(numTables, false);
  for (uint32_t t = 0; t < numTables; ++t)
    excluded[t] =
        t < module.numImportedTables ||
        module.tables[t].elemType.code() != wasm::ValType::FuncRef.code() ||
        (t >= module.numImportedTables &&
         module.tableInits[t - module.numImportedTables].kind != wasm::ConstExpr::Kind::RefNull) ||
        module.tables[t].limits.min > MaxConstantTableSize;
  for (const auto &exp : module.exports)
    if (exp.kind == wasm::ExternKind::Table) excluded[exp.index] = true;
  LUCET_TRY(markWrittenTables(module, excluded));

  for (uint32_t t = 0; t < numTables; ++t)
    if (!excluded[t])
      result[t] = ConstantTable{
          std::vector<uint32_t>(module.tables[t].limits.min, ConstantTable::NullSlot)};

  for (const auto &seg : module.elems) {
    if (seg.mode != wasm::SegmentMode::Active || !result[seg.table]) continue;
    auto &slots = result[seg.table]->slots;
    auto offset = uint32_t(seg.offset.bits);
    for (size_t i = 0; i < seg.init.size(); ++i) {
      const auto &item = seg.init[i];
      if (item.kind == wasm::ConstExpr::Kind::RefNull) {
        slots[offset + i] = ConstantTable::NullSlot;
      } else if (item.kind == wasm::ConstExpr::Kind::RefFunc &&
                 !module.isImportedFunc(item.index)) {
        slots[offset + i] = item.index;
      } else {
        result[seg.table].reset();
        break;
      }
    }
  }
  return result;
}

} // namespace lucet::compiler
