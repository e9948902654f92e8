#pragma once

// The calls the differential runner makes on a generated module, the same
// for every engine: each exported function in turn, three rounds, with
// arguments from fixed tables of edge values (never NaN: V8 passes
// arguments through JavaScript numbers, which cannot carry NaN bits).

#include "lucet/module.hh"
#include "lucet/value.hh"

#include <string>
#include <vector>

namespace lucet::fuzz {

struct PlannedCall {
  std::string function;
  std::vector<Val> args;
  std::vector<ValType> results;
};

struct CallPlan {
  std::vector<PlannedCall> calls;
  std::vector<std::pair<std::string, ValType>> globals; // exported, in export order
};

CallPlan planCalls(const Module &module);

// "f0(i32:0x00000001, f64:0x3ff0000000000000)"
std::string describeCall(const PlannedCall &call);

} // namespace lucet::fuzz
