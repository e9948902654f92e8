// Signals that are not guest traps must behave as if the runtime were not
// there: they crash the process, or reach the handler installed before ours.

#include "runtime/Instance.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/mman.h>
#include <unistd.h>

using namespace lucet::rt;

namespace {

constexpr uint8_t I32 = 0x7f;

// A page nobody owns: touching it is a host bug, never a guest trap.
volatile int *inaccessiblePage() {
  void *p = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return static_cast<volatile int *>(p);
}

int32_t hostAdd(lucet::abi::VMContext *, int32_t a, int32_t b) {
  return a + b;
}

int32_t hostCrash(lucet::abi::VMContext *, int32_t, int32_t) {
  return *inaccessiblePage();
}

std::unique_ptr<Instance> instanceWith(void *host) {
  auto module = LoadedModule::load(FIXTURE_BASIC);
  if (!module) return nullptr;
  HostFunctionRegistry registry;
  registry.define("env", "host_add", {{{I32, I32}, {I32}}, host});
  auto instance = Instance::create(*module, registry, {});
  return instance ? std::move(*instance) : nullptr;
}

// Runs a guest that traps, so that our handlers are certainly installed.
void installRuntimeHandlers() {
  auto instance = instanceWith(reinterpret_cast<void *>(hostAdd));
  if (!instance) _exit(90);
  auto r = instance->run("store_far");
  if (!r || r->kind != RunResult::Kind::Trapped) _exit(91);
}

void callCrashingHost() {
  auto instance = instanceWith(reinterpret_cast<void *>(hostCrash));
  if (!instance) _exit(90);
  std::vector<Value> args = {Value::i32(1), Value::i32(2)};
  (void)instance->run("call_host", args);
  _exit(92);
}

void previousHandler(int signo, siginfo_t *info, void *) {
  _exit(signo == SIGSEGV && info->si_addr ? 42 : 43);
}

TEST(SignalDeathTest, ForeignSegfaultOutsideGuestStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        installRuntimeHandlers();
        *inaccessiblePage() = 1;
      },
      testing::KilledBySignal(SIGSEGV), "");
}

TEST(SignalDeathTest, RaisedSignalOutsideGuestStillKills) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        installRuntimeHandlers();
        raise(SIGBUS);
      },
      testing::KilledBySignal(SIGBUS), "");
}

TEST(SignalDeathTest, HostFunctionBugDuringGuestCallStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT({ callCrashingHost(); }, testing::KilledBySignal(SIGSEGV), "");
}

TEST(SignalDeathTest, ForeignSegfaultGoesToPreviousHandler) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        struct sigaction action = {};
        action.sa_sigaction = previousHandler;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, nullptr);
        installRuntimeHandlers();
        *inaccessiblePage() = 1;
      },
      testing::ExitedWithCode(42), "");
}

} // namespace
