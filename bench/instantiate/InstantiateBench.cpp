// How fast a fresh sandbox starts (issue #5): instantiate a WASI command in
// a region slot, run its _start, give the slot back; the same with reset in
// place; instantiation alone; and, for comparison, an instance with its own
// reservations. Each reports the median and p99 of single iterations, and
// one benchmark reports the resident memory an idle and a busy slot cost.
//
//   build/bench/instantiate/instantiate-bench [--benchmark_repetitions=5]

#include "lucet/lucet.hh"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

const lucet::Module &guest(const std::string &name) {
  static std::map<std::string, lucet::Module> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) {
    auto module = lucet::Module::load(std::string(LUCET_BENCH_GUEST_DIR) + "/" + name + ".so");
    if (!module) {
      std::fprintf(stderr, "%s\n", module.error().message().c_str());
      std::exit(1);
    }
    it = loaded.emplace(name, std::move(*module)).first;
  }
  return it->second;
}

lucet::InstanceLimits limits() {
  lucet::InstanceLimits l;
  l.heapSize = 64 << 20;
  l.heapAddressSpace = 8ull << 30; // what guard-page code needs
  l.stackSize = 1 << 20;
  return l;
}

lucet::InstanceOptions options(const lucet::Region *region) {
  lucet::InstanceOptions o;
  o.limits = limits();
  if (region) o.region = *region;
  o.wasi = lucet::WasiConfig().args({"bench"});
  return o;
}

// Times single iterations and reports their median and 99th percentile.
class Samples {
public:
  explicit Samples(benchmark::State &state) : state_(state) { times_.reserve(1 << 16); }
  ~Samples() {
    if (times_.empty()) return;
    std::sort(times_.begin(), times_.end());
    auto at = [&](double q) { return times_[size_t(q * double(times_.size() - 1))]; };
    state_.counters["p50_us"] = at(0.50);
    state_.counters["p99_us"] = at(0.99);
  }
  template <typename F> bool time(F &&f) {
    auto start = std::chrono::steady_clock::now();
    bool ok = f();
    std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    times_.push_back(took.count());
    return ok;
  }

private:
  benchmark::State &state_;
  std::vector<double> times_;
};

bool ranToCompletion(const lucet::Result<lucet::Outcome> &outcome) {
  return outcome && (outcome->returned() || (outcome->exited() && outcome->exitCode == 0));
}

// Instantiate in a slot, run _start, drop (the slot is cleaned).
void RegionCreateRunDrop(benchmark::State &state, const char *name) {
  const lucet::Module &module = guest(name);
  auto region = lucet::Region::create(limits(), 4);
  if (!region) return state.SkipWithError(region.error().message().c_str());
  lucet::InstanceOptions opts = options(&*region);
  Samples samples(state);
  for (auto _ : state) {
    bool ok = samples.time([&] {
      auto instance = lucet::Instance::create(module, opts);
      return instance && ranToCompletion(instance->run("_start"));
    });
    if (!ok) return state.SkipWithError("instantiate or _start failed");
  }
}

// One instance, reset in place and run again.
void RegionResetRun(benchmark::State &state, const char *name) {
  const lucet::Module &module = guest(name);
  auto region = lucet::Region::create(limits(), 1);
  if (!region) return state.SkipWithError(region.error().message().c_str());
  auto instance = lucet::Instance::create(module, options(&*region));
  if (!instance) return state.SkipWithError(instance.error().message().c_str());
  Samples samples(state);
  for (auto _ : state) {
    bool ok =
        samples.time([&] { return instance->reset() && ranToCompletion(instance->run("_start")); });
    if (!ok) return state.SkipWithError("reset or _start failed");
  }
}

// Instantiation and drop alone, no run.
void RegionCreateDrop(benchmark::State &state, const char *name) {
  const lucet::Module &module = guest(name);
  auto region = lucet::Region::create(limits(), 4);
  if (!region) return state.SkipWithError(region.error().message().c_str());
  lucet::InstanceOptions opts = options(&*region);
  Samples samples(state);
  for (auto _ : state) {
    bool ok = samples.time([&] { return bool(lucet::Instance::create(module, opts)); });
    if (!ok) return state.SkipWithError("instantiate failed");
  }
}

// The same as RegionCreateRunDrop without a region: the instance reserves
// and releases its own heap and stack.
void StandaloneCreateRunDrop(benchmark::State &state, const char *name) {
  const lucet::Module &module = guest(name);
  lucet::InstanceOptions opts = options(nullptr);
  Samples samples(state);
  for (auto _ : state) {
    bool ok = samples.time([&] {
      auto instance = lucet::Instance::create(module, opts);
      return instance && ranToCompletion(instance->run("_start"));
    });
    if (!ok) return state.SkipWithError("instantiate or _start failed");
  }
}

long residentKiB() {
  long pages = 0, resident = 0;
  if (FILE *f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4;
}

// Resident memory of a region of 64 slots: while every slot runs an instance
// of `name`, and once they are all given back (idle).
void SlotMemory(benchmark::State &state, const char *name) {
  const lucet::Module &module = guest(name);
  constexpr int Slots = 64;
  for (auto _ : state) {
    long before = residentKiB();
    auto region = lucet::Region::create(limits(), Slots);
    if (!region) return state.SkipWithError(region.error().message().c_str());
    long empty = residentKiB();
    {
      std::vector<lucet::Instance> live;
      for (int i = 0; i < Slots; ++i) {
        auto instance = lucet::Instance::create(module, options(&*region));
        if (!instance || !ranToCompletion(instance->run("_start")))
          return state.SkipWithError("instantiate or _start failed");
        live.push_back(std::move(*instance));
      }
      state.counters["busy_slot_KiB"] = double(residentKiB() - empty) / Slots;
    }
    state.counters["idle_slot_KiB"] = double(residentKiB() - empty) / Slots;
    state.counters["new_slot_KiB"] = double(empty - before) / Slots;
  }
}

BENCHMARK_CAPTURE(RegionCreateRunDrop, small, "empty")->UseRealTime();
BENCHMARK_CAPTURE(RegionCreateRunDrop, data_1MiB, "data1m")->UseRealTime();
BENCHMARK_CAPTURE(RegionResetRun, small, "empty")->UseRealTime();
BENCHMARK_CAPTURE(RegionResetRun, data_1MiB, "data1m")->UseRealTime();
BENCHMARK_CAPTURE(RegionCreateDrop, small, "empty")->UseRealTime();
BENCHMARK_CAPTURE(RegionCreateDrop, data_1MiB, "data1m")->UseRealTime();
BENCHMARK_CAPTURE(StandaloneCreateRunDrop, small, "empty")->UseRealTime();
BENCHMARK_CAPTURE(StandaloneCreateRunDrop, data_1MiB, "data1m")->UseRealTime();
BENCHMARK_CAPTURE(SlotMemory, small, "empty")->Iterations(1);
BENCHMARK_CAPTURE(SlotMemory, data_1MiB, "data1m")->Iterations(1);

} // namespace

BENCHMARK_MAIN();
