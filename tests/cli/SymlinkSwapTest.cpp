// A directory the guest has already used is replaced by a symlink to
// outside its preopen while the guest waits on stdin
// (tests/guests/symlink_swap.c): every later path through it must fail with
// ENOTCAPABLE and touch nothing outside.
#include "BackgroundProcess.h"
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<std::string> namesIn(const fs::path &dir) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SymlinkSwapTest, SwappedDirectoryLeadsNowhere) {
  TempDir outer;
  fs::path box = outer.path() / "box";
  fs::create_directories(box / "abs");
  fs::create_directories(box / "rel");
  writeText(box / "abs" / "f.txt", "inside\n");
  writeText(box / "rel" / "f.txt", "inside\n");
  writeText(outer.path() / "secret.txt", "secret\n");

  auto guest = BackgroundProcess::start(
      {LUCET_WASI_EXE, "--dir", "/box:" + box.string(), guestPath("symlink_swap"), "/box"},
      defaultEnvironment());
  ASSERT_TRUE(guest);
  ASSERT_TRUE(guest->waitForStdout("waiting\n", 30s))
      << guest->stdoutSoFar() << guest->stderrSoFar();

  // The swap: each directory moves aside and a symlink out takes its name.
  fs::rename(box / "abs", box / "abs.orig");
  fs::create_directory_symlink(outer.path(), box / "abs");
  fs::rename(box / "rel", box / "rel.orig");
  fs::create_directory_symlink("..", box / "rel");
  ASSERT_TRUE(guest->writeStdin("swapped\n"));

  bool timedOut = false;
  auto r = guest->finish(30s, &timedOut);
  EXPECT_FALSE(timedOut);
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  const std::string &out = r.stdoutText;
  EXPECT_TRUE(out.starts_with("first: ok\nwaiting\n")) << out;
  EXPECT_TRUE(out.ends_with("done\n")) << out;
  std::regex refusal("refused: [^\n]*: ENOTCAPABLE\n");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(out.begin(), out.end(), refusal), std::sregex_iterator()),
      18)
      << out;
  EXPECT_EQ(out.find("EPERM"), std::string::npos) << out;

  // Nothing outside changed, and nothing was made inside either.
  EXPECT_EQ(namesIn(outer.path()), (std::vector<std::string>{"box", "secret.txt"}));
  EXPECT_EQ(readText(outer.path() / "secret.txt"), "secret\n");
  EXPECT_EQ(namesIn(box), (std::vector<std::string>{"abs", "abs.orig", "rel", "rel.orig"}));
  EXPECT_EQ(namesIn(box / "abs.orig"), (std::vector<std::string>{"f.txt"}));
  EXPECT_EQ(namesIn(box / "rel.orig"), (std::vector<std::string>{"f.txt"}));
}

} // namespace
} // namespace lucet::clitest
