// The WASI calls that no other guest makes (tests/guests/misc_calls.c):
// fd_advise, fd_fdstat_set_rights, fd_renumber, random_get, sched_yield and
// proc_raise, each with its errno values.
#include "ToolRunner.h"

#include <gtest/gtest.h>

namespace lucet::clitest {
namespace {

namespace fs = std::filesystem;

TEST(WasiMiscCallsTest, AdviseRightsRenumberRandomYieldRaise) {
  TempDir dir;
  auto r = runLucetWasi({"--dir", "/box:" + dir.str(), guestPath("misc_calls"), "/box"});
  EXPECT_EQ(r.exitStatus, 0) << r.stdoutText << r.stderrText;
  EXPECT_EQ(r.stdoutText, "fd_advise: ok\nfd_fdstat_set_rights: ok\nfd_renumber: ok\n"
                          "random_get: ok\nsched_yield: ok\nproc_raise: ENOSYS\n");
  // Dropping the write right kept the file as written.
  EXPECT_EQ(readText(dir.path() / "a.txt"), "contents of a");
  EXPECT_EQ(readText(dir.path() / "b.txt"), "contents of b");
}

} // namespace
} // namespace lucet::clitest
