#include "api/ApiImpl.h"

namespace lucet {

Result<Region> Region::create(const InstanceLimits &limits, uint32_t slots) {
  rt::InstanceLimits rtLimits{limits.heapAddressSpace, limits.heapSize, limits.stackSize,
                              limits.tableElements, limits.totalTableElements};
  if (limits.heapSize > limits.heapAddressSpace)
    return ApiError("the heap size must not exceed the heap address space");
  auto region = rt::Region::create(rtLimits, slots);
  if (!region) return ApiError(region.error().message());
  return Region(std::make_shared<Impl>(Impl{std::move(*region), limits}));
}

const InstanceLimits &Region::limits() const {
  return impl_->limits;
}

uint32_t Region::capacity() const {
  return impl_->region->capacity();
}

uint32_t Region::slotsInUse() const {
  return impl_->region->slotsInUse();
}

} // namespace lucet
