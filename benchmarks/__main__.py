"""Run the benchmark suite: ``python -m benchmarks [--sizes 10k,100k,1M] [--only load,export] [--quick]``.

Discovers the ``benchmarks/bench_<topic>.py`` modules, calls each one's ``run(sizes)`` (a list of
rows made by :func:`benchmarks.measure.row`), adds same-run ratios against each operation's
baseline row, prints a markdown table and writes it, with the machine it ran on, to
``benchmarks/results/latest.md`` (rows as JSON beside it, ``latest.json``). Topics not run this
time keep their rows from the previous ``latest.json``, each topic stamped with the run it came
from, so ``--only`` runs add up. ``--quick`` writes ``results/quick.md`` instead. A module that
fails is reported in the table and makes the exit status 1; the other modules still run.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import pkgutil
import platform
import re
import subprocess
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any

from . import measure
from .hetionet_schema import node_list

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = "10k,100k,1M"
QUICK_SIZES = "1k"
LIBRARIES = ("sle_graph", "rdflib", "pyoxigraph", "networkx", "numpy", "scipy", "pydot")


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"2.25M"`` -> 2250000, ``"500"`` -> 500."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if m is None:
        raise argparse.ArgumentTypeError(f"bad size {text!r}: use a number with an optional k or M, e.g. 100k")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    return int(round(float(m.group(1)) * factor))


def topics() -> dict[str, str]:
    """Benchmark topic -> module name, from the ``bench_*.py`` files."""
    folder = Path(__file__).resolve().parent
    return {m.name[len("bench_"):]: f"benchmarks.{m.name}" for m in pkgutil.iter_modules([str(folder)])
            if m.name.startswith("bench_")}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kib = int(fh.readline().split()[1])
        return f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=measure.REPO, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=measure.REPO,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' (uncommitted changes)' if dirty else ''}" if head else "unknown"


def machine() -> dict[str, str]:
    """Facts about the machine and software the run used."""
    versions = []
    for lib in LIBRARIES:
        try:
            versions.append(f"{lib} {metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{lib} (not installed)")
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory_gb(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "libraries": ", ".join(versions),
        "commit": _git(),
        "load": "{:.1f}".format(os.getloadavg()[0]) if hasattr(os, "getloadavg") else "unknown",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        # Labels change the size of what is written and read, so a run says which it had.
        "labels": "real Hetionet names" if node_list() is not None else "numbered (no Hetionet node list)",
    }


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Set ``speedup`` (baseline time / time) and ``memory_ratio`` on rows that have a baseline."""
    base = {(r["topic"], r["operation"], r["size"]): r for r in rows if r.get("baseline")}
    for r in rows:
        b = base.get((r["topic"], r["operation"], r["size"]))
        r["speedup"] = r["memory_ratio"] = None
        if b is None:
            continue
        if r.get("seconds") and b.get("seconds"):
            r["speedup"] = b["seconds"] / r["seconds"]
        if r.get("step_mb") and b.get("step_mb"):
            r["memory_ratio"] = r["step_mb"] / b["step_mb"]


def _num(x: float | None, digits: int = 3) -> str:
    if x is None:
        return ""
    return f"{x:.{digits}g}" if x < 10 ** digits else f"{x:,.0f}"


def _rate(items: int | None, seconds: float | None, unit: str) -> str:
    if not items or not seconds:
        return ""
    r = items / seconds
    text = f"{r / 1e6:.3g}M" if r >= 1e6 else f"{r / 1e3:.3g}k" if r >= 1e3 else f"{r:.3g}"
    return f"{text} {unit}/s"


def _size(size: int | None) -> str:
    if size is None:
        return "curated"
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if size >= factor and size % (factor // 100) == 0:
            return f"{size / factor:g}{suffix}"
    return f"{size:,}"


COLUMNS = ("operation", "edges", "tool", "median s", "rate", "peak MB", "step MB", "MB per 1M edges",
           "speed-up vs baseline", "memory vs baseline", "runs", "note")


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown tables of the rows, one per topic."""
    out = []
    for topic in sorted({r["topic"] for r in rows}):
        out += [f"### {topic}", ""]
        run = next(r.get("run") for r in rows if r["topic"] == topic)
        if run:
            out += [f"Run {run['date']}, commit {run['commit']}, on {run['CPU']} (load average "
                    f"{run.get('load', '?')} at the start): `{run['command']}`", ""]
        out += ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
        for r in (r for r in rows if r["topic"] == topic):
            per_m = (r["step_mb"] / r["size"] * 1e6 if r.get("step_mb") and r.get("size") and r["size"] >= 10_000
                     else None)
            cells = [
                r["operation"], _size(r["size"]), r["tool"] + (" (baseline)" if r.get("baseline") else ""),
                _num(r.get("seconds")), _rate(r.get("items"), r.get("seconds"), r.get("unit", "edges")),
                _num(r.get("peak_mb"), 4), _num(r.get("step_mb"), 4), _num(per_m, 4),
                f"{r['speedup']:.3g}x" if r.get("speedup") and not r.get("baseline") else "",
                f"{r['memory_ratio']:.2f}x" if r.get("memory_ratio") and not r.get("baseline") else "",
                str(r.get("repeats") or ""), r.get("note", "").replace("|", "\\|").replace("\n", " "),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def document(rows: list[dict[str, Any]], facts: dict[str, str], command: str) -> str:
    lines = ["# Benchmark results", "",
             f"Command: `{command}`; {facts['date']}; commit {facts['commit']}.", "",
             f"Machine: CPU: {facts['CPU']}; {facts['cores']} cores; {facts['memory']} memory; {facts['OS']}; "
             f"{facts['Python']}.", "", f"Libraries: {facts['libraries']}.", "",
             f"Generated graphs' node labels: {facts['labels']}.", "",
             "Medians over the runs shown. Peak MB: the measuring process's peak resident memory; step MB: "
             "what the step added to it (peak minus resident memory just before the step), measured in a "
             "fresh process per run. Speed-up: the baseline's median time over this row's, same run; "
             "memory: this row's step MB over the baseline's. Times are wall clock: a load average above "
             "the core count means other work shared the CPU.", "", table(rows)]
    return "\n".join(lines)


def _previous(out: Path) -> list[dict[str, Any]]:
    """The rows of the last run written to ``out`` (none if unreadable)."""
    try:
        return list(json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["rows"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"edge counts, comma-separated (default {DEFAULT_SIZES}; "
                                        f"--quick: {QUICK_SIZES})")
    parser.add_argument("--only", help="topics to run, comma-separated: " + ", ".join(sorted(topics())))
    parser.add_argument("--quick", action="store_true", help="smoke run: small size, one repeat")
    parser.add_argument("--out", type=Path, help="markdown file to write (default results/latest.md; "
                                                 "--quick: results/quick.md)")
    args = parser.parse_args(argv)

    if args.quick:
        os.environ[measure.QUICK_ENV] = "1"
    sizes = [parse_size(s) for s in (args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)).split(",")]
    available = topics()
    wanted = [t.strip() for t in args.only.split(",")] if args.only else sorted(available)
    unknown = [t for t in wanted if t not in available]
    if unknown:
        parser.error(f"unknown topic {', '.join(unknown)}; topics: {', '.join(sorted(available))}")

    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    facts = machine()
    run = {k: facts[k] for k in ("date", "commit", "CPU", "load")} | {"command": command}
    out = args.out or RESULTS / ("quick.md" if args.quick else "latest.md")
    rows = [r for r in _previous(out) if r.get("topic") not in wanted]
    failed = False
    out.parent.mkdir(parents=True, exist_ok=True)
    for topic in wanted:
        print(f"[benchmarks] {topic}: sizes {', '.join(map(_size, sizes))}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            got = importlib.import_module(available[topic]).run(sizes)
        except Exception as exc:  # a broken module must not stop the others
            failed = True
            traceback.print_exc()
            got = [measure.row("(failed)", None, "-", note=f"{type(exc).__name__}: {exc}".splitlines()[0])]
        for r in got:
            r["topic"], r["run"] = topic, run
        rows += got
        print(f"[benchmarks] {topic}: {len(got)} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        add_ratios(rows)
        out.write_text(document(rows, facts, command), encoding="utf-8")
        out.with_suffix(".json").write_text(
            json.dumps({"machine": facts, "command": command, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    add_ratios(rows)
    print(table(rows))
    print(f"[benchmarks] written to {out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
