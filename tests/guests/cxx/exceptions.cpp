// C++ exceptions, built for wasm32 with -fwasm-exceptions (and the tests'
// wasm_eh_runtime.cpp) and natively; both builds must print the same.
// Throws by value and catches by exact type, catch (...), destructors run
// while unwinding, `throw;`, a mismatched handler passing an exception on,
// exceptions crossing many frames, and a long loop of throws whose memory
// must not grow.

#include <cstdio>
#include <cstdlib>

namespace {

struct ParseError {
  int line;
  const char *what;
};
struct Overflow {
  long long value;
};

int live = 0; // Tracked objects alive now.
struct Tracked {
  const char *name;
  explicit Tracked(const char *n) : name(n) {
    ++live;
    std::printf("  enter %s\n", name);
  }
  ~Tracked() {
    --live;
    std::printf("  leave %s\n", name);
  }
};

int parseDigit(char c, int line) {
  if (c < '0' || c > '9') throw ParseError{line, "not a digit"};
  return c - '0';
}

long long accumulate(const char *text, int line) {
  Tracked t("accumulate");
  long long sum = 0;
  for (const char *p = text; *p; ++p) {
    sum = sum * 10 + parseDigit(*p, line);
    if (sum > 1000000) throw Overflow{sum};
  }
  return sum;
}

long long deep(int depth, int line) {
  Tracked t(depth == 0 ? "deep(0)" : "deep(n)");
  if (depth == 0) return accumulate("12x4", line);
  return deep(depth - 1, line) + 1;
}

void rethrowing(const char *text) {
  try {
    accumulate(text, 7);
  } catch (ParseError &e) {
    std::printf("  rethrowing ParseError from line %d\n", e.line);
    throw;
  }
}

// Only Overflow is handled here: a ParseError passes through.
long long onlyOverflow(const char *text) {
  try {
    return accumulate(text, 9);
  } catch (Overflow &o) {
    std::printf("  overflow at %lld\n", o.value);
    return -1;
  }
}

} // namespace

int main() {
  const char *inputs[] = {"123", "4a", "99999999"};
  for (int i = 0; i < 3; ++i) {
    try {
      std::printf("input %s = %lld\n", inputs[i], accumulate(inputs[i], i + 1));
    } catch (const ParseError &e) {
      std::printf("parse error at line %d: %s\n", e.line, e.what);
    } catch (const Overflow &o) {
      std::printf("overflow: %lld\n", o.value);
    }
  }

  try {
    deep(3, 42);
  } catch (ParseError &e) {
    std::printf("deep: parse error at line %d\n", e.line);
  }

  try {
    rethrowing("1z");
  } catch (ParseError &e) {
    std::printf("rethrown: caught again, line %d\n", e.line);
  }

  std::printf("onlyOverflow(555555555) = %lld\n", onlyOverflow("555555555"));
  try {
    onlyOverflow("5q");
  } catch (...) {
    std::printf("onlyOverflow(5q): passed on, caught by catch (...)\n");
  }

  // Many throws: each is freed by the catch that ends.
  long long total = 0;
  for (int i = 0; i < 200000; ++i) {
    try {
      if (i % 3 == 0) throw Overflow{i};
      throw ParseError{i, "loop"};
    } catch (Overflow &o) {
      total += o.value;
    } catch (ParseError &e) {
      total -= e.line;
    }
  }
  std::printf("loop total %lld, tracked objects alive %d\n", total, live);
  return live == 0 ? 0 : 1;
}
