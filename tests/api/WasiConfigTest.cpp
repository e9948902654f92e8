// WasiConfig's stdio backends and read-only preopens, with real C guests
// from tests/guests: the config goes through api::wasiContextFromConfig
// (what Instance::create uses to build an instance's WASI context) and the
// guest runs on the runtime, so what is asserted is what the guest did.
#include "api/WasiContextFromConfig.h"
#include "runtime/Instance.h"
#include "runtime/LoadedModule.h"
#include "wasi/WasiBindings.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string guest(const std::string &name) {
  return std::string(LUCET_GUEST_DIR) + "/" + name + ".so";
}

struct GuestRun {
  bool ok = false;
  uint32_t exitCode = 0;
  std::string error;
};

// Instantiates guest `name` with WASI built from `config` and runs _start.
GuestRun runGuest(const std::string &name, const lucet::WasiConfig &config) {
  GuestRun r;
  auto module = lucet::rt::LoadedModule::load(guest(name));
  if (!module) {
    r.error = module.error().message();
    return r;
  }
  auto ctx = lucet::api::wasiContextFromConfig(config);
  if (!ctx) {
    r.error = ctx.error().message();
    return r;
  }
  lucet::rt::HostFunctionRegistry registry;
  lucet::wasi::addWasiSnapshotPreview1(registry);
  lucet::rt::InstanceLimits limits;
  limits.heapAddressSpace = 8ull << 30;
  limits.maxHeapSize = 64ull << 20;
  limits.stackSize = 1ull << 20;
  auto instance = lucet::rt::Instance::create(*module, registry, limits);
  if (!instance) {
    r.error = instance.error().message();
    return r;
  }
  (*instance)->setHostData(ctx->get());
  auto result = (*instance)->run("_start");
  if (!result) {
    r.error = result.error().message();
    return r;
  }
  switch (result->kind) {
  case lucet::rt::RunResult::Kind::Returned:
    r.ok = true;
    break;
  case lucet::rt::RunResult::Kind::Exited:
    r.ok = true;
    r.exitCode = result->exitCode;
    break;
  case lucet::rt::RunResult::Kind::Trapped:
    r.error = "trapped";
    break;
  }
  return r;
}

class ScratchDir {
public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "lucet-api-wasi-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path &path() const { return path_; }
  std::string read(const std::string &rel) const {
    std::ifstream in(path_ / rel, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void write(const std::string &rel, const std::string &text) const {
    std::ofstream(path_ / rel, std::ios::binary) << text;
  }

private:
  fs::path path_;
};

TEST(WasiConfig, CapturedStdoutOfAGuest) {
  lucet::WasiOutput out, err;
  lucet::WasiConfig config;
  config.args({"hello"}).stdoutCapture(out).stderrCapture(err);
  GuestRun r = runGuest("hello", config);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.exitCode, 0u);
  EXPECT_EQ(out.contents(), "Hello, world!\n");
  EXPECT_EQ(err.contents(), "");
  // Copies share the buffer; a new instance from the same config starts it
  // afresh.
  lucet::WasiOutput copy = out;
  GuestRun again = runGuest("hello", config);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(copy.contents(), "Hello, world!\n");
}

TEST(WasiConfig, StdinFromBytes) {
  std::string input;
  for (int i = 0; i < 3000; ++i) input += "line " + std::to_string(i) + "\n";
  lucet::WasiOutput out;
  lucet::WasiConfig config;
  config.args({"stdin_read"}).stdinBytes(input).stdoutCapture(out);
  GuestRun r = runGuest("stdin_read", config);
  ASSERT_TRUE(r.ok) << r.error;
  // The guest also checks that writing to its stdin fails with EBADF.
  EXPECT_EQ(r.exitCode, 0u) << out.contents();
  EXPECT_EQ(out.contents(),
            "bytes=" + std::to_string(input.size()) + " lines=3000\nlast=line 2999\n");
}

TEST(WasiConfig, StdioToHostFilesAndPipes) {
  ScratchDir dir;
  dir.write("in.txt", "one\ntwo\n");
  int pipeFds[2];
  ASSERT_EQ(pipe2(pipeFds, O_CLOEXEC), 0);
  lucet::WasiConfig config;
  config.args({"stdin_read"})
      .stdinStream(lucet::WasiStdio::file((dir.path() / "in.txt").string()))
      .stdoutStream(lucet::WasiStdio::fd(pipeFds[1]));
  GuestRun r = runGuest("stdin_read", config);
  // The context held the only other copy of the write end; with it gone,
  // the pipe reads to its end.
  close(pipeFds[1]);
  ASSERT_TRUE(r.ok) << r.error;
  std::string got;
  char buf[256];
  for (ssize_t n; (n = read(pipeFds[0], buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
  close(pipeFds[0]);
  EXPECT_EQ(got, "bytes=8 lines=2\nlast=two\n");

  lucet::WasiConfig toFile;
  toFile.args({"hello"}).stdoutStream(lucet::WasiStdio::file((dir.path() / "out.txt").string()));
  GuestRun h = runGuest("hello", toFile);
  ASSERT_TRUE(h.ok) << h.error;
  EXPECT_EQ(dir.read("out.txt"), "Hello, world!\n");
}

TEST(WasiConfig, StdioErrorsNameTheStream) {
  lucet::WasiConfig config;
  config.stdoutStream(lucet::WasiStdio::file("/definitely/not/here/out.txt"));
  GuestRun r = runGuest("hello", config);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "stdout: /definitely/not/here/out.txt: No such file or directory");

  lucet::WasiConfig badFd;
  badFd.stdinStream(lucet::WasiStdio::fd(12345));
  r = runGuest("hello", badFd);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "stdin: host fd 12345: Bad file descriptor");
}

TEST(WasiConfig, ReadOnlyPreopenRefusesWrites) {
  ScratchDir dir;
  dir.write("keep.txt", "keep\n");
  fs::create_directory(dir.path() / "sub");
  lucet::WasiOutput out;
  lucet::WasiConfig config;
  config.args({"readonly_dir", "/ro"})
      .preopenDirReadOnly(dir.path().string(), "/ro")
      .stdoutCapture(out);
  GuestRun r = runGuest("readonly_dir", config);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.exitCode, 0u) << out.contents();
  std::string text = out.contents();
  EXPECT_TRUE(text.starts_with("read: keep\n")) << text;
  EXPECT_TRUE(text.ends_with("done\n")) << text;
  size_t refusals = 0;
  for (size_t at = 0; (at = text.find("refused: ", at)) != std::string::npos; ++at) ++refusals;
  EXPECT_EQ(refusals, 9u) << text;
  EXPECT_EQ(text.find("EPERM"), std::string::npos) << "want ENOTCAPABLE:\n" << text;
  // Nothing changed on the host.
  std::vector<std::string> names;
  for (const auto &e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"keep.txt", "sub"}));
  EXPECT_EQ(dir.read("keep.txt"), "keep\n");
  EXPECT_TRUE(fs::is_empty(dir.path() / "sub"));

  // The same guest in a read-write preopen gets past the first refusal.
  lucet::WasiOutput rwOut;
  lucet::WasiConfig rw;
  rw.args({"readonly_dir", "/rw"}).preopenDir(dir.path().string(), "/rw").stdoutCapture(rwOut);
  GuestRun w = runGuest("readonly_dir", rw);
  ASSERT_TRUE(w.ok) << w.error;
  EXPECT_EQ(w.exitCode, 1u);
  EXPECT_NE(rwOut.contents().find("FAIL"), std::string::npos) << rwOut.contents();
  EXPECT_TRUE(fs::exists(dir.path() / "new.txt"));
}

} // namespace
