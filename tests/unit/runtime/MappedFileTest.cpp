// /proc/self/maps lines as the kernel writes them, malformed ones refused,
// and mappedFromFile telling a file's mapping from anonymous memory and
// from another file's.
#include "runtime/MappedFile.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace lucet::rt {
namespace {

TEST(MappedFile, ParsesTheKernelsLines) {
  auto m =
      parseMappingLine("7f2ab6dd6000-7f2ab6dd8000 r--p 00001000 fe:01 1837066          /tmp/x.so");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->low, 0x7f2ab6dd6000ul);
  EXPECT_EQ(m->high, 0x7f2ab6dd8000ul);
  EXPECT_EQ(m->devMajor, 0xfeu);
  EXPECT_EQ(m->devMinor, 0x01u);
  EXPECT_EQ(m->inode, 1837066ul);
  auto anonymous = parseMappingLine("7ffd1000-7ffd2000 rw-p 00000000 00:00 0 ");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->inode, 0ul);
  auto bare = parseMappingLine("10-20 rw-p 00000000 00:00 0");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->high, 0x20ul);
}

TEST(MappedFile, RefusesMalformedLines) {
  for (const char *line : {"", "7f00", "7f00-", "7f00-7f10", "7f00-7f10 r--p", "7f00-7f10 r--p 0",
                           "7f00-7f10 r--p 0 fe", "7f00-7f10 r--p 0 fe:01",
                           "zz-7f10 r--p 0 fe:01 1", "7f00-7f10 r--p 0 fe:01 x"})
    EXPECT_FALSE(parseMappingLine(line)) << line;
}

TEST(MappedFile, TellsAFilesMappingFromOtherMemory) {
  char path[] = "/tmp/lucet-mapped-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 4096), 0);
  void *mapped = ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  struct stat st;
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(mappedFromFile(mapped, st), std::optional<bool>(true));
  void *anonymous = ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(anonymous, MAP_FAILED);
  EXPECT_EQ(mappedFromFile(anonymous, st), std::optional<bool>(false));
  struct stat other = st;
  other.st_ino += 1;
  EXPECT_EQ(mappedFromFile(mapped, other), std::optional<bool>(false));
  ::munmap(anonymous, 4096);
  ::munmap(mapped, 4096);
  ::close(fd);
  ::unlink(path);
}

} // namespace
} // namespace lucet::rt
