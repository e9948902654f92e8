// lucet-differential: generates modules from seeds (ModuleGenerator, fed by
// a PRNG stream), runs each compiled by lucetc at -O0 and at -O2 and in V8
// (node, run-v8.mjs, one process per batch), and compares what every call
// did: results, trap, memory and globals after it. -O0 and -O2 must agree
// bit for bit; V8 must agree up to NaN bits (JavaScript numbers cannot carry
// them) and trap wording. Each differing module is kept for reproduction.
//
//   lucet-differential [--seeds N] [--first SEED] [--batch N] [--out DIR]
//                      [--in-bounds]   (GeneratorOptions::inBoundsOnly)
//                      [--bounds-checked]   (explicit checks, not guard pages)
//   lucet-differential --wasm FILE.wasm     (one module, every listing)

#include "CallPlan.h"
#include "LucetRunner.h"
#include "Observation.h"

#include "ModuleGenerator.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace lucet;
using namespace lucet::fuzz;

namespace {

struct Options {
  uint64_t seeds = 200;
  uint64_t first = 1;
  unsigned batch = 100;
  fs::path out = "differential-out";
  std::string wasmFile;
  std::string node = "node";
  std::string script = LUCET_DIFFERENTIAL_SCRIPT;
  GeneratorOptions generator;
  bool boundsChecked = false;
};

uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

std::vector<uint8_t> moduleForSeed(uint64_t seed, const GeneratorOptions &options) {
  uint64_t state = seed;
  std::vector<uint8_t> input(8192);
  for (size_t i = 0; i < input.size(); i += 8) {
    uint64_t r = splitmix64(state);
    std::memcpy(&input[i], &r, 8);
  }
  return generateModule(input, options);
}

void writeFile(const fs::path &path, std::span<const uint8_t> bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
}

// One module's listings: a line per call, or a single error line.
struct Listing {
  std::vector<std::string> lines;
  bool failed = false;
};

Listing listing(const Result<LucetRun> &run, bool coarse) {
  Listing l;
  if (!run) {
    l.failed = true;
    l.lines.push_back("error " + run.error().message());
    return l;
  }
  for (const Observation &o : run->observations) l.lines.push_back(render(o, coarse));
  return l;
}

struct Pending {
  uint64_t seed;
  fs::path wasm;
  std::vector<uint8_t> bytes;
  Result<LucetRun> o0;
  Result<LucetRun> o2;
};

std::string typeName(ValType t) {
  return valTypeName(t);
}

void writePlan(const fs::path &path, const std::vector<Pending *> &modules) {
  std::ofstream plan(path);
  plan << "{\"fuel\": " << DefaultFuel << ", \"modules\": [";
  for (size_t m = 0; m < modules.size(); ++m) {
    const LucetRun &run = *modules[m]->o2;
    plan << (m ? ",\n" : "\n") << "{\"wasm\": \"" << modules[m]->wasm.string()
         << "\", \"globals\": [";
    for (size_t g = 0; g < run.plan.globals.size(); ++g)
      plan << (g ? ", " : "") << "[\"" << run.plan.globals[g].first << "\", \""
           << typeName(run.plan.globals[g].second) << "\"]";
    plan << "], \"calls\": [";
    for (size_t c = 0; c < run.plan.calls.size(); ++c) {
      const PlannedCall &call = run.plan.calls[c];
      plan << (c ? ", " : "") << "{\"f\": \"" << call.function << "\", \"args\": [";
      for (size_t a = 0; a < call.args.size(); ++a)
        plan << (a ? ", " : "") << "\"" << valText(call.args[a], false) << "\"";
      plan << "], \"results\": [";
      for (size_t r = 0; r < call.results.size(); ++r)
        plan << (r ? ", " : "") << "\"" << typeName(call.results[r]) << "\"";
      plan << "]}";
    }
    plan << "]}";
  }
  plan << "]}\n";
}

// Runs node on the plan; the listings by module index.
std::map<size_t, Listing> runV8(const Options &options, const fs::path &plan) {
  std::map<size_t, Listing> listings;
  std::string command = options.node + " " + options.script + " " + plan.string() + " 2>&1";
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) return listings;
  char *line = nullptr;
  size_t capacity = 0;
  ssize_t length;
  std::string stray;
  while ((length = getline(&line, &capacity, pipe)) > 0) {
    std::string text(line, size_t(length));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    std::istringstream in(text);
    size_t module;
    std::string second;
    if (!(in >> module >> second)) {
      stray += text + "\n";
      continue;
    }
    std::string rest;
    std::getline(in, rest);
    if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
    Listing &l = listings[module];
    if (second == "error") {
      l.failed = true;
      l.lines.push_back("error " + rest);
    } else {
      l.lines.push_back(rest);
    }
  }
  free(line);
  int status = pclose(pipe);
  if (status != 0 || !stray.empty())
    std::fprintf(stderr, "node exited with status %d:\n%s", status, stray.c_str());
  return listings;
}

std::string sideBySide(const Pending &p, const Listing &o0, const Listing &o2, const Listing &v8) {
  std::string text;
  const std::vector<PlannedCall> *calls = p.o2 ? &p.o2->plan.calls : nullptr;
  size_t n = std::max({o0.lines.size(), o2.lines.size(), v8.lines.size()});
  for (size_t i = 0; i < n; ++i) {
    auto at = [&](const Listing &l) { return i < l.lines.size() ? l.lines[i] : "(missing)"; };
    text += "call " + std::to_string(i);
    if (calls && i < calls->size()) text += " " + describeCall((*calls)[i]);
    text += "\n  -O0 " + at(o0) + "\n  -O2 " + at(o2) + "\n  V8  " + at(v8) + "\n";
  }
  return text;
}

// The first call at which two listings differ, or -1.
long firstDifference(const Listing &a, const Listing &b) {
  size_t n = std::max(a.lines.size(), b.lines.size());
  for (size_t i = 0; i < n; ++i)
    if (i >= a.lines.size() || i >= b.lines.size() || a.lines[i] != b.lines[i]) return long(i);
  return -1;
}

struct Totals {
  uint64_t modules = 0, calls = 0, differences = 0;
  std::map<std::string, uint64_t> outcomes; // "ret" or "trap <class>"
  std::map<std::string, uint64_t> classes;  // of the differences
};

std::string memoryPart(const std::string &line) {
  size_t at = line.find(" ; mem ");
  return at == std::string::npos ? "" : line.substr(at, line.find(" ;", at + 7) - at);
}

// Names the compiler bugs already known (docs/fuzzing.md), so that a new
// kind of difference stands out: `expected` is V8's line at the first call
// where lucet's differs.
std::string classify(const std::string &expected, const std::string &actual) {
  bool expectedOob = expected.rfind("trap oob", 0) == 0;
  bool actualOob = actual.rfind("trap oob", 0) == 0;
  // A load whose value is never used is deleted, and its trap with it. The
  // call may then trap later, having used more fuel.
  auto fuel = [](const std::string &line) -> long long {
    size_t at = line.find(" fuel=i32:");
    return at == std::string::npos ? -1 : std::stoll(line.substr(at + 10, 10), nullptr, 16);
  };
  if (expectedOob && (!actualOob || fuel(actual) < fuel(expected))) return "oob-trap-lost";
  // A store before the trap lost: merged with the next one into a store
  // that straddles the end of memory, or deleted because a later store to
  // the same place overwrites it.
  if (expectedOob && actualOob && memoryPart(expected) != memoryPart(actual))
    return "store-lost-at-oob";
  // The same for globals: a write before the trap deleted as overwritten,
  // kept in a register until a loop's exit, or a later one done early.
  auto trapOf = [](const std::string &line) { return line.substr(0, line.find(" ; mem ")); };
  if (expected.rfind("trap ", 0) == 0 && trapOf(expected) == trapOf(actual) &&
      memoryPart(expected) == memoryPart(actual))
    return "global-differs-at-trap";
  // A loop whose only effects are stores (and the fuel) optimised into an
  // empty infinite loop: the runner's timeout interrupts it.
  if (actual.rfind("trap interrupted", 0) == 0) return "loop-effects-deleted";
  return "unclassified";
}

void finishBatch(const Options &options, std::vector<Pending> &batch, Totals &totals) {
  std::vector<Pending *> runnable;
  for (Pending &p : batch)
    if (p.o2) runnable.push_back(&p);
  fs::path plan = options.out / "work" / "plan.json";
  writePlan(plan, runnable);
  std::map<size_t, Listing> v8 = runV8(options, plan);

  size_t index = 0;
  for (Pending &p : batch) {
    Listing o0 = listing(p.o0, false), o2 = listing(p.o2, false);
    Listing o0Coarse = listing(p.o0, true), o2Coarse = listing(p.o2, true), v8Listing;
    if (p.o2) v8Listing = v8[index++];
    ++totals.modules;
    if (p.o2) {
      totals.calls += p.o2->observations.size();
      for (const Observation &o : p.o2->observations)
        ++totals.outcomes[o.trapped ? std::string("trap ") + coarseTrapClass(o.trap) : "ret"];
    }
    long atOpt = firstDifference(o0, o2);
    long atV8 = p.o2 ? firstDifference(o2Coarse, v8Listing) : -1;
    long atV8O0 = p.o0 && p.o2 ? firstDifference(o0Coarse, v8Listing) : -1;
    if (!o0.failed && !o2.failed && atOpt < 0 && atV8 < 0) continue;

    std::string what, kind;
    if (o0.failed || o2.failed) {
      what = "lucet failed: " + (o0.failed ? o0 : o2).lines[0];
      kind = "lucet-failed";
    } else {
      // Blame whichever level disagrees with V8 first.
      long at = atV8O0 >= 0 && (atV8 < 0 || atV8O0 <= atV8) ? atV8O0 : atV8;
      const Listing &wrong = at == atV8O0 ? o0Coarse : o2Coarse;
      if (at >= 0) {
        what = std::string(at == atV8O0 ? "-O0" : "-O2") + " and V8 differ at call " +
               std::to_string(at);
        kind = classify(size_t(at) < v8Listing.lines.size() ? v8Listing.lines[size_t(at)] : "",
                        wrong.lines[size_t(at)]);
      } else {
        what = "-O0 and -O2 differ (NaN bits only) at call " + std::to_string(atOpt);
        kind = "nan-bits";
      }
    }
    ++totals.differences;
    ++totals.classes[kind];
    fs::path stem = options.out / "diffs" / (kind + "-seed-" + std::to_string(p.seed));
    writeFile(stem.string() + ".wasm", p.bytes);
    std::ofstream report(stem.string() + ".txt");
    report << "seed " << p.seed << ": " << what << " [" << kind << "]\n"
           << sideBySide(p, o0, o2Coarse, v8Listing);
    std::printf("seed %llu: %s [%s]\n", (unsigned long long)p.seed, what.c_str(), kind.c_str());
  }
  batch.clear();
}

int runOne(const Options &options) {
  std::ifstream file(options.wasmFile, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot open %s\n", options.wasmFile.c_str());
    return 2;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  fs::create_directories(options.out / "work");
  std::vector<Pending> batch;
  batch.push_back(Pending{
      0, fs::absolute(options.wasmFile), bytes,
      runWithLucet(bytes, 0, (options.out / "work" / "o0.so").string(), options.boundsChecked),
      runWithLucet(bytes, 2, (options.out / "work" / "o2.so").string(), options.boundsChecked)});
  Pending &p = batch.back();
  std::vector<Pending *> runnable;
  if (p.o2) runnable.push_back(&p);
  fs::path plan = options.out / "work" / "plan.json";
  writePlan(plan, runnable);
  auto v8 = runV8(options, plan);
  std::fputs(sideBySide(p, listing(p.o0, false), listing(p.o2, true), v8[0]).c_str(), stdout);
  return 0;
}

bool parse(int argc, char **argv, Options &options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
    const char *v = nullptr;
    if (arg == "--seeds" && (v = value()))
      options.seeds = std::strtoull(v, nullptr, 10);
    else if (arg == "--first" && (v = value()))
      options.first = std::strtoull(v, nullptr, 10);
    else if (arg == "--batch" && (v = value()))
      options.batch = unsigned(std::atoi(v));
    else if (arg == "--out" && (v = value()))
      options.out = v;
    else if (arg == "--wasm" && (v = value()))
      options.wasmFile = v;
    else if (arg == "--node" && (v = value()))
      options.node = v;
    else if (arg == "--script" && (v = value()))
      options.script = v;
    else if (arg == "--in-bounds")
      options.generator.inBoundsOnly = true;
    else if (arg == "--bounds-checked")
      options.boundsChecked = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--seeds N] [--first SEED] [--batch N] [--out DIR] [--node NODE]\n"
                   "          [--in-bounds] [--bounds-checked]\n"
                   "       %s --wasm FILE.wasm [--out DIR]\n",
                   argv[0], argv[0]);
      return false;
    }
  }
  return options.batch > 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;
  options.out = fs::absolute(options.out);
  if (!options.wasmFile.empty()) return runOne(options);

  fs::create_directories(options.out / "work");
  fs::create_directories(options.out / "diffs");
  Totals totals;
  std::vector<Pending> batch;
  for (uint64_t seed = options.first; seed < options.first + options.seeds; ++seed) {
    std::vector<uint8_t> bytes = moduleForSeed(seed, options.generator);
    fs::path wasm = options.out / "work" / ("m" + std::to_string(batch.size()) + ".wasm");
    writeFile(wasm, bytes);
    auto o0 =
        runWithLucet(bytes, 0, (options.out / "work" / "o0.so").string(), options.boundsChecked);
    auto o2 =
        runWithLucet(bytes, 2, (options.out / "work" / "o2.so").string(), options.boundsChecked);
    batch.push_back(Pending{seed, wasm, std::move(bytes), std::move(o0), std::move(o2)});
    if (batch.size() == options.batch) {
      finishBatch(options, batch, totals);
      std::printf("... %llu modules, %llu calls, %llu differences\n",
                  (unsigned long long)totals.modules, (unsigned long long)totals.calls,
                  (unsigned long long)totals.differences);
      std::fflush(stdout);
    }
  }
  if (!batch.empty()) finishBatch(options, batch, totals);

  std::printf("%llu modules, %llu calls, %llu differences\n", (unsigned long long)totals.modules,
              (unsigned long long)totals.calls, (unsigned long long)totals.differences);
  std::printf("differences by kind:");
  for (const auto &[kind, count] : totals.classes)
    std::printf(" %s=%llu", kind.c_str(), (unsigned long long)count);
  std::printf("\noutcomes:");
  for (const auto &[what, count] : totals.outcomes)
    std::printf(" %s=%llu", what.c_str(), (unsigned long long)count);
  std::printf("\n");
  return totals.differences ? 1 : 0;
}
