#!/usr/bin/env python3
"""Builds large WebAssembly modules for lucetc's compile-throughput benchmark.

  make_module.py --code-mb 16 --out big16.wasm [--seed-c seed.c] [--cc scripts/wasm-guest-cc]

Step 1 writes a C program of many functions of the shapes real code has
(loops over arrays, switch-driven state machines, floating-point kernels,
struct updates, calls between them; deterministic, from a fixed seed) and
builds it with clang-19 -O2 for wasm32-wasi: about 1 MB of code section.
Step 2 concatenates it with itself until the code section reaches the asked
size: the function and code sections list every body again, so the copies
are real functions with the originals' types, calling the originals. Custom
sections (names) are dropped. The result is a valid module whose code is
what clang emits for ordinary C, at any size.

Standard library only.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from blowups import uleb  # noqa: E402  (bench/blowups.py)

FUNCTIONS = 1800


def generate_c(path, functions=FUNCTIONS, seed=1):
    rng = random.Random(seed)
    out = ["#include <stdint.h>", "#include <string.h>",
           "struct rec { int32_t a, b; double x; uint8_t tag; int64_t w[4]; };",
           "static int32_t table[4096];", "static double fdata[2048];",
           "static struct rec recs[256];", ""]
    for i in range(functions):
        shape = rng.randrange(6)
        k1, k2, k3 = rng.randrange(1, 97), rng.randrange(3, 61), rng.randrange(2, 31)
        callee = f"f{rng.randrange(i)}" if i > 0 else None
        name = f"f{i}"
        if shape == 0:  # loop over an array with a reduction
            body = f"""  int32_t acc = {k1};
  for (int32_t i = 0; i < n; ++i) {{
    int32_t v = table[(i * {k2} + n) & 4095];
    acc = (acc ^ v) * {2 * k3 + 1} + (v >> {k3 % 7 + 1});
    if (acc & {1 << (k3 % 12)}) table[(i + {k1}) & 4095] = acc;
  }}"""
        elif shape == 1:  # state machine
            cases = "\n".join(
                f"    case {c}: s = (s * {rng.randrange(3, 17)} + {rng.randrange(100)}) % {k2 + c + 3}; "
                f"acc += s {'+' if c % 2 else '^'} {rng.randrange(1000)}; break;"
                for c in range(rng.randrange(4, 12)))
            body = f"""  int32_t acc = 0, s = n;
  for (int32_t step = 0; step < {k2}; ++step) {{
    switch (s & 15) {{
{cases}
    default: s = s / 2 + {k1}; acc -= s; break;
    }}
  }}"""
        elif shape == 2:  # floating point kernel
            body = f"""  double sum = {k1}.5, prod = 1.0;
  for (int32_t i = 0; i < {k2}; ++i) {{
    double x = fdata[(i * {k3} + n) & 2047];
    sum += x * {k1}.25 - prod / (x * x + {k3}.0);
    prod = prod * 0.{k2} + x;
    fdata[(i + n) & 2047] = sum;
  }}
  int32_t acc = (int32_t)(sum * 1000.0) ^ (int32_t)prod;"""
        elif shape == 3:  # struct updates
            body = f"""  int32_t acc = 0;
  for (int32_t i = 0; i < {k3}; ++i) {{
    struct rec *r = &recs[(n + i * {k1}) & 255];
    r->a += r->b * {k2} + i;
    r->w[i & 3] ^= (int64_t)r->a << {k3 % 13};
    if (r->tag == {k1 % 5}) {{ r->x = r->x * 0.5 + r->a; r->tag = (uint8_t)(r->b & 7); }}
    else r->b -= r->a >> 3;
    acc += r->a ^ (int32_t)r->w[(i + 1) & 3];
  }}"""
        elif shape == 4:  # string-ish byte work
            body = f"""  uint8_t buf[64];
  memset(buf, {k1}, sizeof buf);
  int32_t acc = 0;
  for (int32_t i = 0; i < 64; ++i) {{
    buf[i] = (uint8_t)(buf[(i * {k2}) & 63] + i * {k3} + n);
    acc = acc * 31 + buf[i];
  }}"""
        else:  # branchy integer arithmetic
            body = f"""  int32_t acc = n * {k1};
  if (acc > {k2 * 100}) acc = acc / {k3} - {k2};
  else if (acc < -{k1 * 10}) acc = -acc % {k2 + 1};
  for (int32_t i = 0; i < {k3}; ++i) acc += (i & 1) ? (acc >> 1) : (acc << 2) ^ {k1};"""
        call = f"\n  if ((n & {rng.randrange(1, 64)}) == {rng.randrange(8)}) acc += {callee}(n - 1);" \
            if callee else ""
        out.append(f"__attribute__((noinline)) int32_t {name}(int32_t n) {{\n{body}{call}\n  return acc;\n}}\n")
    out.append("typedef int32_t (*fn)(int32_t);")
    out.append("static const fn all[] = {" + ", ".join(f"f{i}" for i in range(functions)) + "};")
    out.append("""
int main(int argc, char **argv) {
  int32_t acc = 0;
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; ++i) acc ^= all[i](argc + (int32_t)i);
  return acc & 1;
}""")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def read_leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, start = read_leb(data, pos + 1)
        yield sid, data[start:start + size]
        pos = start + size


def vector_items(payload, item_sizes):
    """Splits a section payload that is a vector; item_sizes(payload, pos) -> end."""
    count, pos = read_leb(payload, 0)
    items = []
    for _ in range(count):
        end = item_sizes(payload, pos)
        items.append(payload[pos:end])
        pos = end
    return items


def concatenate(seed, code_bytes):
    out = bytearray(seed[:8])
    parts = dict()
    order = []
    for sid, payload in sections(seed):
        if sid == 0:
            continue  # custom: names no longer match
        order.append(sid)
        parts[sid] = payload
    funcs = vector_items(parts[3], lambda p, pos: read_leb(p, pos)[1])
    bodies = vector_items(parts[10], lambda p, pos: sum(read_leb(p, pos)))
    # Every original, then copies in order until the code reaches the size.
    count = len(bodies)
    code = sum(len(b) for b in bodies)
    while code < code_bytes:
        code += len(bodies[count % len(bodies)])
        count += 1
    for sid in order:
        if sid == 3:
            payload = uleb(count) + b"".join(funcs[i % len(funcs)] for i in range(count))
        elif sid == 10:
            payload = uleb(count) + b"".join(bodies[i % len(bodies)] for i in range(count))
        else:
            payload = parts[sid]
        out += bytes([sid]) + uleb(len(payload)) + payload
    return bytes(out), code


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code-mb", type=float, required=True, help="code section size to reach")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cc", default=os.path.join(os.path.dirname(__file__), "..", "..", "scripts",
                                                 "wasm-guest-cc"))
    ap.add_argument("--work-dir", default=None, help="keep the seed program here")
    args = ap.parse_args()
    work = args.work_dir or tempfile.mkdtemp(prefix="lucet-compile-bench-")
    os.makedirs(work, exist_ok=True)
    seed_c = os.path.join(work, "seed.c")
    seed_wasm = os.path.join(work, "seed.wasm")
    if not os.path.exists(seed_wasm):
        generate_c(seed_c)
        subprocess.run([args.cc, seed_wasm, seed_c, "-O2"], check=True)
    with open(seed_wasm, "rb") as f:
        seed = f.read()
    module, code = concatenate(seed, int(args.code_mb * (1 << 20)))
    with open(args.out, "wb") as f:
        f.write(module)
    print(f"{args.out}: {len(module)} bytes, code section {code} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
