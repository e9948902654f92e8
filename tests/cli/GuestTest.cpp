// Guests that run to completion: output, arguments, files, exit statuses.
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <regex>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

TEST(GuestTest, HelloWorld) {
  auto r = runLucetWasi({guestPath("hello")});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "Hello, world!\n");
  EXPECT_EQ(r.stderrText, "");
}

TEST(GuestTest, ArgumentsAfterTheModuleAreVerbatimAndEnvironmentIsEmpty) {
  std::string module = guestPath("args_env");
  auto r = runLucetWasi({module, "a", "-b", "--dir", "x", "--max-heap-size", "1"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "argc=7\nargv[0]=" + module +
                              "\nargv[1]=a\nargv[2]=-b\nargv[3]=--dir\nargv[4]=x\n"
                              "argv[5]=--max-heap-size\nargv[6]=1\nenvc=0\n");
}

TEST(GuestTest, DoubleDashSeparatesOnlyOnce) {
  std::string module = guestPath("args_env");
  auto r = runLucetWasi({"--stack-size", "1MiB", module, "--", "--", "-z"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "argc=3\nargv[0]=" + module + "\nargv[1]=--\nargv[2]=-z\nenvc=0\n");
}

TEST(GuestTest, DoubleDashBeforeTheModule) {
  std::string module = guestPath("args_env");
  auto r = runLucetWasi({"--", module, "-x"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "argc=2\nargv[0]=" + module + "\nargv[1]=-x\nenvc=0\n");
}

// The seed's example: options after the module, guest arguments after "--".
TEST(GuestTest, OptionsAfterTheModuleBeforeDoubleDash) {
  TempDir dir;
  std::string module = guestPath("preopens");
  auto r = runLucetWasi(
      {module, "--dir", "/data:" + dir.str(), "--max-heap-size", "2GiB", "--", "example_arg"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "fd 3: /data\n");
}

TEST(GuestTest, HostEnvironmentIsNotPassedOn) {
  auto env = defaultEnvironment();
  env.push_back("SECRET=do-not-leak");
  auto r = runLucetWasi({guestPath("args_env")}, env);
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText.find("SECRET"), std::string::npos);
  EXPECT_NE(r.stdoutText.find("envc=0\n"), std::string::npos);
}

TEST(GuestTest, EnvSetsVariablesInOrder) {
  std::string module = guestPath("args_env");
  auto r = runLucetWasi({"--env", "A=1", "--env=B=x=y", "--env", "EMPTY=", module, "arg"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "argc=2\nargv[0]=" + module +
                              "\nargv[1]=arg\nenv=A=1\nenv=B=x=y\nenv=EMPTY=\nenvc=3\n");
}

TEST(GuestTest, EnvAfterTheModuleBeforeDoubleDash) {
  std::string module = guestPath("args_env");
  auto r = runLucetWasi({module, "--env", "K=v", "--", "--env", "G=h"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText,
            "argc=3\nargv[0]=" + module + "\nargv[1]=--env\nargv[2]=G=h\nenv=K=v\nenvc=1\n");
}

TEST(GuestTest, InheritEnvPassesTheHostEnvironment) {
  auto env = defaultEnvironment();
  env.push_back("LUCET_TEST_INHERITED=from-host");
  env.push_back("LUCET_TEST_OVERRIDDEN=host-value");
  auto r = runLucetWasi({"--inherit-env", "--env", "LUCET_TEST_OVERRIDDEN=flag-value", "--env",
                         "LUCET_TEST_ADDED=1", guestPath("args_env")},
                        env);
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  const std::string &out = r.stdoutText;
  EXPECT_NE(out.find("env=LUCET_TEST_INHERITED=from-host\n"), std::string::npos) << out;
  EXPECT_NE(out.find("env=LUCET_TEST_OVERRIDDEN=flag-value\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("host-value"), std::string::npos) << out;
  EXPECT_NE(out.find("env=LUCET_TEST_ADDED=1\n"), std::string::npos) << out;
  // Every host variable arrives: the test's own environment has them all.
  EXPECT_NE(out.find("envc=" + std::to_string(env.size() + 1) + "\n"), std::string::npos) << out;
}

// Runs the files guest with `dirFlag` and checks both what it printed and
// what it left on the host.
void expectFilesGuestWorks(const fs::path &hostDir, const std::string &dirFlag,
                           const std::string &guestDir) {
  writeText(hostDir / "host.txt", "from the host\n");
  auto r = runLucetWasi({"--dir", dirFlag, guestPath("files"), guestDir});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "read: written by the guest\n"
                          "host file: from the host\n"
                          "entry: greeting.txt\n"
                          "entry: host.txt\n"
                          "entry: subdir\n");
  EXPECT_EQ(readText(hostDir / "greeting.txt"), "written by the guest\n");
  EXPECT_EQ(readText(hostDir / "subdir" / "nested.txt"), "nested\n");
}

TEST(GuestTest, FilesInAPreopenedDirectory) {
  TempDir dir;
  expectFilesGuestWorks(dir.path(), "/sandbox:" + dir.str(), "/sandbox");
}

TEST(GuestTest, PlainDirMapsToItself) {
  TempDir dir;
  expectFilesGuestWorks(dir.path(), dir.str(), dir.str());
}

TEST(GuestTest, GuestPathMayBeRoot) {
  TempDir dir;
  expectFilesGuestWorks(dir.path(), "/:" + dir.str(), "/");
}

TEST(GuestTest, HostPathIsSplitAtTheFirstColon) {
  TempDir dir;
  fs::create_directory(dir.path() / "with:colon");
  expectFilesGuestWorks(dir.path() / "with:colon", "/data:" + (dir.path() / "with:colon").string(),
                        "/data");
}

TEST(GuestTest, PreopensAreNumberedInTheOrderGiven) {
  TempDir a, b, c;
  auto r = runLucetWasi({"--dir", "/first:" + a.str(), "--dir", "/second:" + b.str(), "--dir",
                         c.str(), guestPath("preopens")});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "fd 3: /first\nfd 4: /second\nfd 5: " + c.str() + "\n");
}

TEST(GuestTest, NoPreopensWithoutDir) {
  auto r = runLucetWasi({guestPath("preopens")});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "");
}

TEST(GuestTest, EscapeFromThePreopenIsRefused) {
  TempDir outer;
  fs::path box = outer.path() / "box";
  fs::create_directory(box);
  auto r = runLucetWasi({"--dir", "/sandbox:" + box.string(), guestPath("escape"), "/sandbox"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText.find("ESCAPED"), std::string::npos) << r.stdoutText;
  EXPECT_NE(r.stdoutText.find("sandbox held\n"), std::string::npos) << r.stdoutText;
  // Nothing may have been created beside the box or at the absolute paths.
  std::vector<std::string> outside;
  for (const auto &entry : fs::directory_iterator(outer.path()))
    outside.push_back(entry.path().filename().string());
  EXPECT_EQ(outside, std::vector<std::string>{"box"});
  EXPECT_FALSE(fs::exists("/escaped_absolute.txt"));
  EXPECT_FALSE(fs::exists("/tmp/escaped_raw_absolute.txt"));
}

// A module importing wasi_unstable (snapshot 0) instead of preview1; the
// guest checks the snapshot-0 encodings itself and exits with the number of
// the first check that failed.
TEST(GuestTest, WasiUnstableModuleRuns) {
  TempDir dir;
  writeText(dir.path() / "data.txt", "0123456789");
  auto r = runLucetWasi({"--dir", "/d:" + dir.str(), guestPath("unstable")});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "unstable ok\n");
  EXPECT_EQ(r.stderrText, "");
}

// The start function runs during instantiation and may call WASI, so the
// context must be there already.
TEST(GuestTest, StartFunctionCallsWasi) {
  auto r = runLucetWasi({guestPath("start_calls_wasi"), "one", "two"});
  EXPECT_EQ(r.exitStatus, 0) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "hello from start\nargc=3\n");
  EXPECT_EQ(r.stderrText, "");
}

struct ExitCase {
  std::vector<std::string> args;
  int status;
};

void PrintTo(const ExitCase &c, std::ostream *os) {
  for (const std::string &arg : c.args) *os << arg << ' ';
}

class ExitStatusTest : public testing::TestWithParam<ExitCase> {};

TEST_P(ExitStatusTest, GuestStatusBecomesOurs) {
  std::vector<std::string> args = {guestPath("exit_code")};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  auto r = runLucetWasi(args);
  EXPECT_EQ(r.exitStatus, GetParam().status) << r.stderrText;
  EXPECT_EQ(r.stderrText, "");
}

INSTANTIATE_TEST_SUITE_P(Statuses, ExitStatusTest,
                         testing::Values(ExitCase{{"0"}, 0}, ExitCase{{"3"}, 3},
                                         ExitCase{{"42"}, 42}, ExitCase{{"255"}, 255},
                                         ExitCase{{"return", "7"}, 7},
                                         ExitCase{{"return", "0"}, 0}),
                         [](const testing::TestParamInfo<ExitCase> &info) {
                           return (info.param.args.size() > 1 ? "return_" : "exit_") +
                                  std::to_string(info.param.status);
                         });

// proc_exit(256) must not look like success, as the low 8 bits alone would.
TEST(ExitStatusTest, StatusAbove255BecomesFailure) {
  for (const char *code : {"256", "512", "1000000"}) {
    auto r = runLucetWasi({guestPath("exit_code"), code});
    EXPECT_EQ(r.exitStatus, 255) << code << ": " << r.stderrText;
    EXPECT_NE(r.stderrText.find(std::string("exited with status ") + code), std::string::npos)
        << r.stderrText;
  }
}

// The malloc loop stops when memory.grow hits --max-heap-size; the program's
// own code and data take a little of the limit.
int allocatedMiB(const ProcessResult &r) {
  std::smatch match;
  if (!std::regex_search(r.stdoutText, match, std::regex("allocated ([0-9]+) MiB"))) return -1;
  return std::stoi(match[1]);
}

TEST(GuestTest, MaxHeapSizeBoundsMalloc) {
  auto r64 = runLucetWasi({"--max-heap-size", "64MiB", guestPath("heap_limit")});
  EXPECT_EQ(r64.exitStatus, 0) << r64.stderrText;
  int got64 = allocatedMiB(r64);
  EXPECT_GE(got64, 56) << r64.stdoutText;
  EXPECT_LE(got64, 64) << r64.stdoutText;

  auto r16 = runLucetWasi({"--max-heap-size", "16 MiB", guestPath("heap_limit")});
  EXPECT_EQ(r16.exitStatus, 0) << r16.stderrText;
  int got16 = allocatedMiB(r16);
  EXPECT_GE(got16, 8) << r16.stdoutText;
  EXPECT_LE(got16, 16) << r16.stdoutText;
}

// Runs a program's native build and its guest: both must exit 0 with the
// same output. Returns both outputs.
struct BothOutputs {
  std::string native, guest;
};
BothOutputs expectSameAsNative(const char *native, const char *guest) {
  auto n = runProgram({native});
  EXPECT_EQ(n.exitStatus, 0);
  EXPECT_FALSE(n.stdoutText.empty());
  auto w = runLucetWasi({guestPath(guest)});
  EXPECT_EQ(w.exitStatus, 0) << w.stderrText;
  EXPECT_EQ(w.stdoutText, n.stdoutText);
  return {n.stdoutText, w.stdoutText};
}

// C++ exceptions (clang's wasm exception handling) behave as natively:
// same output, every destructor run, every exception freed.
TEST(GuestTest, CxxExceptionsMatchTheNativeBuild) {
  auto out = expectSameAsNative(LUCET_CXX_EXCEPTIONS_NATIVE, "cxx_exceptions");
  EXPECT_NE(out.native.find("tracked objects alive 0"), std::string::npos);
}

// Tens of millions of C tail calls (return_call, return_call_indirect) in
// the default 8 MiB of guest stack, as natively.
TEST(GuestTest, TailCallsMatchTheNativeBuild) {
  expectSameAsNative(LUCET_TAIL_CALLS_NATIVE, "tail_calls");
}

// A wasm64 program: its memory has 64-bit addresses.
TEST(GuestTest, Memory64MatchesTheNativeBuild) {
  auto out = expectSameAsNative(LUCET_MEMORY64_NATIVE, "memory64");
  EXPECT_NE(out.guest.find("pointer bytes 8"), std::string::npos);
}

// unsigned __int128 products: lucetc compiles the guest's __multi3 as one
// native multiply (compiler/WideMultiply.h); every product agrees with a
// schoolbook one and the checksum with the native build's.
TEST(GuestTest, WideMultipliesMatchTheNativeBuild) {
  expectSameAsNative(LUCET_WIDE_MULTIPLY_NATIVE, "wide_multiply");
}

TEST(GuestTest, OutputMatchesTheNativeBuild) {
  expectSameAsNative(LUCET_DETERMINISTIC_NATIVE, "deterministic");
}

} // namespace
} // namespace lucet::clitest
