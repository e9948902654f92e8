#include "WasmTestUtil.h"

#include "support/FileIO.h"
#include "text/WatParser.h"
#include "wasm/BinaryReader.h"
#include "wasm/Validator.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

namespace lucet::wasm::test {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "lucet-wasm-test-XXXXXX").string();
  char *made = mkdtemp(templ.data());
  path_ = made ? std::filesystem::path(made) : std::filesystem::path(templ);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int runCommand(const std::string &command, std::string *log) {
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    if (log) log->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void writeText(const std::filesystem::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The text parser only encodes: invalid modules come through for the
// validator to refuse.
Expected<std::vector<uint8_t>> assemble(const std::string &wat) {
  return text::parseWat(wat);
}

Status readAndValidate(std::vector<uint8_t> bytes, Features features) {
  LUCET_ASSIGN_OR_RETURN(module, readModule(std::move(bytes), features));
  return validateModule(module);
}

bool haveTool(const std::string &name) {
  return runCommand("command -v " + name) == 0;
}

} // namespace lucet::wasm::test
