#pragma once

// Tells AddressSanitizer when the thread moves between its own stack and a
// guest stack (a switch or a longjmp back). Without it ASan takes the guest
// stack for an impossibly large thread stack, warns on every noreturn call
// made on it and may report false positives. No-ops in other builds.

#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LUCET_ASAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define LUCET_ASAN 1
#endif

#ifdef LUCET_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace lucet::platform {

// Just before switching to the stack [bottom, bottom + size).
inline void startStackSwitch(void **fakeStackSave, const void *bottom, size_t size) {
#ifdef LUCET_ASAN
  __sanitizer_start_switch_fiber(fakeStackSave, bottom, size);
#else
  (void)fakeStackSave, (void)bottom, (void)size;
#endif
}

// First thing on the new stack; reports the stack that was left.
inline void finishStackSwitch(void *fakeStackSave, const void **oldBottom, size_t *oldSize) {
#ifdef LUCET_ASAN
  __sanitizer_finish_switch_fiber(fakeStackSave, oldBottom, oldSize);
#else
  (void)fakeStackSave, (void)oldBottom, (void)oldSize;
#endif
}

} // namespace lucet::platform
