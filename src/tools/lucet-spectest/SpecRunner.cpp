#include "tools/lucet-spectest/SpecRunner.h"

#include "runtime/ImportResolver.h"
#include "runtime/Instance.h"
#include "tools/lucet-spectest/ModuleCache.h"
#include "tools/lucet-spectest/SpectestHost.h"
#include "tools/lucet-spectest/WastScript.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdlib.h>

namespace lucet::spectest {
namespace {

namespace fs = std::filesystem;

struct Verdict {
  enum class Kind { Pass, Fail, NotApplicable };
  Kind kind = Kind::Pass;
  std::string reason;

  static Verdict pass() { return {}; }
  static Verdict fail(std::string reason) { return {Kind::Fail, std::move(reason)}; }
  static Verdict notApplicable() { return {Kind::NotApplicable, {}}; }
};

template <typename T> T load(const uint8_t *bytes) {
  T v;
  std::memcpy(&v, bytes, sizeof v);
  return v;
}

bool isCanonicalNan(uint64_t bits, unsigned width) {
  return width == 32 ? (bits & 0x7fffffffu) == 0x7fc00000u
                     : (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}

bool isArithmeticNan(uint64_t bits, unsigned width) {
  return width == 32 ? (bits & 0x7fc00000u) == 0x7fc00000u
                     : (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool matchesNan(NanPattern pattern, uint64_t bits, unsigned width) {
  return pattern == NanPattern::Canonical ? isCanonicalNan(bits, width)
                                          : isArithmeticNan(bits, width);
}

uint64_t laneBits(const uint8_t *bytes, unsigned width) {
  uint64_t v = 0;
  std::memcpy(&v, bytes, width / 8);
  return v;
}

std::string describeFloat(uint64_t bits, unsigned width) {
  double value =
      width == 32 ? double(std::bit_cast<float>(uint32_t(bits))) : std::bit_cast<double>(bits);
  return fmt::format("{} ({:#x})", value, bits);
}

const char *nanName(NanPattern p) {
  return p == NanPattern::Canonical ? "nan:canonical" : "nan:arithmetic";
}

std::string describeExpected(const WastValue &v) {
  if (!v.either.empty()) {
    std::string text = "either";
    for (const auto &alternative : v.either) text += " " + describeExpected(alternative);
    return "(" + text + ")";
  }
  switch (v.type) {
  case 0x7f:
    return fmt::format("i32:{}", load<int32_t>(v.bytes.data()));
  case 0x7e:
    return fmt::format("i64:{}", load<int64_t>(v.bytes.data()));
  case 0x7d:
  case 0x7c: {
    unsigned width = v.type == 0x7d ? 32 : 64;
    std::string prefix = width == 32 ? "f32:" : "f64:";
    if (v.nans[0] != NanPattern::None) return prefix + nanName(v.nans[0]);
    return prefix + describeFloat(laneBits(v.bytes.data(), width), width);
  }
  case 0:
    return "ref:null";
  case 0x70:
  case 0x6f:
  case 0x69: {
    std::string prefix = v.type == 0x70 ? "funcref:" : v.type == 0x6f ? "externref:" : "exnref:";
    if (v.isNull) return prefix + "null";
    if (v.anyRef) return prefix + "non-null";
    return prefix + std::to_string(load<uint64_t>(v.bytes.data()));
  }
  default: {
    std::string text = fmt::format("v128:{}{}", v.floatLanes ? 'f' : 'i', v.laneBits);
    for (size_t i = 0; i < v.nans.size(); ++i) {
      if (v.nans[i] != NanPattern::None)
        text += std::string(" ") + nanName(v.nans[i]);
      else
        text += fmt::format(" {:#x}", laneBits(v.bytes.data() + i * v.laneBits / 8, v.laneBits));
    }
    return text;
  }
  }
}

std::string describeActual(const rt::Value &v, const WastValue *shape) {
  switch (v.type) {
  case 0x7f:
    return fmt::format("i32:{}", v.asI32());
  case 0x7e:
    return fmt::format("i64:{}", v.asI64());
  case 0x7d:
    return "f32:" + describeFloat(load<uint32_t>(v.bytes.data()), 32);
  case 0x7c:
    return "f64:" + describeFloat(load<uint64_t>(v.bytes.data()), 64);
  case 0x70:
  case 0x6f:
  case 0x69:
    return fmt::format("{}:{}",
                       v.type == 0x70   ? "funcref"
                       : v.type == 0x6f ? "externref"
                                        : "exnref",
                       v.asRef());
  default: {
    unsigned width = shape && shape->laneBits ? shape->laneBits : 32;
    std::string text = fmt::format("v128:i{}", width);
    for (unsigned i = 0; i < 128 / width; ++i)
      text += fmt::format(" {:#x}", laneBits(v.bytes.data() + i * width / 8, width));
    return text;
  }
  }
}

// Whether the trap text the runtime reports is the one the script expects.
// Scripts sometimes add detail after the kind ("uninitialized element 2").
bool trapTextMatches(const std::string &actual, const std::string &expected) {
  return actual.starts_with(expected) || expected.starts_with(actual);
}

std::string describeArgs(const std::vector<WastValue> &args) {
  std::string text;
  for (const auto &a : args) text += (text.empty() ? "" : ", ") + describeExpected(a);
  return text;
}

class ScriptRunner {
public:
  explicit ScriptRunner(ModuleCache &cache) : cache_(cache) {}

  Status setUp() { return defineSpectestModule(linker_); }

  Verdict run(const WastCommand &cmd) {
    using Kind = WastCommand::Kind;
    switch (cmd.kind) {
    case Kind::Module:
      return defineModule(cmd);
    case Kind::ModuleDefinition:
      return defineDefinition(cmd);
    case Kind::ModuleInstance:
      return instantiateDefinition(cmd);
    case Kind::Register:
      return registerModule(cmd);
    case Kind::Action:
    case Kind::AssertReturn:
      return assertReturn(cmd);
    case Kind::AssertTrap:
    case Kind::AssertExhaustion:
    case Kind::AssertException:
      return assertTrap(cmd);
    case Kind::AssertInvalid:
    case Kind::AssertMalformed:
      return assertNotCompiled(cmd);
    case Kind::AssertUnlinkable:
    case Kind::AssertUninstantiable:
      return assertNotInstantiated(cmd);
    case Kind::Unknown:
      break;
    }
    return Verdict::fail("unknown command");
  }

private:
  rt::Instance *keep(std::unique_ptr<rt::Instance> instance) {
    instances_.push_back(std::move(instance));
    return instances_.back().get();
  }

  Verdict defineModule(const WastCommand &cmd) {
    current_ = nullptr;
    if (cmd.textModule) return Verdict::notApplicable();
    if (cmd.textError) return Verdict::fail("module text: " + cmd.textError->message());
    auto module = cache_.load(cmd.modulePath);
    if (!module) return Verdict::fail(module.error().message());
    return instantiate(*module, cmd.name);
  }

  Verdict instantiate(const std::shared_ptr<const rt::LoadedModule> &module,
                      const std::string &name) {
    current_ = nullptr;
    rt::Instantiation result = rt::Instance::instantiate(module, linker_, rt::InstanceLimits());
    if (result.instance) keep(std::move(result.instance));
    if (result.error) return Verdict::fail("instantiation failed: " + result.error->message());
    current_ = instances_.back().get();
    if (!name.empty()) named_[name] = current_;
    return Verdict::pass();
  }

  // (module definition ...): valid and compiled, instantiated only by
  // (module instance ...).
  Verdict defineDefinition(const WastCommand &cmd) {
    if (cmd.textError) return Verdict::fail("module text: " + cmd.textError->message());
    auto module = cache_.load(cmd.modulePath);
    if (!module) return Verdict::fail(module.error().message());
    lastDefinition_ = *module;
    if (!cmd.name.empty()) definitions_[cmd.name] = *module;
    return Verdict::pass();
  }

  Verdict instantiateDefinition(const WastCommand &cmd) {
    std::shared_ptr<const rt::LoadedModule> module = lastDefinition_;
    if (!cmd.definition.empty()) {
      auto it = definitions_.find(cmd.definition);
      if (it == definitions_.end())
        return Verdict::fail("no module definition named " + cmd.definition);
      module = it->second;
    }
    if (!module) return Verdict::fail("no module definition to instantiate");
    return instantiate(module, cmd.name);
  }

  Expected<rt::Instance *> instanceNamed(const std::string &name) {
    if (name.empty()) {
      if (!current_) return Error("no current module");
      return current_;
    }
    auto it = named_.find(name);
    if (it == named_.end()) return Error::format("no module named {}", name);
    return it->second;
  }

  Verdict registerModule(const WastCommand &cmd) {
    auto instance = instanceNamed(cmd.name);
    if (!instance) return Verdict::fail(instance.error().message());
    linker_.defineInstance(cmd.as, **instance);
    return Verdict::pass();
  }

  void *hostRef(uint64_t number) {
    auto &ref = hostRefs_[number];
    if (!ref) ref = std::make_unique<uint64_t>(number);
    return ref.get();
  }

  rt::Value toValue(const WastValue &v) {
    rt::Value value;
    value.type = v.type;
    if (v.type == 0x6f || v.type == 0x70 || v.type == 0x69) {
      void *ref = v.isNull || v.type != 0x6f ? nullptr : hostRef(load<uint64_t>(v.bytes.data()));
      return rt::Value::ref(v.type, ref);
    }
    value.bytes = v.bytes;
    return value;
  }

  Expected<rt::RunResult> perform(const WastAction &action) {
    LUCET_ASSIGN_OR_RETURN(instance, instanceNamed(action.module));
    if (action.kind == WastAction::Kind::Get) {
      auto value = instance->exportNamed(action.field);
      auto *global = value ? std::get_if<std::shared_ptr<rt::Global>>(&*value) : nullptr;
      if (!global) return Error::format("no exported global named '{}'", action.field);
      rt::RunResult result;
      result.values.push_back((*global)->get());
      return result;
    }
    std::vector<rt::Value> args;
    for (const auto &a : action.args) args.push_back(toValue(a));
    return instance->run(action.field, args);
  }

  std::string describeAction(const WastAction &action) {
    return fmt::format("{} {}\"{}\"{}", action.kind == WastAction::Kind::Get ? "get" : "invoke",
                       action.module.empty() ? "" : action.module + " ", action.field,
                       action.args.empty() ? "" : " (" + describeArgs(action.args) + ")");
  }

  bool matches(const rt::Value &actual, const WastValue &expected) {
    if (!expected.either.empty())
      return std::any_of(
          expected.either.begin(), expected.either.end(),
          [&](const WastValue &alternative) { return matches(actual, alternative); });
    if (expected.type == 0)
      return (actual.type == 0x70 || actual.type == 0x6f || actual.type == 0x69) &&
             actual.asRef() == nullptr;
    if (actual.type != expected.type) return false;
    const uint8_t *got = actual.bytes.data();
    switch (expected.type) {
    case 0x7f:
      return load<uint32_t>(got) == load<uint32_t>(expected.bytes.data());
    case 0x7e:
      return load<uint64_t>(got) == load<uint64_t>(expected.bytes.data());
    case 0x7d:
    case 0x7c: {
      unsigned width = expected.type == 0x7d ? 32 : 64;
      if (expected.nans[0] != NanPattern::None)
        return matchesNan(expected.nans[0], laneBits(got, width), width);
      return laneBits(got, width) == laneBits(expected.bytes.data(), width);
    }
    case 0x70:
    case 0x6f:
    case 0x69: {
      void *ref = actual.asRef();
      if (expected.isNull) return ref == nullptr;
      if (expected.anyRef || expected.type == 0x70) return ref != nullptr;
      return ref == hostRef(load<uint64_t>(expected.bytes.data()));
    }
    default: {
      unsigned width = expected.laneBits;
      for (size_t i = 0; i < expected.nans.size(); ++i) {
        uint64_t lane = laneBits(got + i * width / 8, width);
        bool ok = expected.nans[i] != NanPattern::None
                      ? matchesNan(expected.nans[i], lane, width)
                      : lane == laneBits(expected.bytes.data() + i * width / 8, width);
        if (!ok) return false;
      }
      return true;
    }
    }
  }

  Verdict assertReturn(const WastCommand &cmd) {
    if (!cmd.action) return Verdict::fail("no action");
    auto result = perform(*cmd.action);
    std::string what = describeAction(*cmd.action);
    if (!result) return Verdict::fail(what + ": " + result.error().message());
    if (result->kind == rt::RunResult::Kind::Trapped)
      return Verdict::fail(what + ": trapped: " + result->trap.describe());
    if (result->kind == rt::RunResult::Kind::Exited)
      return Verdict::fail(fmt::format("{}: exited with code {}", what, result->exitCode));
    if (cmd.kind == WastCommand::Kind::Action) return Verdict::pass();
    bool ok = result->values.size() == cmd.expected.size();
    for (size_t i = 0; ok && i < cmd.expected.size(); ++i)
      ok = matches(result->values[i], cmd.expected[i]);
    if (ok) return Verdict::pass();
    std::string expected, got;
    for (const auto &e : cmd.expected)
      expected += (expected.empty() ? "" : ", ") + describeExpected(e);
    for (size_t i = 0; i < result->values.size(); ++i)
      got +=
          (got.empty() ? "" : ", ") +
          describeActual(result->values[i], i < cmd.expected.size() ? &cmd.expected[i] : nullptr);
    return Verdict::fail(fmt::format("{}: expected ({}), got ({})", what, expected, got));
  }

  // assert_trap and assert_exhaustion: a trap with the script's text;
  // assert_exception: an exception that leaves the guest, which ends the
  // call as an UncaughtException trap.
  Verdict assertTrap(const WastCommand &cmd) {
    if (!cmd.action) return Verdict::fail("no action");
    auto result = perform(*cmd.action);
    std::string what = describeAction(*cmd.action);
    if (!result) return Verdict::fail(what + ": " + result.error().message());
    bool exception = cmd.kind == WastCommand::Kind::AssertException;
    std::string expected = exception ? "an exception" : fmt::format("trap \"{}\"", cmd.text);
    if (result->kind != rt::RunResult::Kind::Trapped)
      return Verdict::fail(
          fmt::format("{}: expected {}, but it {}", what, expected,
                      result->kind == rt::RunResult::Kind::Returned ? "returned" : "exited"));
    bool matches = exception ? result->trap.code == abi::TrapCode::UncaughtException
                             : trapTextMatches(abi::trapCodeText(result->trap.code), cmd.text);
    if (!matches)
      return Verdict::fail(
          fmt::format("{}: expected {}, got \"{}\"", what, expected, result->trap.describe()));
    return Verdict::pass();
  }

  Verdict assertNotCompiled(const WastCommand &cmd) {
    if (cmd.textModule) return Verdict::notApplicable();
    if (cmd.textError) {
      // Malformed text is refused by the text parser, before any decoding.
      if (cmd.kind == WastCommand::Kind::AssertMalformed) return Verdict::pass();
      return Verdict::fail(fmt::format("expected \"{}\" (invalid module), but the text did not "
                                       "parse: {}",
                                       cmd.text, cmd.textError->message()));
    }
    Status compiled = cache_.compile(cmd.modulePath);
    if (compiled) return Verdict::fail(fmt::format("module compiled; expected \"{}\"", cmd.text));
    // The refusal must be for the reason the script gives: either the
    // compiler's stage (a malformed module fails to decode, an invalid one to
    // validate) or the spec's wording. Function bodies are decoded while
    // validating, so their decoding errors come from the validator.
    const std::string &message = compiled.error().message();
    const char *stage =
        cmd.kind == WastCommand::Kind::AssertMalformed ? ": malformed module" : ": invalid module";
    if (message.find(stage) == std::string::npos && message.find(cmd.text) == std::string::npos)
      return Verdict::fail(fmt::format("expected \"{}\" ({}), got: {}", cmd.text, stage + 2,
                                       compiled.error().message()));
    return Verdict::pass();
  }

  Verdict assertNotInstantiated(const WastCommand &cmd) {
    if (cmd.textModule) return Verdict::notApplicable();
    if (cmd.textError) return Verdict::fail("module text: " + cmd.textError->message());
    auto module = cache_.load(cmd.modulePath);
    if (!module) return Verdict::fail(module.error().message());
    rt::Instantiation result = rt::Instance::instantiate(*module, linker_, rt::InstanceLimits());
    // A module that trapped during initialization may be referenced from
    // tables it wrote to.
    if (result.instance) keep(std::move(result.instance));
    bool unlinkable = cmd.kind == WastCommand::Kind::AssertUnlinkable;
    auto wanted = unlinkable ? rt::InstantiationFailure::Link : rt::InstantiationFailure::Trap;
    if (!result.error)
      return Verdict::fail(fmt::format("module instantiated; expected \"{}\"", cmd.text));
    if (result.failure != wanted)
      return Verdict::fail(
          fmt::format("expected \"{}\", got: {}", cmd.text, result.error->message()));
    if (!unlinkable && !trapTextMatches(abi::trapCodeText(result.trap), cmd.text))
      return Verdict::fail(
          fmt::format("expected trap \"{}\", got: {}", cmd.text, result.error->message()));
    return Verdict::pass();
  }

  ModuleCache &cache_;
  rt::Linker linker_;
  // Every instance lives until the script ends: other instances' tables and
  // imports may refer to their functions.
  std::vector<std::unique_ptr<rt::Instance>> instances_;
  std::map<std::string, rt::Instance *> named_;
  std::map<std::string, std::shared_ptr<const rt::LoadedModule>> definitions_;
  std::shared_ptr<const rt::LoadedModule> lastDefinition_;
  rt::Instance *current_ = nullptr;
  std::map<uint64_t, std::unique_ptr<uint64_t>> hostRefs_;
};

// A scratch directory that goes away with the run unless asked to stay.
class TempDir {
public:
  static Expected<TempDir> create(const std::string &stem) {
    std::string pattern = (fs::temp_directory_path() / ("lucet-spectest-" + stem + "-XXXXXX"));
    if (!mkdtemp(pattern.data()))
      return Error::format("cannot create a directory like {}: {}", pattern, std::strerror(errno));
    return TempDir(pattern);
  }
  TempDir(TempDir &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ~TempDir() {
    if (path_.empty() || keep_) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string &path() const { return path_; }
  void keep() { keep_ = true; }

private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

} // namespace

FileResult runSpecFile(const std::string &wastPath, const SpecOptions &options) {
  FileResult result;
  auto scriptFailure = [&](const std::string &why) {
    result.failed += 1;
    result.failures.push_back(fmt::format("{}: {}", wastPath, why));
    return result;
  };
  auto dir = TempDir::create(fs::path(wastPath).stem().string());
  if (!dir) return scriptFailure(dir.error().message());
  if (options.keepTemp) dir->keep();
  auto script = options.wast2json.empty() ? readWast(wastPath, dir->path())
                                          : convertWast(wastPath, dir->path(), options.wast2json);
  if (!script) return scriptFailure(script.error().message());

  compiler::CompileOptions compile;
  compile.optLevel = options.optLevel;
  compile.features = options.wasmVersion == 2 ? wasm::Features::wasm2() : wasm::Features::wasm3();
  compile.chunkBytes = options.chunkBytes;
  compile.threads = 1; // the cache compiles modules in parallel instead
  ModuleCache cache(dir->path(), std::max(1u, options.jobs), compile);
  std::vector<std::string> binaries;
  for (const auto &cmd : script->commands)
    if (!cmd.modulePath.empty() && !cmd.textModule) binaries.push_back(cmd.modulePath);
  cache.precompile(binaries);

  ScriptRunner runner(cache);
  if (Status ready = runner.setUp(); !ready) return scriptFailure(ready.error().message());
  for (const auto &cmd : script->commands) {
    Verdict verdict = runner.run(cmd);
    switch (verdict.kind) {
    case Verdict::Kind::Pass:
      ++result.passed;
      break;
    case Verdict::Kind::NotApplicable:
      ++result.notApplicable;
      break;
    case Verdict::Kind::Fail:
      ++result.failed;
      result.failures.push_back(
          fmt::format("{}:{}: {}: {}", wastPath, cmd.line, cmd.typeName, verdict.reason));
      break;
    }
  }
  return result;
}

} // namespace lucet::spectest
