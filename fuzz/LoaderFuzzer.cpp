// libFuzzer target for what the loader reads from an artifact before it
// trusts it: the metadata record (decoder and the loader's check of what
// the fields mean) and the file itself (the check that runs before dlopen).
// Fuzzer input is never given to dlopen.
#include "abi/Metadata.h"
#include "abi/ModuleRecord.h"
#include "runtime/LoadedModule.h"
#include "support/SharedObjectCheck.h"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace {

void fuzzMetadata(std::span<const uint8_t> bytes) {
  auto metadata = lucet::abi::deserializeMetadata(bytes);
  if (!metadata) return;
  (void)lucet::rt::LoadedModule::validateMetadata(*metadata);
  // One codec: whatever decodes encodes back to the very same bytes.
  if (lucet::abi::serializeMetadata(*metadata) != std::vector<uint8_t>(bytes.begin(), bytes.end()))
    std::abort();
}

void fuzzSharedObjectCheck(std::span<const uint8_t> bytes) {
  static int fd = ::memfd_create("loader-fuzzer", MFD_CLOEXEC);
  if (fd < 0 || ::ftruncate(fd, 0) != 0) std::abort();
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, off_t(done));
    if (n <= 0) std::abort();
    done += size_t(n);
  }
  (void)lucet::checkSharedObject(fd, lucet::abi::ModuleRecordSymbol,
                                 sizeof(lucet::abi::ModuleRecord));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  fuzzMetadata(bytes);
  fuzzSharedObjectCheck(bytes);
  return 0;
}
