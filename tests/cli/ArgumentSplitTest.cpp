// The command line split and option checks, without spawning anything.
#include "tools/lucet-wasi/ArgumentSplit.h"
#include "tools/lucet-wasi/WasiOptions.h"

#include <gtest/gtest.h>

namespace lucet::tools {
namespace {

using Strings = std::vector<std::string>;

SplitArguments split(const Strings &args) {
  return splitArguments(args);
}

TEST(ArgumentSplitTest, OptionsThenModuleThenGuestArguments) {
  auto s = split({"--dir", "a:b", "--max-heap-size=1GiB", "m.so", "-x", "--dir", "c"});
  EXPECT_EQ(s.options, (Strings{"--dir", "a:b", "--max-heap-size=1GiB"}));
  EXPECT_EQ(s.modulePath, "m.so");
  EXPECT_EQ(s.guestArgs, (Strings{"-x", "--dir", "c"}));
  EXPECT_FALSE(s.unknownOption);
}

TEST(ArgumentSplitTest, OneDoubleDashAfterTheModuleIsDropped) {
  auto s = split({"m.so", "--", "--", "y"});
  EXPECT_EQ(s.modulePath, "m.so");
  EXPECT_EQ(s.guestArgs, (Strings{"--", "y"}));
}

TEST(ArgumentSplitTest, DoubleDashBeforeTheModuleEndsOptions) {
  auto s = split({"--stack-size", "64KiB", "--", "-odd-name.so", "z"});
  EXPECT_EQ(s.options, (Strings{"--stack-size", "64KiB"}));
  EXPECT_EQ(s.modulePath, "-odd-name.so");
  EXPECT_EQ(s.guestArgs, (Strings{"z"}));
}

TEST(ArgumentSplitTest, ValueThatLooksLikeAnOption) {
  auto s = split({"--entrypoint", "-weird", "m.so"});
  EXPECT_EQ(s.options, (Strings{"--entrypoint", "-weird"}));
  EXPECT_EQ(s.modulePath, "m.so");
  EXPECT_FALSE(s.unknownOption);
}

TEST(ArgumentSplitTest, UnknownOptionIsNamed) {
  EXPECT_EQ(split({"--help", "--nope=3", "m.so"}).unknownOption, "--nope");
  EXPECT_EQ(split({"-x"}).unknownOption, "-x");
  EXPECT_FALSE(split({"m.so", "--nope"}).unknownOption);
}

TEST(ArgumentSplitTest, SeedExampleWithOptionsAfterTheModule) {
  auto s = split({"example.so", "--dir", ".:.", "--max-heap-size", "2GiB", "--", "example_arg"});
  EXPECT_EQ(s.options, (Strings{"--dir", ".:.", "--max-heap-size", "2GiB"}));
  EXPECT_EQ(s.modulePath, "example.so");
  EXPECT_EQ(s.guestArgs, (Strings{"example_arg"}));
  EXPECT_FALSE(s.unknownOption);
}

TEST(ArgumentSplitTest, TrailingArgumentsThatAreNotAllOptionsStayTheGuests) {
  EXPECT_EQ(split({"m.so", "--dir", "x"}).guestArgs, (Strings{"--dir", "x"}));
  EXPECT_EQ(split({"m.so", "--dir", "x", "y", "--", "z"}).guestArgs,
            (Strings{"--dir", "x", "y", "--", "z"}));
  EXPECT_EQ(split({"m.so", "--other", "--", "z"}).guestArgs, (Strings{"--other", "--", "z"}));
  EXPECT_EQ(split({"m.so", "a", "--", "z"}).guestArgs, (Strings{"a", "--", "z"}));
  EXPECT_TRUE(split({"m.so", "--dir", "x", "y", "--", "z"}).options.empty());
}

TEST(ArgumentSplitTest, NoModule) {
  auto s = split({"-V"});
  EXPECT_FALSE(s.modulePath);
  EXPECT_TRUE(s.guestArgs.empty());
}

TEST(ArgumentSplitTest, EnvOptionsAreKnown) {
  auto s = split({"--env", "A=1", "--inherit-env", "--env=B=2", "m.so", "--env", "C=3"});
  EXPECT_EQ(s.options, (Strings{"--env", "A=1", "--inherit-env", "--env=B=2"}));
  EXPECT_EQ(s.modulePath, "m.so");
  EXPECT_EQ(s.guestArgs, (Strings{"--env", "C=3"}));
  EXPECT_FALSE(s.unknownOption);
  // After the module, before "--", as in the seed's example.
  auto t = split({"m.so", "--env", "-x=1", "--inherit-env", "--", "g"});
  EXPECT_EQ(t.options, (Strings{"--env", "-x=1", "--inherit-env"}));
  EXPECT_EQ(t.guestArgs, (Strings{"g"}));
}

TEST(EnvVarTest, SplitsAtTheFirstEquals) {
  auto v = parseEnvVar("KEY=a=b=c");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->first, "KEY");
  EXPECT_EQ(v->second, "a=b=c");
  auto empty = parseEnvVar("EMPTY=");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->second, "");
}

TEST(EnvVarTest, BadSpecsAreRefusedNamingTheFlag) {
  for (const char *bad : {"NOEQUALS", "=value", "", "="}) {
    auto v = parseEnvVar(bad);
    ASSERT_FALSE(v) << bad;
    EXPECT_TRUE(v.error().message().starts_with("--env: ")) << v.error().message();
  }
}

TEST(EnvVarTest, GuestEnvironmentMergesInOrder) {
  WasiOptions options;
  options.env = {{"B", "explicit"}, {"C", "3"}, {"C", "4"}};
  std::string a = "A=host", b = "B=host", odd = "NOEQUALS", emptyKey = "=x";
  char *host[] = {a.data(), b.data(), odd.data(), emptyKey.data(), nullptr};
  using Env = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(guestEnvironment(options, host), (Env{{"B", "explicit"}, {"C", "4"}}));
  options.inheritEnv = true;
  EXPECT_EQ(guestEnvironment(options, host), (Env{{"A", "host"}, {"B", "explicit"}, {"C", "4"}}));
}

TEST(ValidateArgumentsTest, EnvIsParsed) {
  RawWasiArguments raw;
  raw.modulePath = "m.so";
  raw.envs = {"X=1", "Y=a=b"};
  raw.inheritEnv = true;
  auto options = validateArguments(raw);
  ASSERT_TRUE(options) << options.error().message();
  EXPECT_TRUE(options->inheritEnv);
  ASSERT_EQ(options->env.size(), 2u);
  EXPECT_EQ(options->env[1], (std::pair<std::string, std::string>{"Y", "a=b"}));
  raw.envs = {"X=1", "=2"};
  options = validateArguments(raw);
  ASSERT_FALSE(options);
  EXPECT_TRUE(options.error().message().starts_with("--env: ")) << options.error().message();
}

TEST(PreopenDirTest, SplitsAtTheFirstColon) {
  auto d = parsePreopenDir("/guest:/host:with:colons");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->guestPath, "/guest");
  EXPECT_EQ(d->hostPath, "/host:with:colons");
}

TEST(PreopenDirTest, PlainPathMapsToItself) {
  auto d = parsePreopenDir("some/dir");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->guestPath, "some/dir");
  EXPECT_EQ(d->hostPath, "some/dir");
}

TEST(PreopenDirTest, RootGuestPath) {
  auto d = parsePreopenDir("/:.");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->guestPath, "/");
  EXPECT_EQ(d->hostPath, ".");
}

TEST(PreopenDirTest, EmptyHalvesAreRefused) {
  EXPECT_FALSE(parsePreopenDir(":/tmp"));
  EXPECT_FALSE(parsePreopenDir("/tmp:"));
  EXPECT_FALSE(parsePreopenDir(""));
}

TEST(ValidateArgumentsTest, DefaultsMatchTheSeed) {
  RawWasiArguments raw;
  raw.modulePath = "m.so";
  auto options = validateArguments(raw);
  ASSERT_TRUE(options) << options.error().message();
  EXPECT_EQ(options->entrypoint, "_start");
  EXPECT_EQ(options->heapAddressSpace, 8ull << 30);
  EXPECT_EQ(options->maxHeapSize, 4ull << 30);
  EXPECT_EQ(options->stackSize, 8ull << 20);
}

TEST(ValidateArgumentsTest, SizesInBytesOrUnits) {
  RawWasiArguments raw;
  raw.modulePath = "m.so";
  raw.heapAddressSpace = "1073741824";
  raw.maxHeapSize = "512MiB";
  raw.stackSize = "64 KiB";
  auto options = validateArguments(raw);
  ASSERT_TRUE(options) << options.error().message();
  EXPECT_EQ(options->heapAddressSpace, 1ull << 30);
  EXPECT_EQ(options->maxHeapSize, 512ull << 20);
  EXPECT_EQ(options->stackSize, 64ull << 10);
}

TEST(ValidateArgumentsTest, ErrorsNameTheFlag) {
  RawWasiArguments raw;
  raw.modulePath = "m.so";
  raw.stackSize = "4097";
  auto options = validateArguments(raw);
  ASSERT_FALSE(options);
  EXPECT_TRUE(options.error().message().starts_with("--stack-size: ")) << options.error().message();

  raw.stackSize = "8MiB";
  raw.heapAddressSpace = "2GiB";
  raw.maxHeapSize = "3GiB";
  options = validateArguments(raw);
  ASSERT_FALSE(options);
  EXPECT_TRUE(options.error().message().starts_with("--heap-address-space: "))
      << options.error().message();
}

TEST(ValidateArgumentsTest, EqualHeapSizesAreFine) {
  RawWasiArguments raw;
  raw.modulePath = "m.so";
  raw.heapAddressSpace = raw.maxHeapSize = "1GiB";
  EXPECT_TRUE(validateArguments(raw));
}

} // namespace
} // namespace lucet::tools
