#!/usr/bin/env python3
"""Times lucetc on module shapes that used to make compile time or memory
grow faster than the module (issue #11): many loads in one block, many
functions, a giant br_table, many type-section entries, wide multi-value
signatures and huge local counts. Each shape is generated at 1x, 4x and 16x;
compile time and peak RSS should grow about linearly. Not a test: it prints a
table.

    python3 bench/blowups.py [--lucetc PATH] [--opt 0,2] [--scales 1,4,16]
                             [--only loads,brtable] [--timeout SECONDS]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def section(ident, payload):
    return bytes([ident]) + uleb(len(payload)) + payload


I32 = 0x7F
END = b"\x0b"


def functype(params, results):
    return b"\x60" + vec([bytes([t]) for t in params]) + vec([bytes([t]) for t in results])


def body(code, locals_=()):
    decls = vec([uleb(n) + bytes([t]) for n, t in locals_])
    payload = decls + code + END
    return uleb(len(payload)) + payload


def module(types, funcs, bodies, exports=(), memory=False, table_funcs=None):
    out = b"\0asm\1\0\0\0"
    out += section(1, vec(types))
    out += section(3, vec([uleb(t) for t in funcs]))
    if table_funcs is not None:
        out += section(4, vec([b"\x70\x00" + uleb(len(table_funcs))]))
    if memory:
        out += section(5, vec([b"\x00\x01"]))
    out += section(7, vec([uleb(len(n)) + n.encode() + b"\x00" + uleb(i)
                           for n, i in exports]))
    if table_funcs is not None:
        seg = b"\x00" + b"\x41\x00" + END + vec([uleb(f) for f in table_funcs])
        out += section(9, vec([seg]))
    out += section(10, vec(bodies))
    return out


def loads(n):
    # One straight-line block: acc = acc + load(p + k) n times.
    code = b"\x20\x00"
    for k in range(n):
        code += b"\x20\x00\x28\x02" + uleb((4 * k) % 60000) + b"\x6a"
    return module([functype([I32], [I32])], [0], [body(code)], [("f", 0)], memory=True)


def functions(n):
    # n small functions, all kept alive through a table.
    bodies = [body(b"\x20\x00\x41" + sleb(k) + b"\x6a") for k in range(n)]
    return module([functype([I32], [I32])], [0] * n, bodies, [("f0", 0)],
                  table_funcs=list(range(n)))


def brtable(n):
    # block (result i32) (i32.const 7) (local.get 0) br_table 0 1 0 1 ... end
    code = b"\x02\x7f\x02\x7f\x41\x07\x20\x00\x0e" + uleb(n)
    code += b"".join(uleb(k % 2) for k in range(n)) + b"\x00"
    code += END + b"\x41\x01\x6a" + END
    return module([functype([I32], [I32])], [0], [body(code)], [("f", 0)])


def types(n):
    # n type-section entries, all the same signature, one function.
    ts = [functype([I32, I32], [I32])] * n
    return module(ts, [0], [body(b"\x20\x00\x20\x01\x6a")], [("f", 0)])


def wide(n):
    # A function with n params and n results, and a caller that passes them on.
    t = functype([I32] * n, [I32] * n)
    callee = body(b"".join(b"\x20" + uleb(k) for k in range(n)))
    caller = body(b"".join(b"\x20" + uleb(k) for k in range(n)) + b"\x10\x00")
    return module([t], [0, 0], [callee, caller], [("f", 1)])


def locals_shape(n):
    # n declared locals, two of them used.
    code = b"\x20\x00\x21" + uleb(n) + b"\x20" + uleb(n)
    return module([functype([I32], [I32])], [0], [body(code, [(n, I32)])], [("f", 0)])


SHAPES = {
    "loads": (loads, 5000),
    "functions": (functions, 5000),
    "brtable": (brtable, 20000),
    "types": (types, 20000),
    "wide": (wide, 60),
    "locals": (locals_shape, 40000),
}


def measure(lucetc, wasm, opt, timeout):
    out = wasm + f".O{opt}.so"
    cmd = ["/usr/bin/time", "-v", lucetc, wasm, "-o", out, "--opt-level", str(opt)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, f"timeout>{timeout}s"
    # CPU time (user + system), not wall time: the machine may be shared.
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    seconds = float(user.group(1)) + float(system.group(1)) if user and system else None
    status = "ok"
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if "lucetc" in l or "error" in l]
        status = "refused: " + (lines[0][:90] if lines else f"exit {proc.returncode}")
    return seconds, int(rss.group(1)) // 1024 if rss else None, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lucetc", default="build/src/tools/lucetc/lucetc")
    ap.add_argument("--opt", default="0,2")
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--work-dir", default="")
    args = ap.parse_args()
    only = [s for s in args.only.split(",") if s]
    work = args.work_dir or tempfile.mkdtemp(prefix="lucet-blowups-")
    print(f"{'shape':10} {'scale':>5} {'size':>10} {'opt':>3} {'CPU s':>8} {'RSS MiB':>8}  status")
    for name, (gen, unit) in SHAPES.items():
        if only and name not in only:
            continue
        for scale in [int(s) for s in args.scales.split(",")]:
            n = unit * scale
            wasm = os.path.join(work, f"{name}-{scale}x.wasm")
            with open(wasm, "wb") as f:
                f.write(gen(n))
            size = os.path.getsize(wasm)
            for opt in [int(o) for o in args.opt.split(",")]:
                seconds, rss, status = measure(args.lucetc, wasm, opt, args.timeout)
                sec = f"{seconds:.2f}" if seconds is not None else "-"
                print(f"{name:10} {str(scale) + 'x':>5} {size:>10} {opt:>3} {sec:>8} "
                      f"{rss if rss is not None else '-':>8}  n={n} {status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
