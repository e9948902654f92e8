#!/usr/bin/env python3
"""Benchmark harness for lucet-cpp.

Builds every workload in bench/workloads natively and for wasm32-wasi,
precompiles the wasm with lucetc (timed), then runs native, lucet-wasi and
node (node:wasi) on the same input, interleaved, --runs times. Checks that
the three agree on the checksum (the last output line), and writes
bench/RESULTS.md and bench/results.svg.

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
WORKLOAD_DIR = BENCH_DIR / "workloads"
RUNTIMES = ("native", "lucet", "node")
GUEST_DIR = "/data"  # guest path of the preopened scratch directory


@dataclass
class Workload:
    name: str
    size: int  # argv[1]; the workload's own default
    what: str
    stdout_devnull: bool = False  # stdout to /dev/null, checksum on stderr
    needs_dir: bool = False  # argv[2] is a scratch directory (preopened)


# Sizes are the defaults of the workloads (~0.3-1 s natively on the reference machine).
WORKLOADS = [
    Workload("hash", 80, "N rounds of FNV-1a + a 64-bit multiply/rotate mixer over 4 MiB"),
    Workload("lz", 24, "N rounds of LZ77 compress/decompress + RLE of 2 MiB text-like data"),
    Workload("nbody", 120000, "N steps of a 32-body double n-body simulation (sqrt, div)"),
    Workload("matmul", 800, "NxN double matrix multiply (i-k-j order), twice"),
    Workload("fft", 16, "N forward+inverse radix-2 complex FFTs of 2^18 points"),
    Workload("memchase", 2, "N million dependent random loads + strided sums over 32 MiB"),
    Workload("recurse", 39, "fib-shaped recursion of depth N, Ackermann, tak: calls/returns"),
    Workload("interp", 3000000, "bytecode interpreter, N loop iterations, function-pointer dispatch"),
    Workload("bintree", 16, "binary trees up to depth N: many small malloc/free"),
    Workload("strings", 400000, "N words: tokenize, malloc, merge sort, snprintf/strstr, hash"),
    Workload("fdwrite", 1000000, "N small write()s (one fd_write each) to stdout = /dev/null"),
    Workload("fileio", 256, "N MiB file write + read back in 64 KiB chunks, preopened dir",
             needs_dir=True),
    Workload("mul128", 20000, "N thousand ed25519-style field multiplies (unsigned __int128 products)"),
    Workload("stencil", 1000, "300 sweeps of a 5-point Jacobi stencil over an NxN double grid"),
    Workload("apsp", 900, "Floyd-Warshall all-pairs shortest paths, N nodes, int32 weights"),
    Workload("editdist", 3000, "15 edit distances of N-byte strings, full 2-D DP table"),
    Workload("short", 3000000, "a ~20 ms program: sieve up to N and some printf, start-up dominated"),
]
# Workloads whose cost grows exponentially with the size argument.
EXPONENTIAL = {"bintree", "recurse"}
for _w in WORKLOADS:
    if _w.name == "fdwrite":
        _w.stdout_devnull = True


class BenchError(Exception):
    pass


@dataclass
class Sample:
    seconds: float
    rss_kib: int | None


@dataclass
class Result:
    wl: Workload
    wasm_bytes: int = 0
    so_bytes: int = 0
    compile_s: float = 0.0
    checksum: str = ""
    checksum_from: str = ""
    samples: dict = field(default_factory=lambda: {r: [] for r in RUNTIMES})

    def median(self, rt: str) -> float:
        return statistics.median(s.seconds for s in self.samples[rt])

    def spread(self, rt: str) -> float:
        xs = [s.seconds for s in self.samples[rt]]
        return (max(xs) - min(xs)) / statistics.median(xs) if xs else 0.0

    def peak_rss(self, rt: str) -> int | None:
        xs = [s.rss_kib for s in self.samples[rt] if s.rss_kib is not None]
        return max(xs) if xs else None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_checked(cmd: list[str], what: str, env: dict | None = None) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise BenchError(f"{what} failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


class Runner:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args = args
        self.work = work
        build = Path(args.build_dir)
        self.lucetc = build / "src/tools/lucetc/lucetc"
        self.lucet_wasi = build / "src/tools/lucet-wasi/lucet-wasi"
        for tool in (self.lucetc, self.lucet_wasi):
            if not os.access(tool, os.X_OK):
                raise BenchError(f"missing {tool} (is --build-dir right?)")
        if shutil.which(args.cc) is None:
            raise BenchError(f"{args.cc} not found")
        if shutil.which(args.node) is None:
            raise BenchError(f"{args.node} not found")
        self.time_bin = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
        self.node_runner = BENCH_DIR / "node-wasi.mjs"

    # ---- building ---------------------------------------------------------
    def build(self, src: Path, name: str, res: Result | None) -> tuple[Path, Path, Path, float]:
        native = self.work / f"{name}.native"
        wasm = self.work / f"{name}.wasm"
        so = self.work / f"{name}.so"
        run_checked([self.args.cc, "-O2", "-o", str(native), str(src), "-lm"], f"native build of {name}")
        run_checked([str(REPO_DIR / "scripts/wasm-guest-cc"), str(wasm), str(src), "-O2", *wasm_simd_flags(self.args)],
                    f"wasm build of {name}", env={**os.environ, "LUCET_WASM_CC": self.args.cc})
        t0 = time.perf_counter()
        run_checked([str(self.lucetc), str(wasm), "-o", str(so), *self.args.lucetc_flags.split()],
                    f"lucetc of {name}")
        dt = time.perf_counter() - t0
        if res is not None:
            res.wasm_bytes = wasm.stat().st_size
            res.so_bytes = so.stat().st_size
            res.compile_s = dt
        return native, wasm, so, dt

    # ---- running ----------------------------------------------------------
    def command(self, rt: str, name: str, guest_args: list[str], scratch: Path | None) -> list[str]:
        native = self.work / f"{name}.native"
        wasm = self.work / f"{name}.wasm"
        so = self.work / f"{name}.so"
        if rt == "native":
            args = [a if a != GUEST_DIR else str(scratch) for a in guest_args]
            return [str(native), *args]
        pre = ["--dir", f"{GUEST_DIR}:{scratch}"] if scratch is not None else []
        if rt == "lucet":
            return [str(self.lucet_wasi), *pre, str(so), "--", *guest_args]
        return [self.args.node, "--no-warnings", *self.args.node_flags.split(), str(self.node_runner), *pre,
                str(wasm), "--", *guest_args]

    def run_once(self, rt: str, name: str, guest_args: list[str], scratch: Path | None,
                 devnull_stdout: bool) -> tuple[Sample, str, str]:
        cmd = self.command(rt, name, guest_args, scratch)
        rss_file = self.work / "rss.txt"
        if self.time_bin:
            cmd = [self.time_bin, "-f", "%M", "-o", str(rss_file), *cmd]
        out_path = self.work / "stdout.txt"
        err_path = self.work / "stderr.txt"
        with open(err_path, "wb") as err:
            out = open(os.devnull, "wb") if devnull_stdout else open(out_path, "wb")
            with out:
                if not self.time_bin:
                    import resource
                    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                t0 = time.perf_counter()
                p = subprocess.run(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
                dt = time.perf_counter() - t0
        stdout = "" if devnull_stdout else out_path.read_text(errors="replace")
        stderr = err_path.read_text(errors="replace")
        if p.returncode != 0:
            raise BenchError(f"{rt} run of {name} exited {p.returncode}\n  command: {' '.join(cmd)}\n"
                             f"  stderr: {stderr[-2000:]}")
        rss = None
        if self.time_bin:
            try:
                rss = int(rss_file.read_text().strip().splitlines()[-1])
            except (OSError, ValueError, IndexError):
                rss = None
        else:
            after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            # ru_maxrss of children is a high-water mark: only a rise is attributable.
            rss = after if after > before else None
        text = stderr if devnull_stdout else stdout
        lines = [ln for ln in text.strip().splitlines() if ln.strip()]
        checksum = lines[-1].strip() if lines else ""
        return Sample(dt, rss), checksum, text


def geomean(xs: list[float]) -> float:
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def machine_info() -> dict:
    model = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": sh("nproc"),
        "cpu": model or platform.processor() or "unknown",
        "kernel": platform.release(),
        "cc": sh("clang-19 --version").splitlines()[0] if sh("clang-19 --version") else "",
        "node": sh("node --version"),
    }


# ---- reporting -------------------------------------------------------------

def fmt_s(x: float) -> str:
    return f"{x:.3f}"


def write_svg(path: Path, results: list[Result]) -> None:
    groups = [(r.wl.name, r.median("lucet") / r.median("native"), r.median("node") / r.median("native"))
              for r in results]
    groups.append(("geomean", geomean([g[1] for g in groups]), geomean([g[2] for g in groups])))
    series = [("lucet-wasi / native", "#3b6fb6"), ("node / native", "#e08a2e")]
    # Logarithmic axis (powers of two) so that 1.2x and 30x both stay readable;
    # bars start at the native line (1x) and go up when slower, down when faster.
    vals = [v for g in groups for v in g[1:] if v > 0]
    lo = min([1.0] + vals)
    hi = max([1.0] + vals)
    emin = math.floor(math.log2(lo) - 0.15)
    emax = math.ceil(math.log2(hi) + 0.15)
    gw, bw, left, right, top_pad, bottom = 74, 26, 60, 20, 50, 40
    plot_h = 340
    width = left + right + gw * len(groups)
    height = top_pad + plot_h + bottom

    def y(v: float) -> float:
        return top_pad + plot_h - (math.log2(v) - emin) / (emax - emin) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">'
           'Wall time relative to native (median; lower is better)</text>']
    # legend
    lx = left
    for label, color in series:
        out.append(f'<rect x="{lx}" y="28" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{lx + 16}" y="38">{label}</text>')
        lx += 150
    # grid + axis
    for e in range(emin, emax + 1):
        v = 2.0 ** e
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   'stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}x</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(1):.1f}" y2="{y(1):.1f}" '
               'stroke="#333" stroke-width="1.5" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{width - right}" y="{y(1) - 4:.1f}" text-anchor="end" fill="#333">native = 1</text>')
    out.append(f'<text x="14" y="{top_pad + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 14 {top_pad + plot_h / 2})">ratio to native (log scale)</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top_pad}" y2="{top_pad + plot_h}" stroke="#333"/>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" '
               'stroke="#333"/>')
    for gi, (name, *vals) in enumerate(groups):
        gx = left + gi * gw + (gw - bw * len(vals)) / 2
        for si, val in enumerate(vals):
            x = gx + si * bw
            color = series[si][1]
            y0, y1 = sorted((y(val), y(1.0)))
            out.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bw - 3}" height="{max(y1 - y0, 1):.1f}" '
                       f'fill="{color}"><title>{name}: {series[si][0]} = {val:.2f}</title></rect>')
            ly = y0 - 3 if val >= 1 else y1 + 10
            out.append(f'<text x="{x + (bw - 3) / 2:.1f}" y="{ly:.1f}" text-anchor="middle" '
                       f'font-size="9">{val:.2f}</text>')
        cx = left + gi * gw + gw / 2
        weight = ' font-weight="bold"' if name == "geomean" else ""
        out.append(f'<text x="{cx:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle"{weight}>{name}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n")


def wasm_simd_flags(args: argparse.Namespace) -> list[str]:
    """x86-64's baseline has 128-bit SIMD (SSE2), which clang -O2 vectorizes
    native code with; wasm's counterpart, simd128, is off by default for
    wasm32. Both targets get their 128-bit SIMD unless --no-wasm-simd."""
    return ["-msimd128"] if args.wasm_simd else []


def write_markdown(path: Path, results: list[Result], hello: Result | None, info: dict,
                   args: argparse.Namespace, total_s: float) -> str:
    L = []
    L.append("# Benchmark results")
    L.append("")
    L.append(f"- Date: {info['date']}")
    L.append(f"- Machine: {info['cpu']}, nproc = {info['nproc']}, Linux {info['kernel']}")
    wasm_flags = " ".join(["-O2", *wasm_simd_flags(args)])
    L.append(f"- Compilers: {info['cc']} (`-O2` native, x86-64 baseline with SSE2; `--target=wasm32-wasi {wasm_flags}`); "
             f"node {info['node']} (node:wasi, preview1, flags `{args.node_flags}`); "
             f"lucetc flags `{args.lucetc_flags or '(none: this CPU)'}`")
    L.append(f"- Build dir: `{args.build_dir}`; runs per workload and runtime: {args.runs} "
             f"(interleaved native / lucet-wasi / node, order rotated each round); "
             f"harness wall time {total_s:.0f} s")
    L.append("- Times are end-to-end wall clock of the process (start-up included), median of the runs. "
             "Node compiles the .wasm at start-up; lucet-wasi loads the .so precompiled by lucetc.")
    L.append("")
    L.append("## Run time")
    L.append("")
    L.append("| workload | native s | lucet-wasi s | node s | lucet/native | lucet/node | node/native "
             "| lucet spread | lucet peak RSS MiB | native peak RSS MiB | checksum |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ln, ld, nn = [], [], []
    for r in results:
        n, l, d = r.median("native"), r.median("lucet"), r.median("node")
        ln.append(l / n)
        ld.append(l / d)
        nn.append(d / n)
        rl, rn = r.peak_rss("lucet"), r.peak_rss("native")
        cs = r.checksum if len(r.checksum) <= 24 else r.checksum[:21] + "..."
        L.append(f"| {r.wl.name} | {fmt_s(n)} | {fmt_s(l)} | {fmt_s(d)} | {l / n:.2f} | {l / d:.2f} | "
                 f"{d / n:.2f} | {r.spread('lucet') * 100:.0f}% | "
                 f"{(rl / 1024 if rl else float('nan')):.1f} | {(rn / 1024 if rn else float('nan')):.1f} | "
                 f"`{cs}` |")
    L.append(f"| **geomean** | | | | **{geomean(ln):.2f}** | **{geomean(ld):.2f}** | **{geomean(nn):.2f}** "
             "| | | | |")
    L.append("")
    L.append("All three runtimes printed the same checksum (last output line) on every run. "
             "*Spread* is (max - min) / median of the lucet-wasi runs. Peak RSS is the largest "
             "maximum resident set size over the runs (`/usr/bin/time -f %M`).")
    L.append("")
    L.append("![ratios to native](results.svg)")
    L.append("")
    L.append("## lucetc compile time")
    L.append("")
    L.append("| workload | .wasm bytes | lucetc s | wasm bytes/s | .so bytes |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    all_c = results + ([hello] if hello else [])
    for r in all_c:
        L.append(f"| {r.wl.name} | {r.wasm_bytes} | {r.compile_s:.2f} | {r.wasm_bytes / r.compile_s:,.0f} | "
                 f"{r.so_bytes} |")
    tb = sum(r.wasm_bytes for r in all_c)
    ts = sum(r.compile_s for r in all_c)
    L.append(f"| **total** | {tb} | {ts:.2f} | {tb / ts:,.0f} | |")
    L.append("")
    if hello:
        L.append("## Start-up: hello world")
        L.append("")
        L.append(f"End-to-end wall time of a precompiled hello world, median of {len(hello.samples['lucet'])} "
                 "interleaved runs.")
        L.append("")
        L.append("| runtime | median ms | min ms | peak RSS MiB |")
        L.append("| --- | ---: | ---: | ---: |")
        for rt, label in (("native", "native"), ("lucet", "lucet-wasi (.so)"), ("node", "node (node:wasi)")):
            xs = [s.seconds for s in hello.samples[rt]]
            rss = hello.peak_rss(rt)
            L.append(f"| {label} | {statistics.median(xs) * 1000:.1f} | {min(xs) * 1000:.1f} | "
                     f"{(rss / 1024 if rss else float('nan')):.1f} |")
        L.append("")
        L.append(f"lucet-wasi / node start-up: {hello.median('lucet') / hello.median('node'):.3f}")
        L.append("")
    L.append("## Workloads")
    L.append("")
    for r in results:
        L.append(f"- `{r.wl.name} {r.wl.size}`: {r.wl.what}")
    L.append("")
    text = "\n".join(L)
    # The compile-throughput section is compile/compile_bench.py's: kept.
    kept = "## Compile throughput (large modules)"
    if path.exists() and kept in (old := path.read_text()):
        start = old.index(kept)
        end = old.find("\n## ", start + len(kept))
        text += "\n" + (old[start:end + 1] if end >= 0 else old[start:])
    path.write_text(text)
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="/work/main/build", help="lucet-cpp build directory")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per workload and runtime (default 5)")
    ap.add_argument("--hello-runs", type=int, default=40, help="runs of the hello-world start-up test")
    ap.add_argument("--only", default="", help="comma-separated workload names (default: all)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every workload size by this")
    ap.add_argument("--out-dir", default=str(BENCH_DIR), help="where RESULTS.md and results.svg go")
    ap.add_argument("--work-dir", default="", help="scratch directory for binaries (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--cc", default="clang-19")
    ap.add_argument("--node", default="node")
    # node v20 segfaults (exit 139) now and then at the end of memchase (a
    # 32 MiB wasm heap) when V8's GC runs concurrent threads; a single-threaded
    # GC avoids it. GC hardly matters to these wasm workloads.
    ap.add_argument("--node-flags", default="--single-threaded-gc",
                    help="extra node options (default: --single-threaded-gc)")
    ap.add_argument("--lucetc-flags", default="",
                    help="extra lucetc options, e.g. '--target-cpu baseline' (default: none, "
                         "so lucetc uses this machine's CPU features)")
    ap.add_argument("--wasm-simd", action=argparse.BooleanOptionalAction, default=True,
                    help="build the wasm with -msimd128, as native code has SSE2 (default: on)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    workloads = WORKLOADS
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {w.name for w in WORKLOADS}
        if unknown:
            ap.error(f"unknown workloads: {', '.join(sorted(unknown))}")
        workloads = [w for w in WORKLOADS if w.name in names]
    if args.scale != 1.0:
        if args.scale <= 0:
            ap.error("--scale must be positive")
        scaled = []
        for w in workloads:
            if w.name in EXPONENTIAL:  # size is a depth: add log2(scale) instead
                size = max(1, w.size + round(math.log2(args.scale)))
            else:
                size = max(1, round(w.size * args.scale))
            scaled.append(Workload(w.name, size, w.what, w.stdout_devnull, w.needs_dir))
        workloads = scaled

    t_start = time.perf_counter()
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="lucet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        runner = Runner(args, work)
        results = [Result(w) for w in workloads]
        log(f"building {len(workloads)} workloads in {work}")
        for r in results:
            _, _, _, dt = runner.build(WORKLOAD_DIR / f"{r.wl.name}.c", r.wl.name, r)
            log(f"  {r.wl.name:10s} lucetc {dt:6.2f} s  {r.wasm_bytes:8d} wasm bytes  "
                f"{r.wasm_bytes / dt:12,.0f} B/s")
        hello = Result(Workload("hello", 0, "hello world"))
        if args.hello_runs > 0:
            runner.build(BENCH_DIR / "hello" / "hello.c", "hello", hello)

        for rnd in range(args.runs):
            log(f"round {rnd + 1}/{args.runs}")
            for r in results:
                order = RUNTIMES[rnd % 3:] + RUNTIMES[:rnd % 3]
                line = []
                for rt in order:
                    scratch = None
                    guest = [str(r.wl.size)]
                    if r.wl.needs_dir:
                        scratch = work / f"scratch-{rt}"
                        scratch.mkdir(exist_ok=True)
                        guest.append(GUEST_DIR)
                    sample, checksum, text = runner.run_once(rt, r.wl.name, guest, scratch, r.wl.stdout_devnull)
                    if not checksum:
                        raise BenchError(f"{rt} run of {r.wl.name} printed no checksum:\n{text[-2000:]}")
                    if not r.checksum:
                        r.checksum = checksum
                        r.checksum_from = rt
                    elif checksum != r.checksum:
                        raise BenchError(
                            f"CHECKSUM MISMATCH in {r.wl.name}: {rt} printed {checksum!r}, "
                            f"{r.checksum_from} printed {r.checksum!r}\n{rt} output tail:\n{text[-2000:]}")
                    r.samples[rt].append(sample)
                    line.append(f"{rt} {sample.seconds:6.3f}s")
                log(f"  {r.wl.name:10s} " + "  ".join(line) + f"  [{r.checksum[:20]}]")

        if args.hello_runs > 0:
            log(f"hello world start-up, {args.hello_runs} runs")
            for i in range(args.hello_runs):
                order = RUNTIMES[i % 3:] + RUNTIMES[:i % 3]
                for rt in order:
                    sample, checksum, text = runner.run_once(rt, "hello", [], None, False)
                    if checksum != "hello, world":
                        raise BenchError(f"hello under {rt} printed {text!r}")
                    hello.samples[rt].append(sample)

        total = time.perf_counter() - t_start
        out_dir = Path(args.out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        info = machine_info()
        text = write_markdown(out_dir / "RESULTS.md", results, hello if args.hello_runs > 0 else None,
                              info, args, total)
        write_svg(out_dir / "results.svg", results)
        print(text)
        log(f"wrote {out_dir / 'RESULTS.md'} and {out_dir / 'results.svg'} ({total:.0f} s)")
        return 0
    except BenchError as e:
        log("")
        log("=" * 72)
        log(f"BENCHMARK FAILED: {e}")
        log("=" * 72)
        return 1
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
