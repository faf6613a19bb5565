"""Benchmark: run-all time per notebook against a floor, and redraw time per interactive control.

    .venv/bin/python benchmarks/run.py [notebook ...] [--repeat N] [--check]

A report, not a test: it exits 0 whatever the numbers, unless ``--check`` is
given, when a missed target (or a notebook that fails) exits 1. See
benchmarks/README.md for how to read the table.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from natocourse.notebook_runner import NotebookRunner

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PROBE = Path(__file__).with_name("kernel_probe.py")
REPORT_MIME = "application/vnd.natocourse.benchmark+json"  # the same as in kernel_probe.py

RUN_ALL_TARGET = 1.3  # notebook run-all at most this many times the floor
REDRAW_P95_TARGET_MS = 100
CELL_TIMEOUT = 300

FLOOR_CELLS = [
    "import pandas\nimport matplotlib.pyplot as plt\nimport ipywidgets\nimport natocourse\nimport natocourse.charts.style",
    "fig, ax = plt.subplots(figsize=natocourse.charts.style.FIGSIZE)\nplt.show()",
]


@dataclass
class Control:
    """One control of one Interactive, with its redraw times pooled over every repeat."""
    label: str
    durations_ms: list[float] = field(default_factory=list)
    callback_errors: int = 0
    unsupported: str | None = None


@dataclass
class NotebookResult:
    name: str
    notebook_seconds: list[float] = field(default_factory=list)
    floor_seconds: list[float] = field(default_factory=list)
    controls: dict[tuple[int, str], Control] = field(default_factory=dict)
    baseline_ms: list[float] = field(default_factory=list)
    failure: str | None = None  # one line: why run-all failed
    redraw_failure: str | None = None  # one line: why the redraw measurement failed
    kernel: str = ""


# ---------------------------------------------------------------- running notebooks

def discover_notebooks(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p).resolve() for p in paths]
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def floor_notebook():
    """The least a course notebook can cost: a kernel, the same imports, one empty projector-sized figure."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in FLOOR_CELLS])


def kernel_environment(progress_file: Path) -> dict[str, str]:
    env = dict(os.environ, NATOCOURSE_PROGRESS=str(progress_file))  # never touch anyone's saved quiz answers
    env.pop("MPLBACKEND", None)  # let ipykernel choose its inline backend, as for a student
    return env


class RunFailure(Exception):
    """A notebook run failed; the message is already the one-line reason."""


def one_line_reason(error: BaseException) -> str:
    if isinstance(error, RunFailure):
        return str(error)
    if isinstance(error, CellExecutionError):  # its str() is a whole traceback
        return f"{error.ename}: {error.evalue}".splitlines()[0]
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": ")


@dataclass
class KernelRun:
    seconds: float  # from kernel start to the end of the last cell
    slowest_cell: str  # to explain an outlier
    report: dict | str | None  # the redraw report, or why it failed


def run_in_fresh_kernel(notebook, folder: Path, env: dict, probe: bool) -> KernelRun:
    return asyncio.run(run_cells(notebook, folder, env, probe))


async def run_cells(notebook, folder: Path, env: dict, probe: bool) -> KernelRun:
    """Run every cell from a new kernel, as Run All does; then, if asked, measure redraws in that same kernel."""
    client = NotebookRunner(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    cell_seconds = {"kernel start": 0.0}
    async with client.async_setup_kernel(env=env):
        cell_seconds["kernel start"] = time.perf_counter() - start
        for index, cell in enumerate(notebook.cells):
            cell_start = time.perf_counter()
            try:
                await client.async_execute_cell(cell, index)
            except Exception as error:  # noqa: BLE001 - say which cell, in one line
                raise RunFailure(f"cell {index + 1}: {one_line_reason(error)}") from error
            cell_seconds[f"cell {index + 1}"] = time.perf_counter() - cell_start
        seconds = time.perf_counter() - start
        report = await measure_redraws(client, notebook) if probe else None
    slowest = max(cell_seconds, key=cell_seconds.get)
    return KernelRun(seconds, f"{slowest} {cell_seconds[slowest]:.2f} s", report)


async def measure_redraws(client, notebook) -> dict | str:
    """The probe's report, or a one-line reason it failed (run-all itself succeeded)."""
    # run_path gives the probe its own namespace, so it cannot overwrite a name the notebook's callbacks use
    cell = nbformat.v4.new_code_cell(f"import runpy\nrunpy.run_path({str(PROBE)!r})['report_redraw_timings']()")
    notebook.cells.append(cell)  # nbclient writes outputs back into the notebook by index
    try:
        await client.async_execute_cell(cell, len(notebook.cells) - 1)
    except Exception as error:  # noqa: BLE001 - a report, whatever went wrong
        return one_line_reason(error)
    for output in cell.outputs:
        if REPORT_MIME in output.get("data", {}):
            return output["data"][REPORT_MIME]
    return "the probe showed no report"


def add_redraw_report(result: NotebookResult, report: dict | str) -> None:
    if isinstance(report, str):
        result.redraw_failure = report
        return
    result.baseline_ms += report["baseline_ms"]
    result.kernel = f"Python {report['python']}, matplotlib backend {report['backend']}"
    for measured in report["controls"]:
        key = (measured["interactive"], measured["control"])
        control = result.controls.setdefault(key, Control(label=control_label(measured)))
        control.durations_ms += measured["durations_ms"]
        control.callback_errors += measured["callback_errors"]
        control.unsupported = measured["unsupported"]


def control_label(measured: dict) -> str:
    """The Interactive's hint cut to a few words, then the control's own description."""
    hint, words = "", measured["hint"].split()
    for word in words:
        if len(hint) + len(word) > 26:
            hint += "..."
            break
        hint = f"{hint} {word}".strip()
    return f"#{measured['interactive']} {hint} [{measured['control']}]"


def short_name(path: Path) -> str:
    return str(path.relative_to(NOTEBOOKS).with_suffix("")) if path.is_relative_to(NOTEBOOKS) else path.stem


def benchmark(path: Path, repeat: int, env: dict) -> NotebookResult:
    """Floor and notebook runs alternate, so a slow spell on a busy machine hits both alike."""
    result = NotebookResult(name=short_name(path))
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001
        result.failure = one_line_reason(error)
        return result
    for run in range(1, repeat + 1):
        try:
            floor = run_in_fresh_kernel(floor_notebook(), path.parent, env, probe=False)
        except Exception as error:  # noqa: BLE001
            result.failure = f"floor notebook failed: {one_line_reason(error)}"
            return result
        try:
            run_all = run_in_fresh_kernel(copy.deepcopy(notebook), path.parent, env, probe=True)
        except Exception as error:  # noqa: BLE001
            result.failure = one_line_reason(error)
            return result
        result.floor_seconds.append(floor.seconds)
        result.notebook_seconds.append(run_all.seconds)
        add_redraw_report(result, run_all.report)
        log(f"{result.name}: run {run}/{repeat}: floor {floor.seconds:.2f} s (slowest: {floor.slowest_cell}), "
            f"notebook {run_all.seconds:.2f} s (slowest: {run_all.slowest_cell})")
    return result


# ---------------------------------------------------------------- the report

def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: a value that was actually measured; the maximum below 20 samples."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


HEADER = ["notebook", "measure", "n", "median", "p95", "baseline med / p95", "ratio", "target", "meets", "note"]
RIGHT_ALIGNED = {2, 3, 4, 5, 6}


def run_all_row(result: NotebookResult) -> tuple[list[str], bool]:
    if result.failure:
        return [result.name, "run all", str(len(result.notebook_seconds)), "-", "-", "-", "-",
                f"<= {RUN_ALL_TARGET}x floor", "FAILED", result.failure], False
    notebook, floor = statistics.median(result.notebook_seconds), statistics.median(result.floor_seconds)
    ratio = notebook / floor
    meets = ratio <= RUN_ALL_TARGET
    spread = f"notebook {min(result.notebook_seconds):.2f}-{max(result.notebook_seconds):.2f} s, " \
             f"floor {min(result.floor_seconds):.2f}-{max(result.floor_seconds):.2f} s"
    return [result.name, "run all", str(len(result.notebook_seconds)), f"{notebook:.2f} s", "-",
            f"floor {floor:.2f} s", f"{ratio:.2f}x", f"<= {RUN_ALL_TARGET}x floor", yes_no(meets), spread], meets


def redraw_rows(result: NotebookResult) -> list[tuple[list[str], bool]]:
    target = f"p95 < {REDRAW_P95_TARGET_MS} ms"
    if result.failure:
        return []
    if result.redraw_failure:
        return [([result.name, "redraw", "0", "-", "-", "-", "-", target, "FAILED", result.redraw_failure], False)]
    rows = []
    base_median, base_p95 = statistics.median(result.baseline_ms), p95(result.baseline_ms)
    baseline = f"{base_median:.1f} / {base_p95:.1f} ms"
    for control in result.controls.values():
        if control.unsupported:
            rows.append(([result.name, control.label, "0", "-", "-", baseline, "-", target, "n/a",
                          f"not measured: {control.unsupported} is not handled by kernel_probe.py"], True))
            continue
        if not control.durations_ms:
            rows.append(([result.name, control.label, "0", "-", "-", baseline, "-", target, "n/a",
                          "no value to step through"], True))
            continue
        median, high = statistics.median(control.durations_ms), p95(control.durations_ms)
        meets = high < REDRAW_P95_TARGET_MS and not control.callback_errors
        note = (f"the chart's callback raised an error on {control.callback_errors} of "
                f"{len(control.durations_ms)} changes" if control.callback_errors else "")
        rows.append(([result.name, control.label, str(len(control.durations_ms)), f"{median:.1f} ms",
                      f"{high:.1f} ms", baseline, f"{high / base_p95:.2f}x", target, yes_no(meets), note], meets))
    return rows


def yes_no(meets: bool) -> str:
    return "yes" if meets else "NO"


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]

    def line(row):
        cells = [cell.rjust(w) if i in RIGHT_ALIGNED else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()
    return "\n".join([line(HEADER), line(["-" * w for w in widths]), *map(line, rows)])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to measure (default: every one under notebooks/)")
    parser.add_argument("--repeat", type=int, default=3, help="floor + notebook runs per notebook (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        env = kernel_environment(Path(scratch) / "progress.json")
        for path in discover_notebooks(args.notebooks):
            log(f"measuring {path.name} ({args.repeat} x floor + notebook)")
            results.append(benchmark(path, args.repeat, env))

    rows = []
    for result in results:
        rows += [run_all_row(result), *redraw_rows(result)]
    print(format_table([row for row, _ in rows]))
    kernels = sorted({r.kernel for r in results if r.kernel})
    print(f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()} on {platform.platform()}; "
          f"kernel: {'; '.join(kernels) or 'unknown'}")
    print(f"benchmark wall time: {time.perf_counter() - started:.1f} s")
    all_met = all(meets for _, meets in rows)
    print("all targets met" if all_met else "some targets missed (NO or FAILED above)")
    return 1 if args.check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
