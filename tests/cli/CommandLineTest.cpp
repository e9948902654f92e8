// Help, version, and every kind of bad input: each gives a message naming
// the problem and the documented exit status, never a crash.
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

constexpr int LoadError = 1;
constexpr int UsageError = 2;

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(CommandLineTest, HelpDocumentsTheInterface) {
  auto r = runLucetWasi({"--help"});
  EXPECT_EQ(r.exitStatus, 0);
  const std::string &help = r.stdoutText;
  EXPECT_TRUE(contains(help, "Usage: lucet-wasi [OPTIONS] <lucet_module> [--] [guest_args]..."))
      << help;
  for (const char *part : {"--entrypoint", "_start", "--heap-address-space", "8 GiB",
                           "--max-heap-size", "4 GiB", "--stack-size", "8 MiB", "--dir", "--env",
                           "KEY=VALUE", "--inherit-env", "-V,--version", "134", "LUCET_CACHE_DIR"})
    EXPECT_TRUE(contains(help, part)) << "missing " << part << " in\n" << help;
  EXPECT_EQ(runLucetWasi({"-h"}).stdoutText, help);
}

TEST(CommandLineTest, Version) {
  auto r = runLucetWasi({"-V"});
  EXPECT_EQ(r.exitStatus, 0);
  EXPECT_TRUE(r.stdoutText.starts_with("lucet-wasi ")) << r.stdoutText;
  EXPECT_EQ(runLucetWasi({"--version"}).stdoutText, r.stdoutText);
}

void expectUsageError(const std::vector<std::string> &args,
                      const std::vector<std::string> &messageParts) {
  auto r = runLucetWasi(args);
  EXPECT_EQ(r.exitStatus, UsageError) << r.stderrText;
  EXPECT_TRUE(r.stderrText.starts_with("lucet-wasi: error: ")) << r.stderrText;
  for (const std::string &part : messageParts)
    EXPECT_TRUE(contains(r.stderrText, part)) << "missing '" << part << "' in " << r.stderrText;
  EXPECT_EQ(r.stdoutText, "");
}

TEST(CommandLineTest, ModuleIsRequired) {
  expectUsageError({}, {"lucet_module"});
  expectUsageError({"--dir", "/tmp"}, {"lucet_module"});
}

TEST(CommandLineTest, MaxHeapSizeMustBeAPageMultiple) {
  expectUsageError({"--max-heap-size", "4097", guestPath("hello")},
                   {"--max-heap-size", "4097", "multiple of 4 KiB"});
}

TEST(CommandLineTest, HeapAddressSpaceMustHoldTheHeap) {
  expectUsageError({"--heap-address-space", "1GiB", "--max-heap-size", "2GiB", guestPath("hello")},
                   {"--heap-address-space", "--max-heap-size"});
}

TEST(CommandLineTest, StackSizeMustBeASize) {
  expectUsageError({"--stack-size", "banana", guestPath("hello")}, {"--stack-size", "banana"});
  expectUsageError({"--stack-size=5000", guestPath("hello")}, {"--stack-size", "4 KiB"});
}

TEST(CommandLineTest, UnknownFlag) {
  expectUsageError({"--frobnicate", guestPath("hello")}, {"unknown option '--frobnicate'"});
  expectUsageError({"-q", guestPath("hello")}, {"unknown option '-q'"});
}

TEST(CommandLineTest, FlagWithoutValue) {
  expectUsageError({"--entrypoint"}, {"--entrypoint"});
}

TEST(CommandLineTest, MissingDirHostPath) {
  TempDir dir;
  std::string missing = (dir.path() / "does-not-exist").string();
  expectUsageError({"--dir", "/data:" + missing, guestPath("hello")},
                   {"--dir", missing, "No such file or directory"});
  expectUsageError({"--dir", missing, guestPath("hello")}, {"--dir", missing});
}

TEST(CommandLineTest, DirHostPathMustBeADirectory) {
  TempDir dir;
  writeText(dir.path() / "file", "x");
  expectUsageError({"--dir", "/f:" + (dir.path() / "file").string(), guestPath("hello")},
                   {"--dir", "not a directory"});
}

TEST(CommandLineTest, DirPathsMustNotBeEmpty) {
  expectUsageError({"--dir", ":/tmp", guestPath("hello")}, {"--dir", "guest path"});
  expectUsageError({"--dir", "/x:", guestPath("hello")}, {"--dir", "host path"});
}

void expectLoadError(const std::vector<std::string> &args,
                     const std::vector<std::string> &messageParts) {
  auto r = runLucetWasi(args);
  EXPECT_EQ(r.exitStatus, LoadError) << r.stderrText;
  EXPECT_TRUE(r.stderrText.starts_with("lucet-wasi: error: ")) << r.stderrText;
  for (const std::string &part : messageParts)
    EXPECT_TRUE(contains(r.stderrText, part)) << "missing '" << part << "' in " << r.stderrText;
  EXPECT_EQ(r.stdoutText, "");
}

TEST(CommandLineTest, EnvMustBeKeyEqualsValue) {
  expectUsageError({"--env", "NOEQUALS", guestPath("args_env")},
                   {"--env", "NOEQUALS", "KEY=VALUE"});
  expectUsageError({"--env", "=value", guestPath("args_env")}, {"--env", "=value", "empty"});
  expectUsageError({"--env=", guestPath("args_env")}, {"--env"});
  expectUsageError({"--env"}, {"--env"});
}

TEST(CommandLineTest, MissingModuleFile) {
  TempDir dir;
  std::string missing = (dir.path() / "missing.so").string();
  expectLoadError({missing}, {missing, "No such file or directory"});
}

TEST(CommandLineTest, GarbageFile) {
  TempDir dir;
  fs::path garbage = dir.path() / "garbage.so";
  writeText(garbage, "this is not a shared object, nor a wasm module\n");
  expectLoadError({garbage.string()}, {garbage.string()});
}

TEST(CommandLineTest, DirectoryAsModule) {
  TempDir dir;
  expectLoadError({dir.str()}, {dir.str() + ": is a directory, not a regular file"});
}

TEST(CommandLineTest, TruncatedWasm) {
  TempDir dir;
  std::string whole = readText(guestPath("hello", ".wasm"));
  ASSERT_GT(whole.size(), 200u);
  fs::path truncated = dir.path() / "truncated.wasm";
  writeText(truncated, whole.substr(0, 200));
  expectLoadError({truncated.string()}, {"cannot compile", truncated.string()});
}

// dlopen mapped what a truncated file does not hold and died of SIGBUS.
TEST(CommandLineTest, TruncatedSharedObject) {
  TempDir dir;
  std::string whole = readText(guestPath("hello"));
  ASSERT_GT(whole.size(), 16000u);
  fs::path truncated = dir.path() / "truncated.so";
  // Half: the cut falls inside the loaded segments, not just the section
  // headers and symbols after them.
  writeText(truncated, whole.substr(0, whole.size() / 2));
  expectLoadError({truncated.string()},
                  {truncated.string(), "not a lucetc artifact", "past the end of the file"});
}

TEST(CommandLineTest, ForeignSharedObjectNeverRuns) {
  TempDir dir;
  fs::path marker = dir.path() / "marker";
  std::vector<std::string> environment = defaultEnvironment();
  environment.push_back("LUCET_TEST_CONSTRUCTOR_MARKER=" + marker.string());
  auto r = runLucetWasi({LUCET_FOREIGN_LIBRARY}, environment);
  EXPECT_EQ(r.exitStatus, LoadError) << r.stderrText;
  EXPECT_TRUE(contains(r.stderrText, "not a lucetc artifact (no lucet_module_record_v1 symbol)"))
      << r.stderrText;
  EXPECT_FALSE(fs::exists(marker)) << "the library's constructor ran";
}

// Opening a FIFO for reading waits for a writer: lucet-wasi hung.
TEST(CommandLineTest, FifoAsModule) {
  TempDir dir;
  fs::path fifo = dir.path() / "module.so";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::vector<std::string> argv = {"/usr/bin/timeout", "20", LUCET_WASI_EXE, fifo.string()};
  auto r = runProgram(argv);
  EXPECT_NE(r.exitStatus, 124) << "lucet-wasi blocked on a FIFO";
  EXPECT_EQ(r.exitStatus, LoadError) << r.stderrText;
  EXPECT_TRUE(contains(r.stderrText, fifo.string() + ": is a FIFO, not a regular file"))
      << r.stderrText;
}

TEST(CommandLineTest, EmptyAndTextFilesAsModule) {
  TempDir dir;
  fs::path empty = dir.path() / "empty.so";
  writeText(empty, "");
  expectLoadError({empty.string()}, {empty.string(), "an empty file, not an ELF shared object"});
  fs::path text = dir.path() / "text.so";
  writeText(text, "#!/bin/sh\necho hello\n");
  expectLoadError({text.string()}, {text.string(), "not an ELF file"});
}

TEST(CommandLineTest, WasmLargerThanTheLimit) {
  TempDir dir;
  fs::path huge = dir.path() / "huge.wasm";
  writeText(huge, std::string("\0asm\1\0\0\0", 8));
  fs::resize_file(huge, (uint64_t(1) << 30) + 1); // sparse
  expectLoadError({huge.string()}, {huge.string(), "too large"});
}

TEST(CommandLineTest, UnknownImport) {
  expectLoadError({guestPath("unknown_import")}, {"env", "no_such_function"});
}

TEST(CommandLineTest, MissingEntrypoint) {
  expectLoadError({"--entrypoint", "no_such_export", guestPath("hello")}, {"no_such_export"});
}

TEST(CommandLineTest, OtherEntrypoint) {
  auto r = runLucetWasi({"--entrypoint", "greet_other", guestPath("hello")});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "Hello from another entrypoint\n");
}

TEST(CommandLineTest, UncheckedModuleNeedsItsAddressSpace) {
  // hello.so was compiled for guard pages over 8 GiB; with less address
  // space it would be unsafe, so it is refused rather than run.
  expectLoadError({"--heap-address-space", "1GiB", "--max-heap-size", "1GiB", guestPath("hello")},
                  {"--heap-address-space"});
}

} // namespace
} // namespace lucet::clitest
