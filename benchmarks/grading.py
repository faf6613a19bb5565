"""How long grading a class takes: a report, not a test (issue 12: a class of 30 in at most 1.5x the time per
submission it took before the sandbox).

For each assignment it copies the answer key (``instructor/dist/<assignment>/solution.ipynb``, the slowest
honest submission: every cell runs) into a folder as STUDENTS submissions, grades the folder the way a
teacher does (``python -m <module> FOLDER --out OUT --assignment A``, a fresh process, so start-up counts),
and reports the wall time, the time per submission, and whether every copy scored 100% (a benchmark whose
grading failed measures nothing, so that is checked too).

    .venv/bin/python benchmarks/grading.py [--students 30] [--assignment hw01_enlargement ...]
    .venv/bin/python benchmarks/grading.py --project ../old-checkout --module natocourse.homework

``--project`` grades with another checkout's grader and autograders (its ``instructor/dist`` built with its
own ``tools/build_homework.py``), to compare a change with what came before it on the same machine.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ["hw01_enlargement", "hw02_security_dilemma", "hw03_diplomacy"]


def grade_class(project: Path, module: str, assignment: str, students: int, extra: list[str]) -> dict:
    """Grade `students` copies of the answer key; return the timing and how many scored full marks."""
    key = project / "instructor" / "dist" / assignment / "solution.ipynb"
    if not key.exists():
        sys.exit(f"{key} is missing: build the answer keys first (make homework in {project}).")
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        folder, out = Path(tmp) / "submissions", Path(tmp) / "results"
        folder.mkdir()
        for n in range(1, students + 1):
            shutil.copy(key, folder / f"student{n:02d}.ipynb")
        command = [sys.executable, "-m", module, str(folder), "--out", str(out), "--assignment", assignment, *extra]
        start = time.perf_counter()
        # cwd=project, so that `-m` imports that checkout's package before any installed one
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        rows = list(csv.DictReader((out / "summary.csv").open())) if (out / "summary.csv").exists() else []
    full = sum(1 for row in rows if float(row.get("percent") or 0) >= 100)
    # graders since issue 12 say per student whether the sandbox protected the grading
    protected = None
    if rows and "protected" in rows[0]:
        protected = sum(1 for row in rows if row["protected"].startswith("yes"))
    return {"assignment": assignment, "students": students, "seconds": seconds, "per_submission": seconds / students,
            "full_marks": full, "protected": protected, "exit": done.returncode,
            "tail": done.stderr.strip().splitlines()[-1:] or [""]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30, help="submissions per assignment (default 30)")
    parser.add_argument("--assignment", action="append", choices=ASSIGNMENTS, help="default: all three")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose grader runs (default: this one)")
    parser.add_argument("--module", default="natocourse.grading", help="its grading module (default natocourse.grading)")
    args, extra = parser.parse_known_args(argv)  # anything else goes to the grader, e.g. --jobs 2
    print("| assignment | submissions | wall time | per submission | full marks | note |")
    print("|---|---|---|---|---|---|")
    failed = False
    for assignment in args.assignment or ASSIGNMENTS:
        result = grade_class(args.project.resolve(), args.module, assignment, args.students, extra)
        note = "" if result["exit"] == 0 else f"grader exit {result['exit']}: {result['tail'][0]}"
        if result["protected"] is not None:
            note = f"{result['protected']} graded in the sandbox {note}".strip()
        failed |= result["full_marks"] != args.students
        print(f"| {assignment} | {result['students']} | {result['seconds']:.1f} s | {result['per_submission']:.2f} s "
              f"| {result['full_marks']} of {result['students']} | {note} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
