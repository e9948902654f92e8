// A guest blocked in a WASI call is still stopped by a run's deadline: the
// host call sees EINTR and returns at once instead of waiting out the
// guest's own 10 s timeout.
#include "runtime/Instance.h"
#include "runtime/LoadedModule.h"
#include "wasi/WasiBindings.h"
#include "wasi/WasiCtxBuilder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <time.h>

namespace {

uint64_t monotonicNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

TEST(WasiInterrupt, GuestWaitingInPollOneoffStopsAtTheDeadline) {
  auto module = lucet::rt::LoadedModule::load(std::string(LUCET_GUEST_DIR) + "/sockets.so");
  ASSERT_TRUE(module) << module.error().message();
  auto output = std::make_shared<lucet::wasi::OutputCapture>();
  lucet::wasi::WasiCtxBuilder builder;
  // The guest checks its listener, then waits up to 10 s for a client that
  // never comes.
  builder.args({"sockets", "serve"})
      .stdoutStream(lucet::wasi::StdioStream::capture(output))
      .preopenTcpListener({"127.0.0.1", 0});
  auto ctx = builder.build();
  ASSERT_TRUE(ctx) << ctx.error().message();
  lucet::rt::HostFunctionRegistry registry;
  lucet::wasi::addWasiSnapshotPreview1(registry);
  lucet::rt::InstanceLimits limits;
  limits.maxHeapSize = 64ull << 20;
  auto instance = lucet::rt::Instance::create(*module, registry, limits);
  ASSERT_TRUE(instance) << instance.error().message();
  (*instance)->setHostData(ctx->get());

  auto start = std::chrono::steady_clock::now();
  auto result = (*instance)->run("_start", {}, monotonicNowNs() + 500'000'000u);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(result) << result.error().message();
  // Before the deadline the guest was waiting, not still checking.
  EXPECT_NE(output->contents().find("ready\n"), std::string::npos) << output->contents();
  // The point: the wait ended at the deadline, not after the guest's 10 s
  // (or never, as when EINTR was retried).
  EXPECT_LT(took, std::chrono::seconds(5));
  // poll_oneoff returned EINTR and its binding ended the run before the
  // guest saw the error.
  ASSERT_EQ(result->kind, lucet::rt::RunResult::Kind::Trapped);
  EXPECT_EQ(result->trap.code, lucet::abi::TrapCode::Interrupted);
  EXPECT_EQ(output->contents().find("FAIL"), std::string::npos) << output->contents();
}

} // namespace
