#include "platform/AddressReservation.h"
#include "platform/GuestStack.h"
#include "platform/PageSize.h"
#include "platform/StackSwitch.h"

#include <gtest/gtest.h>

#include <sys/mman.h>

using namespace lucet::platform;

namespace {

bool isMapped(const void *address) {
  unsigned char vec;
  auto page = reinterpret_cast<uintptr_t>(address) & ~(pageSize() - 1);
  return mincore(reinterpret_cast<void *>(page), pageSize(), &vec) == 0;
}

TEST(AddressReservation, ReservesLargeRangeAndOpensPrefix) {
  auto r = AddressReservation::reserve(8ull << 30);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->size(), 8ull << 30);
  ASSERT_TRUE(r->makeAccessible(0, 65536));
  r->base()[0] = 1;
  r->base()[65535] = 2;
  EXPECT_EQ(r->base()[0] + r->base()[65535], 3);
  EXPECT_TRUE(r->contains(uintptr_t(r->base()) + (8ull << 30) - 1));
  EXPECT_FALSE(r->contains(uintptr_t(r->base()) + (8ull << 30)));
  EXPECT_FALSE(r->makeAccessible(8ull << 30, 4096));
}

TEST(AddressReservation, ReleaseUnmaps) {
  auto r = AddressReservation::reserve(1 << 20);
  ASSERT_TRUE(r);
  uint8_t *base = r->base();
  EXPECT_TRUE(isMapped(base));
  AddressReservation moved = std::move(*r);
  EXPECT_EQ(r->base(), nullptr);
  moved.release();
  EXPECT_FALSE(isMapped(base));
}

TEST(GuestStack, HasGuardBelowAlignedTop) {
  auto s = GuestStack::allocate(100000);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(uintptr_t(s->top()) % 16, 0u);
  EXPECT_EQ(s->size() % pageSize(), 0u);
  EXPECT_TRUE(s->inGuard(s->guardBegin()));
  EXPECT_TRUE(s->inGuard(s->guardEnd() - 1));
  EXPECT_FALSE(s->inGuard(s->guardEnd()));
  EXPECT_EQ(s->guardEnd() + s->size(), uintptr_t(s->top()));
  s->top()[-1] = 7; // the top page is writable
}

struct SwitchProbe {
  uintptr_t localAddress = 0;
  int calls = 0;
};

void probe(void *arg) {
  auto *p = static_cast<SwitchProbe *>(arg);
  int local = 0;
  p->localAddress = reinterpret_cast<uintptr_t>(&local);
  p->calls++;
}

TEST(StackSwitch, RunsFunctionOnOtherStackAndReturns) {
  auto s = GuestStack::allocate(64 * 1024);
  ASSERT_TRUE(s);
  SwitchProbe p;
  callOnStack(s->top(), probe, &p);
  callOnStack(s->top(), probe, &p);
  EXPECT_EQ(p.calls, 2);
  EXPECT_GT(p.localAddress, s->guardEnd());
  EXPECT_LT(p.localAddress, uintptr_t(s->top()));
}

} // namespace
