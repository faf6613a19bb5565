"""Grade a folder of homework notebooks with Otter-Grader: one command, a score table, the written answers.

    python -m natocourse.homework SUBMISSIONS_FOLDER --out results/ [--assignment hw01_enlargement]

Every file in the folder (and its sub-folders) is one student's submission; the student is named by the
file's path without its extension (``alice.ipynb`` -> ``alice``; ``alice/hw01.ipynb`` -> ``alice/hw01``).
Each submission is run by Otter's non-container grader in a separate process, in a throwaway folder, with a
time limit, so one bad file can never stop the others. The results:

* ``scores.csv``: one row per student and question: points, max_points, status, reason;
* ``summary.csv``: one row per student: automatic points, their maximum, percentage, written answers to
  mark, and any problem with the file;
* ``written_answers.md``: the written answers collected question by question, for marking by hand.

The autograder and the question list come from ``instructor/dist/<assignment>/``, made by
``tools/build_homework.py``. Student code is untrusted: see docs/teacher-guide.md for grading in isolation.

>>> student_name(Path("in/alice.ipynb"), Path("in"))
'alice'
>>> reason_from_message("Failed example: ... NameError: name 'border_km' is not defined")
"NameError: name 'border_km' is not defined"
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .errors import CourseError

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "instructor" / "dist"
QUESTION_KEY = "natocourse_question"
ANSWER_PLACEHOLDER = "_Type your answer here, replacing this text._"
SCORE_COLUMNS = ["student", "question", "points", "max_points", "status", "reason"]
SUMMARY_COLUMNS = ["student", "file", "points", "max_points", "percent", "written_to_mark", "problems"]
_EXCEPTION_LINE = re.compile(r"\b([A-Z]\w*(?:Error|Exception)\b(?::.*)?)$")


class GradingError(CourseError):
    """The grading itself cannot start (no autograder, no submissions); the message says what to do."""


@dataclass
class Question:
    name: str
    points: float
    manual: bool
    prompt: str = ""
    blank_answer: dict | None = None  # the student version's answer cell: {"cell_id", "source"}


@dataclass
class Submission:
    """One student's graded file."""

    student: str
    path: Path
    rows: list[dict] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the assignment

def load_assignment(name: str, dist: Path = DIST) -> tuple[Path, list[Question]]:
    """The autograder zip and the questions of an assignment built by tools/build_homework.py."""
    folder = Path(dist) / name
    autograder, manifest = folder / "autograder.zip", folder / "questions.json"
    if not autograder.exists() or not manifest.exists():
        built = sorted(p.name for p in Path(dist).glob("*/autograder.zip")) if Path(dist).exists() else []
        hint = f" (built so far: {', '.join(p for p in built)})" if built else ""
        raise GradingError(f'no autograder for "{name}" in {folder}{hint}: run '
                           f"python tools/build_homework.py first")
    questions = [Question(q["name"], float(q["points"]), q["manual"], q.get("prompt", ""), q.get("blank_answer"))
                 for q in json.loads(manifest.read_text(encoding="utf-8"))["questions"]]
    return autograder, questions


def detect_assignment(files: list[Path]) -> str:
    """The assignment named in the submissions' Otter metadata (they must agree)."""
    names = set()
    for path in files:
        try:
            names.add(nbformat.read(path, as_version=4).metadata["otter"]["assignment_name"])
        except Exception:  # not a notebook, or its metadata is gone: it is reported when graded
            continue
    if len(names) != 1:
        found = ", ".join(sorted(names)) or "none"
        raise GradingError(f"cannot tell which assignment these submissions are for (found: {found}); "
                           "name it with --assignment, e.g. --assignment hw01_enlargement")
    return names.pop()


def submission_files(folder: Path) -> list[Path]:
    """Every file in the folder and below, except hidden ones and Jupyter's checkpoints."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GradingError(f"{folder} is not a folder of submissions")
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def student_name(path: Path, folder: Path) -> str:
    """A student's name: the file's path inside the folder, without its extension."""
    return path.relative_to(folder).with_suffix("").as_posix()


# ---------------------------------------------------------------- one submission

def grade_file(path: Path, folder: Path, autograder: Path, questions: list[Question],
               timeout: float = 300) -> Submission:
    """Grade one file; never raises: whatever goes wrong becomes the submission's reason."""
    sub = Submission(student_name(path, folder), path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as err:  # a PDF, a zip, a truncated file, not JSON, not a notebook...
        reason = not_a_notebook_reason(path, err)
        sub.problems.append(reason)
        sub.rows = [_row(sub, q, 0 if not q.manual else "", "not graded", reason) for q in questions]
        return sub

    sub.problems += structure_problems(notebook, questions)
    untouched = unanswered(notebook, questions)
    sub.written = written_answers(notebook, questions)
    results, failure = run_otter(path, autograder, timeout)
    if failure:
        sub.problems.append(failure)
    for question in questions:
        if question.manual:
            answer = sub.written.get(question.name)
            status = "to mark by hand" if answer else "no answer"
            reason = "" if answer else ("the answer cell is missing" if answer is None
                                        else "the answer cell still holds the placeholder text")
            sub.rows.append(_row(sub, question, "", status, reason))
            continue
        result = (results or {}).get(question.name)
        if result is None:
            sub.rows.append(_row(sub, question, 0, "not graded", failure or "the grader returned no result"))
            continue
        points = _number(round(float(result["score"]), 3))
        status = "full marks" if points >= question.points else ("part marks" if points else "no marks")
        reason = "not answered (the answer cell is as handed out)" if question.name in untouched and not points \
            else failed_reasons(result)
        sub.rows.append(_row(sub, question, points, status, reason))
    return sub


def structure_problems(notebook: nbformat.NotebookNode, questions: list[Question]) -> list[str]:
    """Questions whose check cell was deleted, and a notebook for another assignment."""
    problems = []
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    missing = [q.name for q in questions if not q.manual and f'grader.check("{q.name}")' not in code]
    if missing:
        problems.append(f"cells deleted: the check cells of {', '.join(missing)} are missing")
    return problems


def unanswered(notebook: nbformat.NotebookNode, questions: list[Question]) -> set[str]:
    """Computed questions whose answer cell is still exactly as handed out."""
    sources = {cell.get("id"): cell.source for cell in notebook.cells if cell.cell_type == "code"}
    return {q.name for q in questions if q.blank_answer and q.blank_answer.get("cell_id") in sources
            and sources[q.blank_answer["cell_id"]].strip() == q.blank_answer["source"].strip()}


def not_a_notebook_reason(path: Path, err: Exception) -> str:
    """Why a file could not be read as a notebook, in a teacher's words."""
    text = str(err)
    if "does not appear to be JSON" in text or isinstance(err, (UnicodeDecodeError, ValueError)):
        kind = f"a {path.suffix} file" if path.suffix and path.suffix != ".ipynb" else "the file"
        return (f"not a notebook: {kind} is not notebook JSON (saved as PDF or HTML, cut short, "
                "or edited outside Jupyter?); ask the student for the .ipynb file")
    return f"not a notebook: {_first_line(err) or type(err).__name__}"


def written_answers(notebook: nbformat.NotebookNode, questions: list[Question]) -> dict[str, str]:
    """The text of each written answer: '' if still the placeholder; a question whose cell is gone is absent."""
    found = {}
    for cell in notebook.cells:
        name = cell.get("metadata", {}).get(QUESTION_KEY)
        if name and cell.cell_type in ("markdown", "raw", "code"):
            text = cell.source.strip()
            found[name] = "" if text == ANSWER_PLACEHOLDER else text
    return {q.name: found[q.name] for q in questions if q.manual and q.name in found}


def run_otter(path: Path, autograder: Path, timeout: float) -> tuple[dict | None, str | None]:
    """Otter's results for one notebook, run in its own process group and folder; or (None, reason)."""
    with tempfile.TemporaryDirectory(prefix="natocourse-grade-") as scratch:
        out = Path(scratch) / "results.json"
        env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONPATH")
               if key in os.environ}
        env.update(HOME=scratch, NATOCOURSE_PROGRESS=str(Path(scratch) / "progress.json"), MPLBACKEND="agg",
                   JUPYTER_PLATFORM_DIRS="1", PYTHONWARNINGS="ignore")
        command = [sys.executable, "-m", "natocourse.homework", "--grade-one",
                   str(Path(path).resolve()), str(Path(autograder).resolve()), str(out)]
        process = subprocess.Popen(command, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            return None, f"timed out: grading took longer than {timeout:g} s (an endless loop?)"
        finally:
            _kill_group(process)  # the kernel Otter started, if anything is left of it
        if process.returncode != 0 or not out.exists():
            return None, f"the grader stopped: {_last_error(stderr)}"
        return json.loads(out.read_text(encoding="utf-8")), None


def _grade_one(submission: str, autograder: str, out: str) -> None:
    """Inside the grading process: run Otter's non-container grader and save its results as JSON."""
    from otter.api import grade_submission

    results = grade_submission(submission, autograder, quiet=True)
    Path(out).write_text(json.dumps(results.to_dict(), default=str), encoding="utf-8")


def failed_reasons(result: dict) -> str:
    """One short reason per failed test of a question, hidden tests marked as such."""
    reasons = []
    cases = [c for c in result.get("test_case_results", []) if not c.get("passed")]
    public = [c for c in cases if not c.get("test_case", {}).get("hidden")]
    for case in public or cases:  # a failed public check explains the hidden ones that follow from it
        test = case.get("test_case", {})
        reason = reason_from_message(case.get("message", ""))
        if "ellipsis" in reason.lower():
            reason = "not answered (the ... is still there)"
        elif reason in ("AssertionError", "") and test.get("failure_message"):
            reason = test["failure_message"]
        elif reason in ("AssertionError", ""):
            reason = "wrong answer"
        reason = ("hidden check: " if test.get("hidden") else "") + reason
        if reason not in reasons:
            reasons.append(reason)
    return "; ".join(reasons)


def reason_from_message(message: str) -> str:
    """The last 'SomethingError: ...' line of a doctest failure message."""
    for line in reversed(message.strip().splitlines()):
        match = _EXCEPTION_LINE.search(line.strip())
        if match:
            return match.group(1).strip()
    return ""


# ---------------------------------------------------------------- the folder

def grade_folder(folder: Path, out: Path, assignment: str | None = None, dist: Path = DIST,
                 timeout: float = 300, jobs: int = 2) -> list[Submission]:
    """Grade every file in ``folder``; write scores.csv, summary.csv and written_answers.md to ``out``."""
    folder = Path(folder)
    files = submission_files(folder)
    if not files:
        raise GradingError(f"{folder} holds no files to grade")
    assignment = assignment or detect_assignment(files)
    autograder, questions = load_assignment(assignment, dist)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = list(pool.map(lambda p: grade_file(p, folder, autograder, questions, timeout), files))
    write_reports(graded, questions, Path(out), assignment)
    return graded


def write_reports(graded: list[Submission], questions: list[Question], out: Path, assignment: str) -> None:
    """The three result files."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "scores.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, SCORE_COLUMNS)
        writer.writeheader()
        for sub in graded:
            writer.writerows(sub.rows)
    auto_max = sum(q.points for q in questions if not q.manual)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, SUMMARY_COLUMNS)
        writer.writeheader()
        for sub in graded:
            points = sum(r["points"] for r in sub.rows if isinstance(r["points"], (int, float)))
            writer.writerow({"student": sub.student, "file": sub.path.name, "points": _number(points),
                             "max_points": _number(auto_max),
                             "percent": f"{100 * points / auto_max:.1f}" if auto_max else "",
                             "written_to_mark": sum(r["status"] == "to mark by hand" for r in sub.rows),
                             "problems": "; ".join(sub.problems)})
    lines = [f"# Written answers: {assignment}", "",
             "Collected by `python -m natocourse.homework`. Enter the points you award in the `points` column "
             "of scores.csv (rows marked \"to mark by hand\").", ""]
    for question in (q for q in questions if q.manual):
        lines += [f"## {question.name} ({_number(question.points)} points)", "", _quoted(question.prompt), ""]
        for sub in graded:
            answer = sub.written.get(question.name)
            text = answer if answer else ("*(no answer: the cell still holds the placeholder)*" if answer == ""
                                          else "*(no answer cell found" + (f": {sub.problems[0]}" if sub.problems
                                                                           else "") + ")*")
            lines += [f"### {sub.student}", "", text, ""]
    (out / "written_answers.md").write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- helpers

def _row(sub: Submission, question: Question, points, status: str, reason: str) -> dict:
    return {"student": sub.student, "question": question.name, "points": points,
            "max_points": _number(question.points), "status": status, "reason": reason}


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 3)


def _quoted(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0][:200] if str(err).strip() else ""


def _last_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    errors = [line for line in lines if _EXCEPTION_LINE.search(line)]
    return (errors or lines or ["no message"])[-1][:300]


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--grade-one"]:
        _grade_one(*argv[1:4])
        return 0
    parser = argparse.ArgumentParser(prog="python -m natocourse.homework",
                                     description="Grade a folder of submitted homework notebooks.")
    parser.add_argument("submissions", type=Path, help="folder of submitted files (one per student)")
    parser.add_argument("--out", type=Path, default=Path("results"), help="folder for the reports (default: results)")
    parser.add_argument("--assignment", help="e.g. hw01_enlargement (default: read from the notebooks)")
    parser.add_argument("--dist", type=Path, default=DIST, help="where tools/build_homework.py put the autograders")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per submission (default 300)")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    args = parser.parse_args(argv)
    try:
        graded = grade_folder(args.submissions, args.out, args.assignment, args.dist, args.timeout, args.jobs)
    except GradingError as err:
        print(f"Cannot grade: {err}", file=sys.stderr)
        return 2
    problems = sum(bool(s.problems) for s in graded)
    print(f"Graded {len(graded)} submission(s)" + (f", {problems} with problems (see summary.csv)" if problems else "")
          + f": {args.out / 'scores.csv'}, {args.out / 'summary.csv'}, {args.out / 'written_answers.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
