#include "tools/lucet-spectest/WastScript.h"

#include "support/FileIO.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lucet::spectest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Expected<uint64_t> parseBits(const std::string &text, unsigned bits) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || (bits < 64 && value >> bits != 0))
    return Error::format("bad {}-bit value '{}'", bits, text);
  return value;
}

Expected<abi::ValTypeCode> typeCode(const std::string &name) {
  if (name == "i32") return abi::ValTypeCode(0x7f);
  if (name == "i64") return abi::ValTypeCode(0x7e);
  if (name == "f32") return abi::ValTypeCode(0x7d);
  if (name == "f64") return abi::ValTypeCode(0x7c);
  if (name == "v128") return abi::ValTypeCode(0x7b);
  if (name == "funcref") return abi::ValTypeCode(0x70);
  if (name == "externref") return abi::ValTypeCode(0x6f);
  return Error::format("unknown value type '{}'", name);
}

Expected<WastValue> parseValue(const json &j) {
  WastValue v;
  LUCET_ASSIGN_OR_RETURN(type, typeCode(j.value("type", "")));
  v.type = type;
  // Trap assertions give only the result types.
  if (!j.contains("value") && type != 0x70 && type != 0x6f) {
    v.nans.push_back(NanPattern::None);
    return v;
  }
  switch (type) {
  case 0x7f:
  case 0x7e:
  case 0x7d:
  case 0x7c: {
    std::string text = j.value("value", "");
    NanPattern nan = nanPattern(text);
    v.nans.push_back(nan);
    if (nan == NanPattern::None) {
      LUCET_ASSIGN_OR_RETURN(bits, parseBits(text, type == 0x7f || type == 0x7d ? 32 : 64));
      std::memcpy(v.bytes.data(), &bits, 8);
    }
    return v;
  }
  case 0x70:
  case 0x6f: {
    if (!j.contains("value")) {
      v.anyRef = true;
      return v;
    }
    std::string text = j["value"].get<std::string>();
    if (text == "null") {
      v.isNull = true;
      return v;
    }
    LUCET_ASSIGN_OR_RETURN(bits, parseBits(text, 64));
    std::memcpy(v.bytes.data(), &bits, 8);
    return v;
  }
  default: { // v128
    std::string lane = j.value("lane_type", "");
    v.floatLanes = lane == "f32" || lane == "f64";
    if (lane == "i8")
      v.laneBits = 8;
    else if (lane == "i16")
      v.laneBits = 16;
    else if (lane == "i32" || lane == "f32")
      v.laneBits = 32;
    else if (lane == "i64" || lane == "f64")
      v.laneBits = 64;
    else
      return Error::format("unknown v128 lane type '{}'", lane);
    const json &lanes = j["value"];
    if (!lanes.is_array() || lanes.size() * v.laneBits != 128)
      return Error::format("v128 value needs {} lanes", 128 / v.laneBits);
    for (size_t i = 0; i < lanes.size(); ++i) {
      std::string text = lanes[i].get<std::string>();
      NanPattern nan = nanPattern(text);
      v.nans.push_back(nan);
      if (nan != NanPattern::None) continue;
      LUCET_ASSIGN_OR_RETURN(bits, parseBits(text, v.laneBits));
      std::memcpy(v.bytes.data() + i * v.laneBits / 8, &bits, v.laneBits / 8);
    }
    return v;
  }
  }
}

Expected<std::vector<WastValue>> parseValues(const json &j) {
  std::vector<WastValue> values;
  if (!j.is_array()) return values;
  for (const auto &item : j) {
    LUCET_ASSIGN_OR_RETURN(v, parseValue(item));
    values.push_back(std::move(v));
  }
  return values;
}

Expected<WastAction> parseAction(const json &j) {
  WastAction a;
  std::string type = j.value("type", "");
  if (type == "invoke")
    a.kind = WastAction::Kind::Invoke;
  else if (type == "get")
    a.kind = WastAction::Kind::Get;
  else
    return Error::format("unknown action '{}'", type);
  a.module = j.value("module", "");
  a.field = j.value("field", "");
  if (j.contains("args")) {
    LUCET_ASSIGN_OR_RETURN(args, parseValues(j["args"]));
    a.args = std::move(args);
  }
  return a;
}

WastCommand::Kind commandKind(const std::string &type) {
  using Kind = WastCommand::Kind;
  static const std::pair<const char *, Kind> kinds[] = {
      {"module", Kind::Module},
      {"register", Kind::Register},
      {"action", Kind::Action},
      {"assert_return", Kind::AssertReturn},
      {"assert_trap", Kind::AssertTrap},
      {"assert_exception", Kind::AssertException},
      {"assert_exhaustion", Kind::AssertExhaustion},
      {"assert_invalid", Kind::AssertInvalid},
      {"assert_malformed", Kind::AssertMalformed},
      {"assert_unlinkable", Kind::AssertUnlinkable},
      {"assert_uninstantiable", Kind::AssertUninstantiable},
  };
  for (auto [name, kind] : kinds)
    if (type == name) return kind;
  return Kind::Unknown;
}

// Runs `argv`, sending its output to `logPath`; the error carries the log.
Status runTool(const std::vector<std::string> &argv, const std::string &logPath) {
  std::vector<char *> args;
  for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error::format("cannot run {}: {}", argv[0], std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return Error::format("waiting for {}: {}", argv[0], std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::ok();
  std::string log;
  if (auto bytes = readFile(logPath)) log.assign(bytes->begin(), bytes->end());
  while (!log.empty() && log.back() == '\n') log.pop_back();
  return Error::format("{} failed{}{}", argv[0], log.empty() ? "" : ":\n", log);
}

} // namespace

NanPattern nanPattern(std::string_view text) {
  if (text == "nan:canonical") return NanPattern::Canonical;
  if (text == "nan:arithmetic") return NanPattern::Arithmetic;
  return NanPattern::None;
}

Expected<WastScript> readWastJson(const std::string &jsonPath) {
  LUCET_ASSIGN_OR_RETURN(bytes, readFile(jsonPath));
  json doc = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc["commands"].is_array())
    return Error::format("{}: not wast2json output", jsonPath);
  fs::path dir = fs::path(jsonPath).parent_path();
  WastScript script;
  script.sourceName = doc.value("source_filename", "");
  for (const auto &c : doc["commands"]) {
    WastCommand cmd;
    cmd.typeName = c.value("type", "");
    cmd.kind = commandKind(cmd.typeName);
    cmd.line = c.value("line", 0u);
    cmd.name = c.value("name", "");
    cmd.as = c.value("as", "");
    cmd.text = c.value("text", "");
    if (c.contains("filename")) cmd.modulePath = (dir / c["filename"].get<std::string>()).string();
    cmd.textModule = c.value("module_type", "binary") == "text";
    auto context = [&](const Error &e) {
      return e.withContext(fmt::format("{}: line {}", jsonPath, cmd.line));
    };
    if (c.contains("action")) {
      auto action = parseAction(c["action"]);
      if (!action) return context(action.error());
      cmd.action = std::move(*action);
    }
    if (c.contains("expected")) {
      auto expected = parseValues(c["expected"]);
      if (!expected) return context(expected.error());
      cmd.expected = std::move(*expected);
    }
    script.commands.push_back(std::move(cmd));
  }
  return script;
}

Expected<WastScript> convertWast(const std::string &wastPath, const std::string &workDir,
                                 const std::string &wast2json) {
  std::string stem = fs::path(wastPath).stem().string();
  std::string jsonPath = (fs::path(workDir) / (stem + ".json")).string();
  LUCET_TRY(runTool({wast2json, wastPath, "-o", jsonPath},
                    (fs::path(workDir) / "wast2json.log").string()));
  return readWastJson(jsonPath);
}

} // namespace lucet::spectest
