#pragma once

// Runs a function on another stack and comes back: the way the host enters a
// guest on the instance's own stack.

extern "C" void lucet_platform_call_on_stack(void *stackTop, void (*fn)(void *), void *arg);

namespace lucet::platform {

// Calls fn(arg) with the stack pointer at `stackTop` (aligned down to 16
// bytes) and returns on the original stack when fn returns. A non-local exit
// out of fn (a longjmp to a point saved before the call) is also fine: the
// original stack is left untouched below the caller's frame.
inline void callOnStack(void *stackTop, void (*fn)(void *), void *arg) {
  lucet_platform_call_on_stack(stackTop, fn, arg);
}

} // namespace lucet::platform
