// Every trap kind ends the run with status 134 and one line on stderr:
// "lucet-wasi: trap: <kind> in <function> at wasm offset 0x...".
#include "ToolRunner.h"

#include <gtest/gtest.h>

#include <regex>

namespace lucet::clitest {
namespace {

struct TrapCase {
  std::string guest;
  std::vector<std::string> flags;
  std::string beforeTrap; // what the guest printed (and flushed) first
  std::string kind;       // abi/TrapCode.def text
  // The function named in the message. For out-of-bounds accesses lucetc
  // may inline the tiny accessor into its caller, so either is correct.
  std::string functionPattern;
};

void PrintTo(const TrapCase &c, std::ostream *os) {
  *os << c.guest;
}

class TrapTest : public testing::TestWithParam<TrapCase> {};

TEST_P(TrapTest, ReportsTheTrapAndExits134) {
  const TrapCase &c = GetParam();
  std::vector<std::string> args = c.flags;
  args.push_back(guestPath(c.guest));
  auto r = runLucetWasi(args);
  EXPECT_EQ(r.exitStatus, 134) << r.stderrText;
  EXPECT_EQ(r.stdoutText, c.beforeTrap);
  std::regex expected("lucet-wasi: trap: " + c.kind + " in (" + c.functionPattern +
                      ") at wasm offset 0x[0-9a-f]+\n");
  EXPECT_TRUE(std::regex_match(r.stderrText, expected)) << r.stderrText;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, TrapTest,
    testing::Values(
        TrapCase{"trap_oob_load", {}, "loading\n", "out of bounds memory access", "oob_load"},
        TrapCase{"trap_oob_store", {}, "storing\n", "out of bounds memory access", "oob_store"},
        TrapCase{"trap_stack_overflow", {}, "recursing\n", "call stack exhausted", "recurse"},
        TrapCase{"trap_stack_overflow",
                 {"--stack-size", "64KiB"},
                 "recursing\n",
                 "call stack exhausted",
                 "recurse"},
        TrapCase{"trap_unreachable", {}, "trapping\n", "unreachable", "reach_unreachable"},
        TrapCase{"trap_div_zero", {}, "dividing\n", "integer divide by zero", "divide"},
        TrapCase{"trap_indirect_signature",
                 {},
                 "calling\n",
                 "indirect call type mismatch",
                 "call_wrong_signature"},
        TrapCase{"trap_indirect_range", {}, "calling\n", "undefined element", "call_out_of_range"}),
    [](const testing::TestParamInfo<TrapCase> &info) {
      return info.param.guest + (info.param.flags.empty() ? "" : "_small_stack");
    });

// With a small heap address space the code is bounds-checked instead of
// relying on guard pages; the trap must read the same.
TEST(TrapTest, BoundsCheckedCodeTrapsTheSame) {
  auto r = runLucetWasi({"--heap-address-space", "1GiB", "--max-heap-size", "1GiB",
                         guestPath("trap_oob_load", ".wasm")});
  EXPECT_EQ(r.exitStatus, 134) << r.stderrText;
  EXPECT_EQ(r.stdoutText, "loading\n");
  EXPECT_TRUE(r.stderrText.starts_with(
      "lucet-wasi: trap: out of bounds memory access in oob_load at wasm offset 0x"))
      << r.stderrText;
}

} // namespace
} // namespace lucet::clitest
