#include "wasi/FdTable.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <unistd.h>

using namespace lucet;
using namespace lucet::wasi;

namespace {

FdEntry devNull(Rights base = rights::RegularFile) {
  return FdEntry::owning(UniqueFd(open("/dev/null", O_RDWR | O_CLOEXEC)), Filetype::CharacterDevice,
                         base, 0);
}

// An entry that owns no host fd, for tables larger than the host's fd limit.
FdEntry unowned() {
  return FdEntry::stdio(-1, Filetype::Unknown, rights::FdRead, 0);
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

TEST(FdTable, NumberingMatchesLowestFreeUnderRandomInsertsClosesAndRenumbers) {
  // The model: the set of numbers in use; the lowest free is the first gap.
  FdTable t;
  std::set<Fd> used;
  auto lowestFree = [&] {
    Fd n = 0;
    for (Fd fd : used) {
      if (fd != n) break;
      ++n;
    }
    return n;
  };
  t.insertAt(1, unowned());
  used.insert(1);
  t.insertAt(40, unowned());
  used.insert(40);
  std::mt19937 rng(1234);
  for (int step = 0; step < 5000; ++step) {
    int op = std::uniform_int_distribution<int>(0, 9)(rng);
    Fd some = std::uniform_int_distribution<Fd>(0, 80)(rng);
    if (op < 5) {
      Fd expected = lowestFree();
      ASSERT_EQ(t.insert(unowned()), expected) << "step " << step;
      used.insert(expected);
    } else if (op < 8) {
      ASSERT_EQ(t.close(some), used.erase(some) ? Errno::Success : Errno::BadF);
    } else if (op < 9) {
      Fd to = std::uniform_int_distribution<Fd>(0, 80)(rng);
      bool both = used.count(some) && used.count(to);
      ASSERT_EQ(t.renumber(some, to), both ? Errno::Success : Errno::BadF);
      if (both && some != to) used.erase(some);
    } else if (!used.count(some)) {
      t.insertAt(some, unowned());
      used.insert(some);
    }
    ASSERT_EQ(t.size(), used.size());
    for (Fd fd = 0; fd <= 82; ++fd) ASSERT_EQ(t.contains(fd), used.count(fd) != 0) << fd;
  }
}

TEST(FdTable, LargestNumberIsUsableAndFreedAgain) {
  FdTable t;
  t.insertAt(UINT32_MAX, unowned());
  EXPECT_EQ(t.insert(unowned()), 0u);
  EXPECT_EQ(t.close(UINT32_MAX), Errno::Success);
  t.insertAt(UINT32_MAX, unowned());
  EXPECT_TRUE(t.contains(UINT32_MAX));
}

// Each insert once scanned every open number; this many took minutes.
TEST(FdTable, HundredThousandOpenDescriptorsStayCheap) {
  constexpr Fd Count = 100000;
  FdTable t;
  for (Fd i = 0; i < Count; ++i) ASSERT_EQ(t.insert(unowned()), i);
  // Holes far apart are refilled lowest first.
  ASSERT_EQ(t.close(Count - 10), Errno::Success);
  ASSERT_EQ(t.close(Count / 2), Errno::Success);
  ASSERT_EQ(t.close(7), Errno::Success);
  EXPECT_EQ(t.insert(unowned()), 7u);
  EXPECT_EQ(t.insert(unowned()), Count / 2);
  EXPECT_EQ(t.insert(unowned()), Count - 10);
  EXPECT_EQ(t.insert(unowned()), Count);
  // Closing everything from the top down and reopening keeps lowest-free.
  for (Fd i = Count + 1; i-- > 10;) ASSERT_EQ(t.close(i), Errno::Success);
  EXPECT_EQ(t.insert(unowned()), 10u);
  EXPECT_EQ(t.insert(unowned()), 11u);
}
