#!/usr/bin/env python3
"""Compile-throughput benchmark for lucetc on large modules.

  compile_bench.py [--build-dir build] [--sizes 1,4,16,64] [--levels auto,0,2]
                   [--jobs 1,2] [--runs 1] [--work-dir DIR] [--results bench/RESULTS.md]

Builds modules of the given code-section sizes (MiB) with make_module.py,
compiles each with lucetc at each optimisation level and thread count
(--runs times, median), and records wall time, KB of code section per second
and the peak RSS of lucetc and its linker together (sampled from /proc every
50 ms: lucetc waits for the linker, so both count). As a peer, node compiles the same module
(`new WebAssembly.Module`: V8 validates it and compiles each function
lazily, at its first call). Writes the "Compile throughput" section of bench/RESULTS.md.

Standard library only.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
SECTION = "## Compile throughput (large modules)"


def tree_rss_kib(pid):
    """RSS of a process and all its descendants, KiB (0 once it is gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                total += sum(tree_rss_kib(int(child)) for child in f.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def timed(cmd):
    """(seconds, peak RSS KiB of the process tree) of a command."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.05)
    seconds = time.monotonic() - start
    stderr = proc.stderr.read()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{stderr}")
    return seconds, peak


def code_bytes(path):
    """(code section bytes, function body bytes as lucetc counts them:
    instructions only, without sizes and local declarations)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_module import read_leb, sections
    data = Path(path).read_bytes()
    code = next(p for sid, p in sections(data) if sid == 10)
    count, pos = read_leb(code, 0)
    bodies = 0
    for _ in range(count):
        size, start = read_leb(code, pos)
        runs, at = read_leb(code, start)
        for _ in range(runs):
            _, at = read_leb(code, at)
            at += 1  # the value type
        bodies += start + size - at
        pos = start + size
    return len(code), bodies


def existing_rows(path):
    """Rows of the section's table already in RESULTS.md, to merge with."""
    rows = []
    if not path.exists() or SECTION not in path.read_text():
        return rows
    text = path.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    for line in text[start:end if end >= 0 else None].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 8 or not cells[0].replace(".", "").isdigit():
            continue
        code = float(cells[0]) * 2**20
        rows.append((round(float(cells[0])), code, cells[1], int(cells[2]), float(cells[3]),
                     float(cells[5]) * 1024, float(cells[6])))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=str(BENCH_DIR.parent / "build"))
    ap.add_argument("--sizes", default="1,4,16,64")
    ap.add_argument("--levels", default="auto,0,2",
                    help="a level that auto already chose for a size is not run twice")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--work-dir", default="/tmp/lucet-compile-bench")
    ap.add_argument("--node", default="node")
    ap.add_argument("--max-level2-mb", type=float, default=16,
                    help="skip -O2 above this size (it would take too long)")
    ap.add_argument("--results", default=str(BENCH_DIR / "RESULTS.md"))
    ap.add_argument("--merge", action="store_true",
                    help="keep the table's rows for what this run does not measure")
    args = ap.parse_args()
    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    lucetc = str(Path(args.build_dir) / "src/tools/lucetc/lucetc")
    rows = []
    for size in [float(s) for s in args.sizes.split(",") if s]:
        wasm = work / f"module-{size:g}mb.wasm"
        if not wasm.exists():
            subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "make_module.py"),
                            "--code-mb", str(size), "--out", str(wasm), "--work-dir",
                            str(work / "seed")], check=True)
        code, bodies = code_bytes(wasm)
        node = [timed([args.node, "-e",
                       f"new WebAssembly.Module(require('fs').readFileSync('{wasm}'))"])
                for _ in range(args.runs)]
        node_s = statistics.median(s for s, _ in node)
        auto_level = "2" if bodies <= 16 * 2**20 else "0"  # FullPipelineLimit
        for level in args.levels.split(","):
            if level == "2" and size > args.max_level2_mb:
                continue
            if level == auto_level and "auto" in args.levels.split(","):
                continue
            for jobs in [int(j) for j in args.jobs.split(",")]:
                out = work / f"module-{size:g}mb-O{level}-j{jobs}.so"
                runs = [timed([lucetc, "--opt-level", level, "-j", str(jobs), str(wasm), "-o",
                               str(out)]) for _ in range(args.runs)]
                seconds = statistics.median(s for s, _ in runs)
                rss = max(r for _, r in runs)
                rows.append((size, code, level, jobs, seconds, rss, node_s))
                print(f"{size:g} MiB -O{level} -j{jobs}: {seconds:.1f} s, "
                      f"{code / 1024 / seconds:.0f} KB/s, {rss / 1024:.0f} MiB "
                      f"(node {node_s:.2f} s)", file=sys.stderr)
                out.unlink(missing_ok=True)
    if args.merge:
        measured = {(round(r[0]), r[2], r[3]) for r in rows}
        rows += [r for r in existing_rows(Path(args.results))
                 if (round(r[0]), r[2], r[3]) not in measured]
    rows.sort(key=lambda r: (r[1], r[2] != "auto", r[2], r[3]))
    write_results(Path(args.results), rows, args)


def write_results(path, rows, args):
    nproc = os.cpu_count()
    lines = [SECTION, "",
             f"lucetc compiling generated modules (bench/compile/make_module.py: clang-19 -O2 "
             f"C code, concatenated to size) on {nproc} cores; wall time and peak RSS of one "
             f"compile, lucetc and its linker together (median of {args.runs}). `auto` is "
             f"lucetc's default "
             f"(compiler/ChunkPlan.h: -O2 up to 16 MiB of code, -O0 above). node is "
             f"`new WebAssembly.Module` on the same module: V8 validates it and compiles each "
             f"function lazily, at its first call, so that is its start-up cost, not a compile "
             f"of the whole module.", "",
             "| code MiB | level | -j | seconds | KB/s | peak RSS MiB | node s | lucetc/node |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, code, level, jobs, seconds, rss, node_s in rows:
        lines.append(f"| {code / 2**20:.1f} | {level} | {jobs} | {seconds:.1f} | "
                     f"{code / 1024 / seconds:.0f} | {rss / 1024:.0f} | {node_s:.2f} | "
                     f"{seconds / node_s:.1f} |")
    speedups = []
    for size, code, level, jobs, seconds, rss, node_s in rows:
        if jobs == 2 and code <= 2**20:
            # Not split (compiler/ChunkPlan.h SplitThreshold): -j changes nothing.
            speedups.append(f"{code / 2**20:.0f} MiB -O{level}: one chunk, -j has no effect")
        elif jobs == 2:
            one = [r for r in rows if r[0] == size and r[2] == level and r[3] == 1]
            if one:
                speedups.append(f"{code / 2**20:.0f} MiB -O{level}: {one[0][4] / seconds:.2f}x")
    if speedups:
        lines += ["", "-j2 speed-up over -j1: " + ", ".join(speedups) + "."]
    section = "\n".join(lines) + "\n"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
