#pragma once

// A .wast script: a list of commands whose modules are separate .wasm files.
// readWast parses the script with lucet's text parser; readWastJson and
// convertWast read what wabt's wast2json writes (for comparison).

#include "abi/Metadata.h"
#include "support/Expected.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lucet::spectest {

enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

// "nan:canonical", "nan:arithmetic", or None for anything else.
NanPattern nanPattern(std::string_view text);

// An argument or an expected result.
struct WastValue {
  abi::ValTypeCode type = 0x7f;       // 0: a null of any reference type (3.0 `(ref.null)`)
  std::array<uint8_t, 16> bytes = {}; // exact bits; for externref the host reference number
  bool isNull = false;                // references: "null"
  bool anyRef = false;                // expected funcref without a value: any non-null one
  unsigned laneBits = 0;              // v128: lane width (8, 16, 32, 64); scalars: 0
  bool floatLanes = false;            // v128: f32 or f64 lanes
  std::vector<NanPattern> nans;       // per lane (one for scalars); None means exact
  // (either v1 v2 ...): any one of these; the other fields are unused.
  std::vector<WastValue> either;
};

struct WastAction {
  enum class Kind { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::string module; // "$name", or empty for the current module
  std::string field;
  std::vector<WastValue> args;
};

struct WastCommand {
  enum class Kind {
    Module,
    ModuleDefinition, // compiled, not instantiated
    ModuleInstance,   // an instance of a definition
    Register,
    Action,
    AssertReturn,
    AssertTrap,
    AssertException, // the action ends with an uncaught wasm exception
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
    Unknown,
  };
  Kind kind = Kind::Unknown;
  std::string typeName; // as in the JSON, for messages
  unsigned line = 0;
  std::string name;        // module: "$name"; register: the module registered
  std::string as;          // register: the import module name
  std::string definition;  // module instance: "$name" of the definition, or empty for the last
  std::string modulePath;  // module and module assertions: the file wast2json wrote
  bool textModule = false; // wast2json: module assertions in text form (`module quote`)
  std::optional<Error> textError; // readWast: the module's text did not parse
  std::optional<WastAction> action;
  std::vector<WastValue> expected;
  std::string text; // assertions: the expected failure message
};

struct WastScript {
  std::string sourceName;
  std::vector<WastCommand> commands;
};

// Parses `wastPath`, writing its modules (binary format) into `workDir`.
Expected<WastScript> readWast(const std::string &wastPath, const std::string &workDir);

// Runs wast2json on `wastPath`, writing into `workDir`, and reads the result.
Expected<WastScript> convertWast(const std::string &wastPath, const std::string &workDir,
                                 const std::string &wast2json);

// Reads wast2json's output; module paths are resolved next to `jsonPath`.
Expected<WastScript> readWastJson(const std::string &jsonPath);

} // namespace lucet::spectest
