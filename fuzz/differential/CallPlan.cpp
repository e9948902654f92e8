#include "CallPlan.h"

#include "Observation.h"

namespace lucet::fuzz {
namespace {

constexpr unsigned Rounds = 3;

Val argument(ValType type, unsigned round, unsigned position) {
  static const uint32_t I32s[] = {0, 1, 0xffffffff, 0x80000000, 7, 0xfffc, 0x10000, 42, 0x7fffffff};
  static const uint64_t I64s[] = {0, 1, ~0ull, 0x8000000000000000, 3, 0xfff8, 0x100000000, 99};
  static const uint32_t F32s[] = {0x00000000, 0x3f800000, 0x80000000, 0xc0200000,
                                  0x4f000000, 0x7f800000, 0x00000001, 0x3fc00000};
  static const uint64_t F64s[] = {0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000,
                                  0xc004000000000000, 0x41e0000000000000, 0xfff0000000000000,
                                  0x0000000000000001, 0x3ff8000000000000};
  unsigned k = round * 5 + position * 3;
  switch (type) {
  case ValType::I32:
    return Val::fromBits(type, I32s[k % std::size(I32s)]);
  case ValType::I64:
    return Val::fromBits(type, I64s[k % std::size(I64s)]);
  case ValType::F32:
    return Val::fromBits(type, F32s[k % std::size(F32s)]);
  case ValType::F64:
    return Val::fromBits(type, F64s[k % std::size(F64s)]);
  }
  return {};
}

} // namespace

CallPlan planCalls(const Module &module) {
  CallPlan plan;
  std::vector<ExportType> functions;
  for (const ExportType &e : module.exports()) {
    if (e.kind == ExternKind::Func) functions.push_back(e);
    if (e.kind == ExternKind::Global) {
      // The global's type is not in ExportType; it is read at run time.
      plan.globals.emplace_back(e.name, ValType::I32);
    }
  }
  for (unsigned round = 0; round < Rounds; ++round) {
    for (const ExportType &f : functions) {
      PlannedCall call;
      call.function = f.name;
      for (unsigned i = 0; i < f.type.params.size(); ++i)
        call.args.push_back(argument(f.type.params[i], round, i));
      call.results = f.type.results;
      plan.calls.push_back(std::move(call));
    }
  }
  return plan;
}

std::string describeCall(const PlannedCall &call) {
  std::string text = call.function + "(";
  for (size_t i = 0; i < call.args.size(); ++i)
    text += (i ? ", " : "") + valText(call.args[i], false);
  return text + ")";
}

} // namespace lucet::fuzz
