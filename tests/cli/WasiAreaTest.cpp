// One guest per WASI area (tests/guests/fs_*.c, clocks.c, stdin_read.c,
// poll.c), each asserting its own results and errno values: a failed check
// prints "FAIL line N" and exits 1. Here we check what they printed and what
// they left on the host.
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> namesIn(const fs::path &dir) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// A preopen "box" inside a scratch directory that also holds "secret.txt",
// which the guests try to reach from inside the box.
struct Sandbox {
  Sandbox() {
    fs::create_directory(box());
    writeText(secret(), "secret\n");
  }
  fs::path box() const { return outer.path() / "box"; }
  fs::path secret() const { return outer.path() / "secret.txt"; }
  std::string dirFlag() const { return "/box:" + box().string(); }
  // Nothing but the box and the untouched secret beside it.
  void expectOutsideUntouched() const {
    EXPECT_EQ(namesIn(outer.path()), (std::vector<std::string>{"box", "secret.txt"}));
    EXPECT_EQ(readText(secret()), "secret\n");
  }
  TempDir outer;
};

TEST(WasiAreaTest, Directories) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_dirs"), "/box"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "mkdir: ok\nrmdir errors: ok\nunlink: ok\nrmdir: ok\n");
  EXPECT_EQ(namesIn(s.box()), (std::vector<std::string>{"kept"}));
  EXPECT_TRUE(fs::is_directory(s.box() / "kept"));
  s.expectOutsideUntouched();
}

TEST(WasiAreaTest, ReaddirWithManyEntriesAcrossCookies) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_readdir"), "/box"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText,
            "readdir: 300 files, 2 dot entries\nfd_readdir with cookies: 300 files\n");
  EXPECT_EQ(namesIn(s.box() / "many").size(), 300u);
}

TEST(WasiAreaTest, LinksAndSymlinks) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_links"), "/box", "secret.txt"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  std::string out = r.stdoutText;
  EXPECT_TRUE(out.starts_with("link: ok\nsymlink inside: ok\n")) << out;
  EXPECT_TRUE(out.ends_with("symlink outside: ok\n")) << out;
  // Five refusals, each with the errno we give for an escape, and a
  // symlink to an absolute path refused as Wasmtime does.
  std::regex refusal("refused: [^\n]*: ENOTCAPABLE\n");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(out.begin(), out.end(), refusal), std::sregex_iterator()),
      5)
      << out;
  EXPECT_NE(out.find("refused: symlink(\"/etc/passwd\", \"abs\"): EPERM\n"), std::string::npos)
      << out;
  // The links were made as asked, targets verbatim; nothing else appeared.
  EXPECT_EQ(fs::read_symlink(s.box() / "out"), "../secret.txt");
  EXPECT_FALSE(fs::exists(fs::symlink_status(s.box() / "abs")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(s.box() / "slashed")));
  EXPECT_EQ(fs::hard_link_count(s.box() / "target.txt"), 2u);
  EXPECT_FALSE(fs::exists(s.box() / "stolen"));
  EXPECT_FALSE(fs::exists(s.outer.path() / "x"));
  s.expectOutsideUntouched();
}

TEST(WasiAreaTest, Rename) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_rename"), "/box", "secret.txt"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  std::string out = r.stdoutText;
  EXPECT_TRUE(out.starts_with("rename inside: ok\nrename errors: ok\n")) << out;
  EXPECT_TRUE(out.ends_with("rename outside: ok\n")) << out;
  EXPECT_EQ(namesIn(s.box()), (std::vector<std::string>{"d2", "d3"}));
  EXPECT_EQ(readText(s.box() / "d2" / "c"), "over");
  s.expectOutsideUntouched();
}

TEST(WasiAreaTest, FileTimes) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_times"), "/box"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "utimensat: ok\nfutimens: ok\nerrors: ok\n");
}

TEST(WasiAreaTest, FileOperations) {
  Sandbox s;
  auto r = runLucetWasi({"--dir", s.dirFlag(), guestPath("fs_fileops"), "/box"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "pread/pwrite: ok\nseek: ok\ntruncate: ok\nsync: ok\nappend: ok\n");
  EXPECT_EQ(readText(s.box() / "f.txt"), std::string("0123\0\0+", 7));
  s.expectOutsideUntouched();
}

TEST(WasiAreaTest, Clocks) {
  auto r = runLucetWasi({guestPath("clocks")});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(
      r.stdoutText, match, std::regex("^monotonic: ok\nresolution: ok\nrealtime: ([0-9]+)\n$")))
      << r.stdoutText;
  long long guest = std::stoll(match[1]);
  long long host = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(std::llabs(host - guest), 5) << "guest " << guest << " host " << host;
}

// lucet-wasi's stdin is the guest's: fed from a file through the shell.
TEST(WasiAreaTest, StdinIsRead) {
  TempDir dir;
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "line " + std::to_string(i) + "\n";
  writeText(dir.path() / "input.txt", input);
  auto r = runProgram({"/bin/sh", "-c", "exec \"$0\" \"$1\" < \"$2\"", LUCET_WASI_EXE,
                       guestPath("stdin_read"), (dir.path() / "input.txt").string()});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "bytes=" + std::to_string(input.size()) + " lines=1000\nlast=line 999\n");
}

TEST(WasiAreaTest, EmptyStdinIsAtItsEnd) {
  auto r = runLucetWasi({guestPath("stdin_read")}); // runProcess gives /dev/null
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "bytes=0 lines=0\nlast=");
}

TEST(WasiAreaTest, PollOneoffClockTimeouts) {
  auto start = std::chrono::steady_clock::now();
  auto r = runLucetWasi({guestPath("poll")});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "relative timeout: ok\nabsolute timeout: ok\nearliest clock: ok\n"
                          "fd ready first: ok\nerrors: ok\nnanosleep: ok\n");
  // The 10 s clocks must never have been waited for.
  EXPECT_LT(took, std::chrono::seconds(5));
}

} // namespace
} // namespace lucet::clitest
