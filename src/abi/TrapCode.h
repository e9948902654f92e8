#pragma once

#include <cstdint>

namespace lucet::abi {

enum class TrapCode : uint32_t {
  None = 0,
#define LUCET_TRAP(Name, Value, Text) Name = Value,
#include "abi/TrapCode.def"
};

inline const char *trapCodeText(TrapCode code) {
  switch (code) {
#define LUCET_TRAP(Name, Value, Text)                                                              \
  case TrapCode::Name:                                                                             \
    return Text;
#include "abi/TrapCode.def"
  case TrapCode::None:
    break;
  }
  return "unknown trap";
}

} // namespace lucet::abi
