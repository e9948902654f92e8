#include "platform/SignalHandlers.h"

#include "platform/ThreadTimer.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>

namespace lucet::platform {
namespace {

constexpr int HandledSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, InterruptSignal};
constexpr size_t AltStackSize = 64 * 1024;

std::atomic<FaultHandler> currentHandler{nullptr};
struct sigaction previousActions[NSIG];

// Hands the signal to whatever was installed before us, exactly as the
// kernel would have.
void forward(int signo, siginfo_t *info, void *ucontext) {
  const struct sigaction &prev = previousActions[signo];
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(signo, info, ucontext);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(signo);
    return;
  } else if (prev.sa_handler == SIG_IGN && info->si_code <= 0) {
    // Sent by kill() or raise(): ignoring it is what would have happened.
    return;
  } else if (signo == InterruptSignal) {
    // Ignored, or ignored by default: a stray interrupt (one that arrived
    // after its run ended) is simply dropped.
    return;
  }
  // Default action (the kernel also forces it for an ignored hardware
  // fault): put it back and raise again. The signal stays blocked until we
  // return, then kills the process with the right status; a hardware fault
  // would also simply recur on return.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signo, &dfl, nullptr);
  raise(signo);
}

void handleSignal(int signo, siginfo_t *info, void *ucontext) {
  int savedErrno = errno;
  FaultHandler handler = currentHandler.load(std::memory_order_acquire);
  if (handler && handler(signo, info, ucontext)) {
    errno = savedErrno;
    return;
  }
  forward(signo, info, ucontext);
  errno = savedErrno;
}

// Owns the thread's alternate stack; unregisters and frees it at thread exit.
struct ThreadSignalStack {
  void *memory = nullptr;
  size_t size = 0;
  ~ThreadSignalStack() {
    if (!memory) return;
    stack_t disable;
    std::memset(&disable, 0, sizeof disable);
    disable.ss_flags = SS_DISABLE;
    sigaltstack(&disable, nullptr);
    munmap(memory, size);
  }
};
thread_local ThreadSignalStack threadSignalStack;

} // namespace

Status installSignalHandlers(FaultHandler handler) {
  static std::mutex mutex;
  static bool installed = false;
  std::lock_guard<std::mutex> lock(mutex);
  currentHandler.store(handler, std::memory_order_release);
  if (installed) return Status::ok();
  for (int signo : HandledSignals) {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_sigaction = handleSignal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    if (sigaction(signo, &action, &previousActions[signo]) != 0)
      return Error::format("cannot install a handler for signal {}: {}", signo,
                           std::strerror(errno));
  }
  installed = true;
  return Status::ok();
}

Status ensureSignalStack() {
  if (threadSignalStack.memory) return Status::ok();
  stack_t existing;
  if (sigaltstack(nullptr, &existing) == 0 && !(existing.ss_flags & SS_DISABLE) &&
      existing.ss_size >= AltStackSize)
    return Status::ok(); // the embedder's own stack will do
  void *p = mmap(nullptr, AltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return Error::format("cannot allocate a signal stack: {}", std::strerror(errno));
  stack_t stack;
  std::memset(&stack, 0, sizeof stack);
  stack.ss_sp = p;
  stack.ss_size = AltStackSize;
  if (sigaltstack(&stack, nullptr) != 0) {
    int err = errno;
    munmap(p, AltStackSize);
    return Error::format("cannot install a signal stack: {}", std::strerror(err));
  }
  threadSignalStack.memory = p;
  threadSignalStack.size = AltStackSize;
  return Status::ok();
}

void restoreInterruptedSignalMask(void *ucontext) {
  auto *uc = static_cast<ucontext_t *>(ucontext);
  pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, nullptr);
}

uintptr_t faultingPc(void *ucontext) {
  auto *uc = static_cast<ucontext_t *>(ucontext);
#if defined(__x86_64__)
  return uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
#else
#error "faultingPc is only implemented for x86-64"
#endif
}

} // namespace lucet::platform
