"""Triage speed side by side: this tree against an earlier commit, in one run.

Both trees run the same development vignettes, alternating so that a busy minute of the
machine falls on both alike. For each tree: assessments per second in process (best of
the rounds) and the cold start of `stridewell assess --json` with and without saving
(median CPU time of the runs: user + system, steadier than the wall clock on a
busy machine). The earlier commit is checked out into a temporary git worktree.

With valgrind installed it also counts instructions (callgrind) per assessment and per
cold start: those counts do not move with the machine's load.

    .venv/bin/python benchmarks/compare.py [--baseline REV] [--rounds 3] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEV_VIGNETTES = REPO / "tests" / "vignettes" / "dev.yaml"
# The last commit before contract 1.1 and the runner-bound service layer.
DEFAULT_BASELINE = "ca3cc4e"

RATE = """
import json, sys, time
from stridewell.contract import Assessment
from stridewell.triage.engine import assess
models = [Assessment.model_validate(c) for c in json.loads(sys.argv[1])]
assess(models[0])
best, began = float("inf"), time.process_time()
while time.process_time() - began < float(sys.argv[2]):
    start = time.process_time()
    for m in models:
        assess(m)
    best = min(best, time.process_time() - start)
print(len(models) / best)
"""
CLI = "import sys; from stridewell.cli.entry import run; sys.exit(run())"
# The same engine work, a given number of passes over the vignettes, for instruction counts.
LOOPS = """
import json, sys
from stridewell.contract import Assessment
from stridewell.triage.engine import assess
models = [Assessment.model_validate(c) for c in json.loads(sys.stdin.read())]
for m in models:
    assess(m)
for _ in range(int(sys.argv[1])):
    for m in models:
        assess(m)
"""
PASSES = 20


def _env(src: Path, data_dir: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "STRIDEWELL_DATA_DIR": data_dir}


def _rate(src: Path, cases: str, seconds: float, data_dir: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", RATE, cases, str(seconds)],
        capture_output=True, text=True, check=True, env=_env(src, data_dir),
    )  # fmt: skip
    return float(out.stdout.strip())


def _cold(src: Path, payload: str, data_dir: str, *flags: str) -> float:
    """CPU seconds (user + system) of one run: on a shared, busy machine the wall clock
    mostly measures the neighbours, while CPU time stays with the command itself."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-c", CLI, "assess", "--json", "-", *flags],
        input=payload, capture_output=True, text=True, check=True, env=_env(src, data_dir),
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _instructions(src: Path, data_dir: str, stdin: str, *argv: str) -> int:
    """Instructions executed by one Python run under callgrind: the same count whatever
    else the machine is doing, so a small change is not lost in the neighbours' noise."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, *argv],
        input=stdin, capture_output=True, text=True, check=True, env=_env(src, data_dir),
    )  # fmt: skip
    match = re.search(r"refs:\s+([\d,]+)", out.stderr)
    if match is None:
        raise RuntimeError(f"callgrind printed no count: {out.stderr[-300:]}")
    return int(match.group(1).replace(",", ""))


def _counts(src: Path, data_dir: str, cases: list[object]) -> dict[str, float]:
    """Instructions per assessment in the engine, and per cold start with and without saving."""
    batch, one = json.dumps(cases), json.dumps(cases[0])
    idle = _instructions(src, data_dir, batch, "-c", LOOPS, "0")
    busy = _instructions(src, data_dir, batch, "-c", LOOPS, str(PASSES))
    return {
        "engine: instructions per assessment": (busy - idle) / (PASSES * len(cases)),
        "cold start --no-save (instructions)": _instructions(
            src, data_dir, one, "-c", CLI, "assess", "--json", "-", "--no-save"
        ),
        "cold start, save (instructions)": _instructions(
            src, data_dir, one, "-c", CLI, "assess", "--json", "-"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--rounds", type=int, default=3, help="engine-rate rounds per tree")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per rate round")
    parser.add_argument("--runs", type=int, default=9, help="cold starts per tree and kind")
    parser.add_argument(
        "--no-instructions", action="store_true", help="skip the callgrind instruction counts"
    )
    args = parser.parse_args()
    cases = [c["assessment"] for c in yaml.safe_load(DEV_VIGNETTES.read_text())]
    payload = json.dumps(cases[0])
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(base), args.baseline],
            check=True,
        )  # fmt: skip
        trees = {"baseline " + args.baseline: base / "src", "this tree": REPO / "src"}
        data = {name: tempfile.mkdtemp(dir=tmp) for name in trees}
        rates: dict[str, list[float]] = {n: [] for n in trees}
        cold: dict[str, list[float]] = {n: [] for n in trees}
        saved: dict[str, list[float]] = {n: [] for n in trees}
        counts: dict[str, dict[str, float]] = {}
        with_counts = not args.no_instructions and shutil.which("valgrind") is not None
        try:
            for name, src in trees.items():  # set up each database outside the timing
                _cold(src, payload, data[name])
            for _ in range(args.rounds):
                for name, src in trees.items():
                    rates[name].append(_rate(src, json.dumps(cases), args.seconds, data[name]))
            for _ in range(args.runs):
                for name, src in trees.items():
                    cold[name].append(_cold(src, payload, data[name], "--no-save"))
                    saved[name].append(_cold(src, payload, data[name]))
            if with_counts:
                for name, src in trees.items():
                    counts[name] = _counts(src, data[name], cases)
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False
            )
    first, second = trees
    print(f"{'measure':44s} {first:>18s} {second:>12s} {'change':>8s}")
    for label, values, pick in (
        ("engine: assessments per second (best)", rates, max),
        ("cold start --no-save (median CPU s)", cold, statistics.median),
        ("cold start, save (median CPU s)", saved, statistics.median),
    ):
        a, b = pick(values[first]), pick(values[second])
        print(f"{label:44s} {a:18,.3f} {b:12,.3f} {100 * (b - a) / a:+7.1f}%")
    for label in counts.get(first, {}):
        a, b = counts[first][label], counts[second][label]
        print(f"{label:44s} {a:18,.0f} {b:12,.0f} {100 * (b - a) / a:+7.1f}%")


if __name__ == "__main__":
    main()
