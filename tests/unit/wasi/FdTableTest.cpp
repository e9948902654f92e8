#include "wasi/FdTable.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace lucet;
using namespace lucet::wasi;

namespace {

FdEntry devNull(Rights base = rights::RegularFile) {
  return FdEntry::owning(UniqueFd(open("/dev/null", O_RDWR | O_CLOEXEC)), Filetype::CharacterDevice,
                         base, 0);
}

bool hostFdOpen(int fd) {
  return fcntl(fd, F_GETFD) != -1;
}

} // namespace

TEST(FdTable, NumbersAreLowestFree) {
  FdTable t;
  EXPECT_EQ(t.insert(devNull()), 0u);
  EXPECT_EQ(t.insert(devNull()), 1u);
  EXPECT_EQ(t.insert(devNull()), 2u);
  EXPECT_EQ(t.insert(devNull()), 3u);
  EXPECT_EQ(t.close(1), Errno::Success);
  EXPECT_EQ(t.close(2), Errno::Success);
  EXPECT_EQ(t.insert(devNull()), 1u);
  EXPECT_EQ(t.insert(devNull()), 2u);
  EXPECT_EQ(t.insert(devNull()), 4u);
}

TEST(FdTable, CloseClosesOwnedHostFd) {
  FdTable t;
  Fd fd = t.insert(devNull());
  int host = (*t.get(fd))->hostFd;
  ASSERT_TRUE(hostFdOpen(host));
  EXPECT_EQ(t.close(fd), Errno::Success);
  EXPECT_FALSE(hostFdOpen(host));
  EXPECT_EQ(t.close(fd), Errno::BadF);
  EXPECT_EQ(t.get(fd).error(), Errno::BadF);
}

TEST(FdTable, StdioIsNeverClosed) {
  int pipeFds[2];
  ASSERT_EQ(pipe(pipeFds), 0);
  {
    FdTable t;
    t.insertAt(1, FdEntry::stdio(pipeFds[1], Filetype::Unknown, rights::FdWrite, 0));
    EXPECT_EQ(t.close(1), Errno::Success);
    EXPECT_TRUE(hostFdOpen(pipeFds[1]));
    t.insertAt(1, FdEntry::stdio(pipeFds[1], Filetype::Unknown, rights::FdWrite, 0));
  } // destroying the table closes nothing either
  EXPECT_TRUE(hostFdOpen(pipeFds[1]));
  close(pipeFds[0]);
  close(pipeFds[1]);
}

TEST(FdTable, RightsAreChecked) {
  FdTable t;
  Fd fd = t.insert(devNull(rights::FdRead));
  EXPECT_TRUE(t.get(fd, rights::FdRead));
  EXPECT_EQ(t.get(fd, rights::FdWrite).error(), Errno::NotCapable);
  EXPECT_EQ(t.get(fd, rights::FdRead | rights::FdSeek).error(), Errno::NotCapable);
}

TEST(FdTable, RenumberMovesAndClosesTarget) {
  FdTable t;
  Fd a = t.insert(devNull());
  Fd b = t.insert(devNull());
  int hostA = (*t.get(a))->hostFd;
  int hostB = (*t.get(b))->hostFd;
  EXPECT_EQ(t.renumber(a, b), Errno::Success);
  EXPECT_FALSE(t.contains(a));
  EXPECT_EQ((*t.get(b))->hostFd, hostA);
  EXPECT_FALSE(hostFdOpen(hostB));
  EXPECT_EQ(t.renumber(a, b), Errno::BadF);
  EXPECT_EQ(t.renumber(b, 7), Errno::BadF);
}
