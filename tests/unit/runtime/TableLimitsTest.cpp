// Tables count against InstanceLimits (per table and per instance), and a
// region refuses an absurd slot count up front.
#include "runtime/Extern.h"
#include "runtime/Region.h"

#include <gtest/gtest.h>

using namespace lucet::rt;

namespace {

lucet::abi::TableDesc funcrefTable(uint64_t min, bool hasMax = false, uint64_t max = 0) {
  lucet::abi::TableDesc t;
  t.elemType = 0x70;
  t.limits.min = min;
  t.limits.hasMax = hasMax;
  t.limits.max = max;
  return t;
}

TEST(TableLimits, TableLargerThanThePerTableLimitIsRefused) {
  InstanceLimits limits;
  limits.tableElements = 100;
  auto table = Table::create(funcrefTable(101), limits);
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message(), "needs 101 elements, the limit is 100 elements per table");
  EXPECT_TRUE(Table::create(funcrefTable(100), limits));
}

TEST(TableLimits, GrowStopsAtThePerTableLimit) {
  InstanceLimits limits;
  limits.tableElements = 100;
  auto table = Table::create(funcrefTable(10), limits);
  ASSERT_TRUE(table) << table.error().message();
  EXPECT_EQ((*table)->grow(91, nullptr), -1);
  EXPECT_EQ((*table)->grow(90, nullptr), 10);
  EXPECT_EQ((*table)->instance().size, 100u);
  EXPECT_EQ((*table)->grow(1, nullptr), -1);
}

TEST(TableLimits, TablesOfOneInstanceShareTheTotal) {
  InstanceLimits limits;
  limits.totalTableElements = 1000;
  auto budget = std::make_shared<TableBudget>(limits.totalTableElements);
  auto a = Table::create(funcrefTable(600), limits, budget);
  ASSERT_TRUE(a);
  auto b = Table::create(funcrefTable(600), limits, budget);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("1000 elements for all its tables together"),
            std::string::npos)
      << b.error().message();
  auto c = Table::create(funcrefTable(300), limits, budget);
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)->grow(101, nullptr), -1); // 600 + 300 + 101 > 1000
  EXPECT_EQ((*c)->grow(100, nullptr), 300);
  EXPECT_EQ((*a)->grow(1, nullptr), -1);
  // A table that goes away gives its elements back.
  a->reset();
  EXPECT_EQ((*c)->grow(600, nullptr), 400);
}

TEST(TableLimits, FourHugeTablesDoNotFitTheDefaults) {
  // The case: four tables of 10M elements each would take 320 MB.
  InstanceLimits limits;
  auto budget = std::make_shared<TableBudget>(limits.totalTableElements);
  auto first = Table::create(funcrefTable(10'000'000), limits, budget);
  ASSERT_TRUE(first) << first.error().message();
  auto second = Table::create(funcrefTable(10'000'000), limits, budget);
  ASSERT_FALSE(second);
}

TEST(RegionLimits, AbsurdSlotCountIsAClearError) {
  InstanceLimits limits;
  limits.heapAddressSpace = 64 << 10;
  limits.maxHeapSize = 64 << 10;
  limits.stackSize = 4 << 10;
  // About 136 KiB a slot: the address space could be reserved, but the
  // bookkeeping and the per-slot mappings could not be had.
  auto region = Region::create(limits, 500'000'000);
  ASSERT_FALSE(region);
  EXPECT_EQ(region.error().message(), "a region of 500000000 slots; at most 100000 are supported");
  auto small = Region::create(limits, 4);
  ASSERT_TRUE(small) << small.error().message();
  EXPECT_EQ((*small)->capacity(), 4u);
}

} // namespace
