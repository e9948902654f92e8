// lucetc as a user runs it: flags, outputs and the errors for bad input,
// each with its message and exit status (0 ok, 1 cannot compile, 2 usage).
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

namespace lucet::clitest {
namespace {

ProcessResult runLucetc(std::vector<std::string> args) {
  args.insert(args.begin(), LUCETC_EXE);
  return runProgram(args);
}

std::string bytesOf(const std::filesystem::path &path) {
  return readText(path);
}

TEST(Lucetc, VersionAndHelp) {
  auto version = runLucetc({"-V"});
  EXPECT_EQ(version.exitStatus, 0);
  EXPECT_EQ(version.stdoutText.rfind("lucetc ", 0), 0u) << version.stdoutText;
  EXPECT_NE(version.stdoutText.find("LLVM 19"), std::string::npos);
  auto help = runLucetc({"--help"});
  EXPECT_EQ(help.exitStatus, 0);
  for (const char *flag : {"--opt-level", "--emit", "--reserved-size", "--guard-size", "-o",
                           "--target-cpu", "--jobs", "auto"})
    EXPECT_NE(help.stdoutText.find(flag), std::string::npos) << flag;
}

TEST(Lucetc, WritesEachKindOfOutput) {
  TempDir dir;
  auto input = dir.path() / "hello.wasm";
  std::filesystem::copy_file(guestPath("hello", ".wasm"), input);

  // Without -o the output sits beside the input.
  auto so = runLucetc({input.string()});
  ASSERT_EQ(so.exitStatus, 0) << so.stderrText;
  EXPECT_EQ(bytesOf(dir.path() / "hello.so").substr(0, 4), "\x7f"
                                                           "ELF");

  auto obj = runLucetc({input.string(), "--emit", "obj", "-o", (dir.path() / "h.o").string()});
  ASSERT_EQ(obj.exitStatus, 0) << obj.stderrText;
  std::string object = bytesOf(dir.path() / "h.o");
  ASSERT_GT(object.size(), 18u);
  EXPECT_EQ(object[16], 1) << "e_type should be ET_REL";

  auto ll = runLucetc(
      {input.string(), "--emit", "ll", "--opt-level", "0", "-o", (dir.path() / "h.ll").string()});
  ASSERT_EQ(ll.exitStatus, 0) << ll.stderrText;
  EXPECT_NE(bytesOf(dir.path() / "h.ll").find("define internal"), std::string::npos);
}

// The __multi3 that clang-19 links into a program with unsigned __int128
// products is the build lucetc recognises (compiler/WideMultiply.h): its
// IR has a 128-bit multiply, which nothing else in the guest has. When
// Debian's compiler-rt changes, this fails until WideMultiply.cpp learns
// the new body.
TEST(Lucetc, CompilesTheGuestsMulti3AsANativeMultiply) {
  TempDir dir;
  auto ll = dir.path() / "w.ll";
  auto r = runLucetc(
      {guestPath("wide_multiply", ".wasm"), "--emit", "ll", "--opt-level", "0", "-o", ll.string()});
  ASSERT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_NE(bytesOf(ll).find("mul i128"), std::string::npos);
}

// -j and --opt-level auto (the default) change how, not what: the same
// bytes for any -j, and auto is -O2 for an ordinary module.
TEST(Lucetc, ThreadsAndTheDefaultLevelKeepTheOutput) {
  TempDir dir;
  auto input = guestPath("hello", ".wasm");
  auto compile = [&](std::vector<std::string> args, const char *name) {
    args.insert(args.begin(), input);
    args.push_back("-o");
    args.push_back((dir.path() / name).string());
    auto r = runLucetc(args);
    EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
    EXPECT_EQ(r.stderrText, ""); // no progress line without a terminal
    return bytesOf(dir.path() / name);
  };
  std::string byDefault = compile({}, "default.so");
  ASSERT_FALSE(byDefault.empty());
  EXPECT_EQ(compile({"-j", "1"}, "j1.so"), byDefault);
  EXPECT_EQ(compile({"-j", "3", "--opt-level", "auto"}, "j3.so"), byDefault);
  EXPECT_EQ(compile({"--opt-level", "2"}, "o2.so"), byDefault);
  EXPECT_NE(compile({"--opt-level", "0"}, "o0.so"), byDefault);
}

TEST(Lucetc, UsageErrorsExit2) {
  TempDir dir;
  auto input = guestPath("hello", ".wasm");
  struct Case {
    std::vector<std::string> args;
    const char *message;
  };
  for (const auto &c :
       {Case{{input, "--opt-level", "7"}, "--opt-level"}, Case{{input, "--emit", "exe"}, "--emit"},
        Case{{input, "--reserved-size", "4097"}, "multiple of 4 KiB"},
        Case{{input, "--guard-size", "lots"}, "--guard-size"},
        Case{{input, "--target-cpu", "pentium"}, "--target-cpu"}, Case{{input, "-j", "many"}, "-j"},
        Case{{input, "--opt-level", "fast"}, "--opt-level"},
        Case{{input, "--frobnicate"}, "frobnicate"}, Case{{}, "input"}}) {
    auto r = runLucetc(c.args);
    EXPECT_EQ(r.exitStatus, 2) << c.message << ": " << r.stderrText;
    EXPECT_NE(r.stderrText.find(c.message), std::string::npos) << r.stderrText;
    EXPECT_EQ(r.stderrText.rfind("lucetc: error: ", 0), 0u) << r.stderrText;
  }
}

TEST(Lucetc, BadInputExits1AndWritesNothing) {
  TempDir dir;
  auto out = (dir.path() / "out.so").string();

  auto missing = runLucetc({(dir.path() / "nope.wasm").string(), "-o", out});
  EXPECT_EQ(missing.exitStatus, 1);
  EXPECT_NE(missing.stderrText.find("nope.wasm: cannot open: No such file or directory"),
            std::string::npos)
      << missing.stderrText;

  auto garbagePath = dir.path() / "garbage.wasm";
  writeText(garbagePath, "this is not wasm at all");
  auto garbage = runLucetc({garbagePath.string(), "-o", out});
  EXPECT_EQ(garbage.exitStatus, 1);
  EXPECT_NE(garbage.stderrText.find(garbagePath.string() + ": not a WebAssembly module"),
            std::string::npos)
      << garbage.stderrText;

  // Text that does not parse: where, and which token.
  auto badTextPath = dir.path() / "bad.wat";
  writeText(badTextPath, "(module\n  (func (i32.frobnicate)))");
  auto badText = runLucetc({badTextPath.string(), "-o", out});
  EXPECT_EQ(badText.exitStatus, 1);
  EXPECT_NE(badText.stderrText.find(badTextPath.string() + ": 2:10: unknown operator"),
            std::string::npos)
      << badText.stderrText;

  std::string wasm = bytesOf(guestPath("hello", ".wasm"));
  auto truncatedPath = dir.path() / "truncated.wasm";
  writeText(truncatedPath, wasm.substr(0, wasm.size() / 2));
  auto truncated = runLucetc({truncatedPath.string(), "-o", out});
  EXPECT_EQ(truncated.exitStatus, 1);
  EXPECT_NE(truncated.stderrText.find("at offset 0x"), std::string::npos) << truncated.stderrText;

  EXPECT_FALSE(std::filesystem::exists(out));
  // No temporary files are left behind either.
  for (const auto &entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_TRUE(entry.path().extension() == ".wasm" || entry.path().extension() == ".wat")
        << entry.path();
}

// The text format compiles as the binary one does, whatever the file is called.
TEST(Lucetc, CompilesTheTextFormat) {
  TempDir dir;
  auto input = dir.path() / "answer.txt";
  writeText(input, ";; a comment first\n(module (func (export \"answer\") (result i32) "
                   "(i32.const 42)))");
  auto so = runLucetc({input.string(), "-o", (dir.path() / "answer.so").string()});
  ASSERT_EQ(so.exitStatus, 0) << so.stderrText;
  EXPECT_EQ(bytesOf(dir.path() / "answer.so").substr(0, 4), "\x7f"
                                                            "ELF");
}

// lucetc read /dev/zero (or a FIFO) into memory without end, or blocked.
// Each input runs with a time and memory limit so that a regression fails
// instead of exhausting the machine. (AddressSanitizer reserves terabytes of
// shadow address space, so a sanitized build gets the time limit only.)
#ifdef LUCET_SANITIZED
constexpr const char *BoundedShell = "exec /usr/bin/timeout %s \"$@\"";
#else
constexpr const char *BoundedShell = "ulimit -v 2000000; exec /usr/bin/timeout %s \"$@\"";
#endif

std::string boundedShell(const char *seconds) {
  std::string command = BoundedShell;
  command.replace(command.find("%s"), 2, seconds);
  return command;
}

TEST(Lucetc, RefusesInputsThatAreNotRegularFiles) {
  TempDir dir;
  auto out = (dir.path() / "out.so").string();
  auto fifo = dir.path() / "fifo.wasm";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  struct Case {
    std::string input, message;
  };
  for (const auto &c : {Case{"/dev/zero", "/dev/zero: is a character device, not a regular file"},
                        Case{fifo.string(), fifo.string() + ": is a FIFO, not a regular file"},
                        Case{dir.str(), dir.str() + ": is a directory, not a regular file"}}) {
    auto r =
        runProgram({"/bin/sh", "-c", boundedShell("20"), "sh", LUCETC_EXE, c.input, "-o", out});
    EXPECT_NE(r.exitStatus, 124) << c.input << ": lucetc did not finish";
    EXPECT_EQ(r.exitStatus, 1) << c.input << ": " << r.stderrText;
    EXPECT_NE(r.stderrText.find(c.message), std::string::npos) << r.stderrText;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(Lucetc, RefusesInputsLargerThanTheLimit) {
  TempDir dir;
  auto huge = dir.path() / "huge.wasm";
  {
    std::ofstream f(huge, std::ios::binary);
    f.write("\0asm\1\0\0\0", 8);
  }
  // Sparse: no disk space is used.
  std::filesystem::resize_file(huge, (uint64_t(1) << 30) + 1);
  auto r = runProgram({"/bin/sh", "-c", boundedShell("60"), "sh", LUCETC_EXE, huge.string(), "-o",
                       (dir.path() / "out.so").string()});
  EXPECT_EQ(r.exitStatus, 1) << r.stderrText;
  EXPECT_NE(r.stderrText.find("too large"), std::string::npos) << r.stderrText;
  EXPECT_NE(r.stderrText.find("1 GiB"), std::string::npos) << r.stderrText;
  auto help = runLucetc({"--help"});
  EXPECT_NE(help.stdoutText.find("at most 1 GiB"), std::string::npos) << help.stdoutText;
}

} // namespace
} // namespace lucet::clitest
