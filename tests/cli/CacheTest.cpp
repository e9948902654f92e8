// Running a .wasm directly: compiled once with lucetc, then reused from the
// cache.
#include "ToolRunner.h"

#include "tools/lucet-wasi/ModuleCache.h"

#include "abi/CpuFeatures.h"
#include "platform/CpuFeatures.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <sys/stat.h>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> cachedArtifacts(const fs::path &dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto &entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

std::vector<std::string> environmentWith(const std::string &cacheVariable) {
  std::string lucetcDir = fs::path(LUCETC_EXE).parent_path().string();
  return {"PATH=" + lucetcDir + ":/usr/bin:/bin", cacheVariable};
}

TEST(CacheTest, WasmRunsTwiceFromOneCompilation) {
  TempDir cache;
  auto env = environmentWith("LUCET_CACHE_DIR=" + cache.str());
  auto first = runLucetWasi({guestPath("hello", ".wasm")}, env);
  EXPECT_EQ(first.exitStatus, 0) << first.stderrText;
  EXPECT_EQ(first.stdoutText, "Hello, world!\n");
  auto files = cachedArtifacts(cache.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".so");
  struct stat before;
  ASSERT_EQ(::stat(files[0].c_str(), &before), 0);

  auto second = runLucetWasi({guestPath("hello", ".wasm")}, env);
  EXPECT_EQ(second.exitStatus, 0) << second.stderrText;
  EXPECT_EQ(second.stdoutText, "Hello, world!\n");
  EXPECT_EQ(cachedArtifacts(cache.path()), files);
  struct stat after;
  ASSERT_EQ(::stat(files[0].c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino) << "the artifact was compiled again";
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

TEST(CacheTest, TextModulesRunLikeBinaryOnes) {
  TempDir dir, cache;
  auto wat = dir.path() / "hello.wat";
  writeText(wat, R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hello from wat\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 15))
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))))");
  auto env = environmentWith("LUCET_CACHE_DIR=" + cache.str());
  auto r = runLucetWasi({wat.string()}, env);
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "hello from wat\n");
  EXPECT_EQ(cachedArtifacts(cache.path()).size(), 1u);

  writeText(wat, "(module (func $f) (func $f))");
  auto bad = runLucetWasi({wat.string()}, env);
  EXPECT_EQ(bad.exitStatus, 1);
  EXPECT_NE(bad.stderrText.find("hello.wat: 1:25: duplicate function"), std::string::npos)
      << bad.stderrText;
}

TEST(CacheTest, WasmIsRecognizedByContentNotName) {
  TempDir dir;
  fs::path renamed = dir.path() / "program.so";
  fs::copy_file(guestPath("args_env", ".wasm"), renamed);
  auto r = runLucetWasi({renamed.string(), "x"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "argc=2\nargv[0]=" + renamed.string() + "\nargv[1]=x\nenvc=0\n");
}

TEST(CacheTest, OptionsThatChangeCodeGetTheirOwnEntry) {
  TempDir cache;
  auto env = environmentWith("LUCET_CACHE_DIR=" + cache.str());
  auto unchecked = runLucetWasi({guestPath("hello", ".wasm")}, env);
  EXPECT_EQ(unchecked.exitStatus, 0) << unchecked.stderrText;
  auto checked = runLucetWasi(
      {"--heap-address-space", "2GiB", "--max-heap-size", "1GiB", guestPath("hello", ".wasm")},
      env);
  EXPECT_EQ(checked.exitStatus, 0) << checked.stderrText;
  EXPECT_EQ(checked.stdoutText, "Hello, world!\n");
  EXPECT_EQ(cachedArtifacts(cache.path()).size(), 2u);
}

TEST(CacheTest, FallsBackToXdgCacheHome) {
  TempDir xdg;
  auto r =
      runLucetWasi({guestPath("hello", ".wasm")}, environmentWith("XDG_CACHE_HOME=" + xdg.str()));
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(cachedArtifacts(xdg.path() / "lucet").size(), 1u);
}

TEST(CacheTest, FallsBackToHome) {
  TempDir home;
  auto r = runLucetWasi({guestPath("hello", ".wasm")}, environmentWith("HOME=" + home.str()));
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(cachedArtifacts(home.path() / ".cache" / "lucet").size(), 1u);
}

TEST(CacheTest, TrapsInACompiledWasmAreReportedToo) {
  auto r = runLucetWasi({guestPath("trap_div_zero", ".wasm")});
  EXPECT_EQ(r.exitStatus, 134) << r.stderrText;
  EXPECT_TRUE(r.stderrText.starts_with("lucet-wasi: trap: integer divide by zero in divide"))
      << r.stderrText;
}

TEST(CacheTest, NoCompilerIsAClearError) {
  TempDir cache;
  auto r = runLucetWasi({guestPath("hello", ".wasm")},
                        {"PATH=/nonexistent", "LUCET_CACHE_DIR=" + cache.str()});
  EXPECT_EQ(r.exitStatus, 1);
  EXPECT_TRUE(r.stderrText.starts_with("lucet-wasi: error: ")) << r.stderrText;
  EXPECT_NE(r.stderrText.find("lucetc"), std::string::npos) << r.stderrText;
}

TEST(CacheKeyTest, DependsOnContentCompilerAndFlags) {
  std::vector<uint8_t> wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
  std::string base = tools::cacheKey(wasm, "lucetc 1", {"--reserved-size", "1"});
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(tools::cacheKey(wasm, "lucetc 1", {"--reserved-size", "1"}), base);
  EXPECT_NE(tools::cacheKey(wasm, "lucetc 2", {"--reserved-size", "1"}), base);
  EXPECT_NE(tools::cacheKey(wasm, "lucetc 1", {"--reserved-size", "2"}), base);
  EXPECT_NE(tools::cacheKey(wasm, "lucetc 1", {"--reserved-size1"}), base);
  wasm.push_back(0);
  EXPECT_NE(tools::cacheKey(wasm, "lucetc 1", {"--reserved-size", "1"}), base);
}

TEST(CacheKeyTest, HeapFlagsMatchTheAddressSpace) {
  EXPECT_EQ(
      tools::heapFlagsFor(8ull << 30),
      (std::vector<std::string>{"--reserved-size", "4294967296", "--guard-size", "4294967296"}));
  EXPECT_EQ(tools::heapFlagsFor(1ull << 30),
            (std::vector<std::string>{"--reserved-size", "1073741824", "--guard-size", "0"}));
}

// The cache key names this CPU's features, each one that lucetc may use and
// the CPU really has, so that artifacts made on another CPU are not reused.
TEST(CacheKey, NamesTheHostCpuFeatures) {
  std::string cpu = tools::hostCpuDescription();
  ASSERT_EQ(cpu.rfind("cpu:", 0), 0u) << cpu;
  std::string rest = cpu.substr(4);
  size_t start = 0;
  while (start < rest.size()) {
    size_t comma = rest.find(',', start);
    ASSERT_NE(comma, std::string::npos) << cpu;
    std::string feature = rest.substr(start, comma - start);
    EXPECT_NE(std::find(lucet::abi::CheckableCpuFeatures.begin(),
                        lucet::abi::CheckableCpuFeatures.end(), feature),
              lucet::abi::CheckableCpuFeatures.end())
        << feature;
    EXPECT_TRUE(lucet::platform::cpuHasFeature(feature)) << feature;
    start = comma + 1;
  }
}

} // namespace
} // namespace lucet::clitest
