// Writing artifacts: atomically over regular files, and into devices and
// FIFOs (`lucetc -o /dev/null`) without replacing them by a regular file.
#include "support/FileIO.h"

#include "../compiler/TestDirectory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sys/stat.h>

namespace lucet {
namespace {

namespace fs = std::filesystem;

class FileIOTest : public ::testing::Test {
protected:
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  lucet::testing::TestDirectory scratch_{"lucet-fileio"};
  const fs::path &dir_ = scratch_.path();
};

const std::vector<uint8_t> Bytes = {'a', 'r', 't', 'i', 'f', 'a', 'c', 't', 0, 1, 2, 3};

std::vector<uint8_t> contents(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(FileIOTest, ReplacesARegularFileAndLeavesNoTemporary) {
  auto path = dir_ / "out.so";
  std::ofstream(path) << "old contents, longer than the new ones";
  ASSERT_TRUE(writeFileAtomically(path.string(), Bytes));
  EXPECT_EQ(contents(path), Bytes);
  EXPECT_EQ(entries(), std::vector<std::string>{"out.so"});
}

// The temporary's name is predictable: a link planted there is removed,
// never written through.
TEST_F(FileIOTest, ALinkAtTheTemporarysNameIsNotFollowed) {
  auto path = dir_ / "out.so";
  auto victim = dir_ / "victim";
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, temporaryPathFor(path.string()));
  ASSERT_TRUE(writeFileAtomically(path.string(), Bytes));
  EXPECT_EQ(contents(path), Bytes);
  auto kept = contents(victim);
  EXPECT_EQ(std::string(kept.begin(), kept.end()), "precious");
  EXPECT_EQ(entries(), (std::vector<std::string>{"out.so", "victim"}));
}

TEST_F(FileIOTest, AFifoGetsTheBytesAndStaysAFifo) {
  auto fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return contents(fifo); });
  ASSERT_TRUE(writeFileAtomically(fifo.string(), Bytes));
  EXPECT_EQ(reader.get(), Bytes);
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  // The temporary went elsewhere and is gone.
  EXPECT_EQ(entries(), std::vector<std::string>{"pipe"});
  EXPECT_EQ(temporaryPathFor(fifo.string()).rfind(dir_.string(), 0), std::string::npos);
}

TEST_F(FileIOTest, ADirectoryIsRefusedAndLeftAlone) {
  auto sub = dir_ / "sub";
  fs::create_directories(sub);
  // Renaming a file over a directory fails anyway; say what it is.
  auto status = writeFileAtomically(sub.string(), Bytes);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("is a directory"), std::string::npos)
      << status.error().message();
  EXPECT_TRUE(fs::is_directory(sub));
  EXPECT_EQ(entries(), std::vector<std::string>{"sub"});
}

} // namespace
} // namespace lucet
