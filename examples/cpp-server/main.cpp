// A C++ embedder that serves requests: each runs in a fresh instance of the
// handler (cheap, and no request can see another's memory) taken from a
// region of pooled slots, with the request as the guest's argument, a typed
// host function for prices, a time limit, and the outcome (exit code or
// trap) reported per request.
#include <lucet/lucet.hh>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "handler.so";
  auto module = lucet::Module::load(path);
  if (!module) {
    std::fprintf(stderr, "error: %s\n", module.error().message().c_str());
    return 1;
  }

  const std::map<std::string, int> prices = {{"apple", 120}, {"pear", 95}, {"fig", 310}};
  int lookups = 0;
  lucet::Linker linker;
  auto defined = linker.func("env", "price",
                             [&](lucet::Caller &caller, uint32_t ptr, uint32_t len) -> int32_t {
                               ++lookups;
                               auto name = caller.string(ptr, len);
                               if (!name) return -1;
                               auto it = prices.find(std::string(*name));
                               return it == prices.end() ? -1 : it->second;
                             });
  if (!defined) {
    std::fprintf(stderr, "error: %s\n", defined.error().message().c_str());
    return 1;
  }

  // Slots are reserved once; an instance takes one and gives it back clean.
  lucet::InstanceLimits limits;
  limits.heapSize = 16 << 20;
  limits.stackSize = 1 << 20;
  auto region = lucet::Region::create(limits, 4);
  if (!region) {
    std::fprintf(stderr, "error: %s\n", region.error().message().c_str());
    return 1;
  }
  lucet::InstanceOptions options;
  options.region = *region;

  const std::vector<std::string> requests = {"apple", "fig", "banana", "crash", "spin", "pear"};
  int served = 0;
  for (const std::string &request : requests) {
    options.wasi = lucet::WasiConfig().args({"handler", request}).inheritStdio();
    auto instance = lucet::Instance::create(*module, linker, options);
    if (!instance) {
      std::fprintf(stderr, "error: %s\n", instance.error().message().c_str());
      return 1;
    }
    std::fflush(stdout); // the guest writes to the same fd 1
    auto outcome = instance->run("_start", {}, std::chrono::milliseconds(200));
    if (!outcome) {
      std::printf("request %s: error: %s\n", request.c_str(), outcome.error().message().c_str());
      continue;
    }
    if (outcome->trapped())
      std::printf("request %s: trapped: %s\n", request.c_str(), outcome->trap.describe().c_str());
    else
      std::printf("request %s: status %u\n", request.c_str(),
                  outcome->exited() ? outcome->exitCode : 0);
    ++served;
  }
  std::printf("served %d requests, %d price lookups\n", served, lookups);
  return 0;
}
