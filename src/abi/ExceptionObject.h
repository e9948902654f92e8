#pragma once

// WebAssembly exceptions as generated code sees them. A throw allocates an
// exception object in the runtime and raises it with the platform's
// zero-cost unwinder (the Itanium C++ ABI's _Unwind_RaiseException): guest
// functions carry unwind tables, calls inside a handler are LLVM `invoke`s,
// and their landing pads catch everything, compare the object's tag with
// the handler's and either take it or pass it on (rethrowException).
//
// The artifact must not depend on a symbol of the runtime, so its unwind
// tables name a personality forwarder of its own, which jumps through a
// pointer the loader fills in (ModuleRecord::personality) to the C++
// runtime's __gxx_personality_v0. With only catch-all clauses, that routine
// finds every landing pad and handles foreign exceptions.

#include <cstdint>

namespace lucet::abi {

// _Unwind_Exception::exception_class of a wasm exception: "LUCTWASM".
constexpr uint64_t WasmExceptionClass = 0x4d5341575443554cull;

// Layout of an exception object: the unwinder's header first (32 bytes on
// x86-64), then the tag's identity (VMContext::tags) at ExceptionTagOffset
// and the tag's arguments in 16-byte slots from ExceptionPayloadOffset.
constexpr unsigned ExceptionClassOffset = 0;
constexpr unsigned ExceptionTagOffset = 32;
constexpr unsigned ExceptionPayloadOffset = 80;
constexpr unsigned ExceptionSlotSize = 16;

// Symbols of the personality forwarder and its target slot in an artifact.
inline constexpr const char *PersonalitySymbol = "lucet_personality";
inline constexpr const char *PersonalitySlotSymbol = "lucet_personality_target";

} // namespace lucet::abi
