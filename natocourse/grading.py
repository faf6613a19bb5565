"""Grade a folder of homework notebooks with Otter-Grader: one command, a score table, the written answers.

    python -m natocourse.grading SUBMISSIONS_FOLDER --out results/ [--assignment hw01_enlargement]

Every file in the folder (and its sub-folders) is one student's submission; the student is named by the
file's path without its extension (``alice.ipynb`` -> ``alice``; ``alice/hw01.ipynb`` -> ``alice/hw01``).
Two files that would share a name (``dup.ipynb``, ``dup.json``) keep their extensions, and the summary says so.

Student code is untrusted (natocourse/sandbox.py). Each submission is graded by Otter inside a bubblewrap
sandbox, with a time and memory limit; its answers are re-checked in a fresh process that never ran student
code, and the lower result counts. A submission whose two results disagree, or whose code touches the grader,
files, processes or the network, is flagged for the teacher to review. Without bubblewrap the grading still
runs, and says on screen and in summary.csv that its grades are not protected.

The results, rewritten as each submission finishes (a rerun skips what is done; ``--regrade`` starts afresh):

* ``scores.csv``: one row per student and question: points, max_points, status, reason;
* ``summary.csv``: one row per student, flagged ones first: automatic points of the main track, their maximum,
  percentage, the optional extension's points and maximum apart, written answers to mark, why it is flagged, any problem with the file, and whether it was graded protected;
* ``written_answers.md``: the written answers collected question by question, for marking by hand;
* ``records/``: one JSON record per graded file; the three files above are written from them alone.

The autograder and the question list come from ``instructor/dist/<assignment>/``, made by
``tools/build_homework.py``.

>>> student_name(Path("in/alice.ipynb"), Path("in"))
'alice'
>>> reason_from_message("Failed example: ... NameError: name 'border_km' is not defined")
"NameError: name 'border_km' is not defined"
"""
from __future__ import annotations

import argparse
import ast
import builtins
import copy
import csv
import doctest
import hashlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from . import sandbox
from .errors import CourseError

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "instructor" / "dist"
QUESTION_KEY = "natocourse_question"
ANSWER_PLACEHOLDER = "_Type your answer here, replacing this text._"
SCORE_COLUMNS = ["student", "question", "points", "max_points", "status", "reason"]
SUMMARY_COLUMNS = ["student", "file", "points", "max_points", "percent", "extension_points", "extension_max",
                   "written_to_mark", "flagged", "problems", "protected"]
SANDBOX_SCRIPT = Path(sandbox.__file__).resolve()  # run as a script: the child needs no course package import
PROTECTED = "yes (bubblewrap)"
NOT_PROTECTED = "NO: graded without a sandbox, these grades are not protected"
_EXCEPTION_LINE = re.compile(r"\b([A-Z]\w*(?:Error|Exception)\b(?::.*)?)$")


class GradingError(CourseError):
    """The grading itself cannot start (no autograder, no submissions); the message says what to do."""


@dataclass
class GradedQuestion:
    name: str
    points: float
    manual: bool
    prompt: str = ""
    blank_answer: dict | None = None  # the student version's answer cell: {"cell_id", "source"}
    extension: bool = False  # part of the optional coding extension: reported apart from the main track


@dataclass
class Submission:
    """One student's graded file; saved as a record in results/records/ as soon as it is graded."""

    student: str
    path: Path
    rows: list[dict] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # why the teacher should look at it
    sha256: str = ""  # of the file graded: a rerun regrades a file that changed
    assignment: str = ""
    sandbox: str = ""  # "bubblewrap", or "" when graded unprotected


@dataclass
class Grading:
    """What every submission of one run is graded against, and how."""

    assignment: str
    autograder: Path
    questions: list[GradedQuestion]
    tests: dict[str, dict]  # question -> Otter's test spec, public and hidden cases
    worksheets: dict[str, set[str]]  # assignment -> the ids of its answer cells, to tell worksheets apart
    timeout: float = 300
    memory_mb: int = 2048
    unprotected: str | None = None  # why there is no sandbox, or None
    names: list[str] = field(default_factory=list)  # the variables the tests read: exported for the re-check


# ---------------------------------------------------------------- the assignment

def load_assignment(name: str, dist: Path = DIST) -> tuple[Path, list[GradedQuestion]]:
    """The autograder zip and the questions of an assignment built by tools/build_homework.py."""
    folder = Path(dist) / name
    autograder, manifest = folder / "autograder.zip", folder / "questions.json"
    if not autograder.exists() or not manifest.exists():
        built = sorted(p.parent.name for p in Path(dist).glob("*/autograder.zip")) if Path(dist).exists() else []
        hint = f" (built so far: {', '.join(built)})" if built else ""
        raise GradingError(f'no autograder for "{name}" in {folder}{hint}: run '
                           f"python tools/build_homework.py first")
    questions = [GradedQuestion(q["name"], float(q["points"]), q["manual"], q.get("prompt", ""), q.get("blank_answer"),
                                q.get("extension", False))
                 for q in json.loads(manifest.read_text(encoding="utf-8"))["questions"]]
    return autograder, questions


def load_tests(autograder: Path) -> dict[str, dict]:
    """The assignment's test files, read from the autograder zip (never unpacked: no copy left in a temp folder)."""
    tests = {}
    with zipfile.ZipFile(autograder) as archive:
        for name in sorted(n for n in archive.namelist() if re.fullmatch(r"tests/[^/]+\.py", n)):
            scope: dict = {}
            exec(archive.read(name).decode("utf-8"), scope)  # the teacher's own test file, as Otter reads it
            tests[scope["test"]["name"]] = scope["test"]
    return tests


def answer_names(tests: dict[str, dict]) -> list[str]:
    """Names the test cases read but never set: the student's answers (and modules such as ``course``)."""
    read, set_here = set(), set()
    for spec in tests.values():
        for case in spec["suites"][0]["cases"]:
            for example in doctest.DocTestParser().get_examples(case["code"]):
                try:
                    tree = ast.parse(example.source)
                except SyntaxError:  # the test fails in Otter and in the re-check alike; it reads no answer
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.Name):
                        (read if isinstance(node.ctx, ast.Load) else set_here).add(node.id)
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        set_here.update((a.asname or a.name).split(".")[0] for a in node.names)
    return sorted(read - set_here - set(dir(builtins)))


def load_worksheets(dist: Path) -> dict[str, set[str]]:
    """Every built assignment's answer-cell ids: a notebook's cells say which worksheet it is."""
    worksheets = {}
    for manifest in sorted(Path(dist).glob("*/questions.json")):
        questions = json.loads(manifest.read_text(encoding="utf-8"))["questions"]
        worksheets[manifest.parent.name] = {q["blank_answer"]["cell_id"] for q in questions if q.get("blank_answer")}
    return worksheets


def worksheet_of(notebook: nbformat.NotebookNode, worksheets: dict[str, set[str]]) -> str | None:
    """The assignment whose answer cells this notebook holds (None if it holds none of any)."""
    ids = {cell.get("id") for cell in notebook.cells}
    matches = {name: len(ids & cells) for name, cells in worksheets.items()}
    best = max(matches, key=matches.get, default=None)
    return best if best and matches[best] else None


def metadata_assignment(notebook: nbformat.NotebookNode) -> str | None:
    return (notebook.metadata.get("otter") or {}).get("assignment_name")


def detect_assignment(files: list[Path], worksheets: dict[str, set[str]] | None = None) -> str:
    """The assignment most submissions are for, by their cells (else their Otter metadata)."""
    found = Counter()
    for path in files:
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception:  # not a notebook: it is reported when graded
            continue
        name = worksheet_of(notebook, worksheets or {}) or metadata_assignment(notebook)
        if name:
            found[name] += 1
    ranked = found.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        listed = ", ".join(f"{name} ({count} files)" for name, count in ranked) or "none"
        raise GradingError(f"cannot tell which assignment these submissions are for (found: {listed}); "
                           "name it with --assignment, e.g. --assignment hw01_enlargement")
    return ranked[0][0]


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


def student_names(files: list[Path], folder: Path) -> tuple[dict[Path, str], dict[Path, str]]:
    """Each file's student name, and a problem for files that would otherwise share one (dup.ipynb, dup.json)."""
    count = Counter(student_name(p, folder) for p in files)
    names, problems = {}, {}
    for path in files:
        name = student_name(path, folder)
        names[path] = name
        if count[name] > 1:
            twins = ", ".join(p.name for p in files if student_name(p, folder) == name)
            names[path] = path.relative_to(folder).as_posix()
            problems[path] = (f'{count[name]} files for one student "{name}" ({twins}): each is graded on its own, '
                              "under its full file name; ask the student which one counts")
    return names, problems


# ---------------------------------------------------------------- one submission

def grade_file(path: Path, student: str, grading: Grading, problems: list[str] | None = None) -> Submission:
    """Grade one file; never raises: whatever goes wrong becomes the submission's reason."""
    sub = Submission(student, Path(path), problems=list(problems or []), sha256=file_digest(path),
                     assignment=grading.assignment, sandbox="" if grading.unprotected else "bubblewrap")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as err:  # a PDF, a zip, a truncated file, not JSON, not a notebook...
        return not_graded(sub, grading, not_a_notebook_reason(path, err))
    try:
        wrong = wrong_worksheet(notebook, grading)
        if wrong:
            return not_graded(sub, grading, wrong)
        grade_notebook(sub, notebook, grading)
    except Exception as err:  # a bug of ours must cost one submission, not the class
        return not_graded(sub, grading, f"the grader failed: {type(err).__name__}: {_first_line(err)}")
    return sub


def grade_notebook(sub: Submission, notebook: nbformat.NotebookNode, grading: Grading) -> None:
    """Run, re-check and score a notebook that is this assignment's worksheet."""
    if metadata_assignment(notebook) not in (None, grading.assignment):
        sub.problems.append(f"its metadata names {metadata_assignment(notebook)}, but its cells are "
                            f"{grading.assignment}'s: graded as {grading.assignment}")
    sub.problems += structure_problems(notebook, grading.questions)
    broken = syntax_errors(notebook, grading.questions)
    sub.problems += list(broken.values())
    sub.flags += [f"its code touches {what}" for what in
                  sandbox.scan_code([c.source for c in notebook.cells if c.cell_type == "code"])]
    untouched = unanswered(notebook, grading.questions)
    sub.written = written_answers(notebook, grading.questions)
    with tempfile.TemporaryDirectory(prefix="natocourse-grade-", ignore_cleanup_errors=True) as scratch:
        results, failure, killed = run_otter(notebook, Path(scratch), grading)
        check = run_recheck(Path(scratch) / "answers.json", grading) if results is not None else {}
    if failure:
        sub.problems.append(failure)
    if killed:
        sub.flags.append("its grading process was killed (by the submission's own code?)")
    if results is not None and "error" in check:
        sub.flags.append(f"its answers could not be re-checked ({check['error']}): no automatic points kept")
    score(sub, grading, results or {}, check, failure, broken, untouched)


def score(sub: Submission, grading: Grading, results: dict, check: dict, failure: str | None,
          broken: dict[str, str], untouched: set[str]) -> None:
    """One row per question, from Otter's results in the kernel and the re-check's; flag where they differ."""
    disagree = []
    for question in grading.questions:
        if question.manual:
            sub.rows.append(manual_row(sub, question))
            continue
        row, differs = auto_row(sub, question, results.get(question.name), rechecked(check, question, grading),
                                failure)
        cell = (question.blank_answer or {}).get("cell_id")
        if cell in broken and not row["points"]:
            row["reason"] = broken[cell]
        elif question.name in untouched and not row["points"]:
            row["reason"] = "not answered (the answer cell is as handed out)"
        if differs:
            row["reason"] += f"; flagged: {differs}"
            disagree.append(differs)
        sub.rows.append(row)
    if disagree:
        unexported = ", ".join(f"{k} ({v})" for k, v in check.get("unexportable", {}).items())
        sub.flags.append("the checks in its kernel and the re-check outside it disagree: " + "; ".join(disagree)
                         + (f" (could not export: {unexported})" if unexported else ""))


def auto_row(sub: Submission, question: GradedQuestion, kernel: dict | None, check: dict | None,
             failure: str | None) -> tuple[dict, str]:
    """A computed question's row: the lower of Otter's score in the kernel and the re-check's; and any difference."""
    kernel_points, check_points = _score(kernel), _score(check)
    if kernel_points is None and check_points is None:
        return _row(sub, question, 0, "not graded", failure or "the grader returned no result"), ""
    if check_points is None:  # Otter's word alone is not taken: its checks ran beside the student's code
        return _row(sub, question, 0, "not graded", "not re-checked outside the student's kernel (flagged)"), ""
    result = check if kernel_points is None or check_points < kernel_points else kernel
    points = _number(round(min(check_points, kernel_points if kernel_points is not None else check_points), 3))
    status = "full marks" if points >= question.points else ("part marks" if points else "no marks")
    row = _row(sub, question, points, status, failed_reasons(result))
    if kernel_points is not None and abs(kernel_points - check_points) > 1e-6:
        return row, f"{question.name}: {_number(round(kernel_points, 3))} in the kernel, {points} re-checked"
    return row, ""


def manual_row(sub: Submission, question: GradedQuestion) -> dict:
    answer = sub.written.get(question.name)
    status = "to mark by hand" if answer else "no answer"
    reason = "" if answer else ("the answer cell is missing" if answer is None
                                else "the answer cell still holds the placeholder text")
    return _row(sub, question, "", status, reason)


def not_graded(sub: Submission, grading: Grading, reason: str) -> Submission:
    sub.problems.append(reason)
    sub.rows = [_row(sub, q, 0 if not q.manual else "", "not graded", reason) for q in grading.questions]
    return sub


def wrong_worksheet(notebook: nbformat.NotebookNode, grading: Grading) -> str | None:
    """Why a notebook is not this assignment's worksheet, by its cells first, its metadata second; else None."""
    cells, metadata = worksheet_of(notebook, grading.worksheets), metadata_assignment(notebook)
    if cells and cells != grading.assignment:
        says = f" (its metadata says {metadata})" if metadata and metadata != cells else ""
        return (f"wrong worksheet: this is the {cells} worksheet{says}, not {grading.assignment}; not graded: "
                f"grade it with --assignment {cells}")
    if not cells and metadata and metadata != grading.assignment:
        return (f"wrong worksheet: this notebook is for {metadata}, not {grading.assignment}; not graded: "
                f"grade it with --assignment {metadata}")
    return None


def structure_problems(notebook: nbformat.NotebookNode, questions: list[GradedQuestion]) -> list[str]:
    """Questions whose check cell was deleted."""
    problems = []
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    missing = [q.name for q in questions if not q.manual and f'grader.check("{q.name}")' not in code]
    if missing:
        problems.append(f"cells deleted: the check cells of {', '.join(missing)} are missing")
    return problems


def syntax_errors(notebook: nbformat.NotebookNode, questions: list[GradedQuestion]) -> dict[str, str]:
    """Code cells Python cannot read, by cell id: 'syntax error in the answer cell of q3, line 2: ...'."""
    try:  # %magics and !commands are IPython's syntax, not errors
        from IPython.core.inputtransformer2 import TransformerManager
        to_python = TransformerManager().transform_cell
    except ImportError:
        def to_python(source):
            return source
    answer_cells = {q.blank_answer["cell_id"]: q.name for q in questions if q.blank_answer}
    found = {}
    for number, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), 1):
        try:
            source = to_python(cell.source)
        except Exception:
            source = cell.source
        try:
            compile(source, "cell", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except (SyntaxError, ValueError) as err:
            line = getattr(err, "lineno", None)
            where = f"the answer cell of {answer_cells[cell.get('id')]}" if cell.get("id") in answer_cells \
                else f"code cell {number}"
            text = (getattr(err, "text", None) or "").strip()
            found[cell.get("id") or f"#{number}"] = (
                f"syntax error in {where}" + (f", line {line}" if line else "") + f": {getattr(err, 'msg', err)}"
                + (f" ({text[:80]})" if text else "") + "; the cell did not run")
    return found


def unanswered(notebook: nbformat.NotebookNode, questions: list[GradedQuestion]) -> set[str]:
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


def written_answers(notebook: nbformat.NotebookNode, questions: list[GradedQuestion]) -> dict[str, str]:
    """The text of each written answer: '' if still the placeholder; a question whose cell is gone is absent."""
    found = {}
    for cell in notebook.cells:
        name = cell.get("metadata", {}).get(QUESTION_KEY)
        if name and cell.cell_type in ("markdown", "raw", "code"):
            text = cell.source.strip()
            found[name] = "" if text == ANSWER_PLACEHOLDER else text
    return {q.name: found[q.name] for q in questions if q.manual and q.name in found}


# ---------------------------------------------------------------- running it: the sandbox and the re-check

def run_otter(notebook: nbformat.NotebookNode, scratch: Path, grading: Grading) -> tuple[dict | None, str | None, bool]:
    """Otter's results for one notebook, run in the sandbox (or, unprotected, in its own process group and
    folder): (results or None, the reason there are none, whether the grading process was killed)."""
    home = str(scratch) if grading.unprotected else sandbox.HOME
    graded = copy.deepcopy(notebook)
    graded.metadata.setdefault("otter", {})["assignment_name"] = grading.assignment  # its cells are (checked)
    graded.cells.append(nbformat.v4.new_code_cell(sandbox.export_cell(grading.names, f"{home}/answers.json")))
    nbformat.write(graded, scratch / "submission.ipynb")
    autograder = str(grading.autograder.resolve()) if grading.unprotected else sandbox.AUTOGRADER
    command = [sys.executable, str(SANDBOX_SCRIPT), "--grade-one", f"{home}/submission.ipynb", autograder,
               f"{home}/results.json", str(grading.memory_mb), str(math.ceil(grading.timeout) + 10)]
    if not grading.unprotected:
        command = sandbox.bwrap_command(scratch, grading.autograder, command)
    process = subprocess.Popen(command, cwd=scratch, env=sandbox.environment(str(scratch)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=grading.timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out: grading took longer than {grading.timeout:g} s (an endless loop?)", False
    finally:
        _kill_group(process)  # the kernel Otter started, and anything it left running
    if process.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL):
        return None, "the grader stopped: its process was killed", True
    results = _read_json(scratch / "results.json")
    if process.returncode != 0 or not isinstance(results, dict):
        return None, f"the grader stopped: {_last_error(stderr)}", False
    return results, None, False


def run_recheck(answers: Path, grading: Grading) -> dict:
    """The tests run again on the exported answers, in a fresh process that never ran student code."""
    from otter.test_files import OKTestFile

    cases = {name: [case.body for case in OKTestFile.from_spec(spec).test_cases]
             for name, spec in grading.tests.items()}
    env = {**os.environ, **sandbox.python_path(), "PYTHONSAFEPATH": "1", "MPLBACKEND": "agg"}
    try:
        done = subprocess.run([sys.executable, str(SANDBOX_SCRIPT), "--recheck"], cwd=ROOT, env=env,
                              input=json.dumps({"answers": str(answers), "tests": cases}), capture_output=True,
                              text=True, timeout=grading.timeout)
        check = json.loads(done.stdout)
    except subprocess.TimeoutExpired:
        return {"error": "the re-check timed out"}
    except ValueError:
        return {"error": f"the re-check failed: {_last_error(done.stderr)}"}
    return check


def rechecked(check: dict, question: GradedQuestion, grading: Grading) -> dict | None:
    """The re-check's outcome for one question, scored the way Otter scores it (None if not re-checked)."""
    outcomes = check.get("results", {}).get(question.name)
    if outcomes is None:
        return None
    from otter.test_files import OKTestFile
    from otter.test_files.abstract_test import TestCaseResult

    test = OKTestFile.from_spec(grading.tests[question.name], path=f"tests/{question.name}.py")
    test.test_case_results = [TestCaseResult(test_case=case, message=message, passed=passed)
                              for case, (passed, message) in zip(test.test_cases, outcomes)]
    return test.to_dict()


def _score(result: dict | None) -> float | None:
    """A result's score, if it is a number (Otter's comes from the student's side: trust nothing in it)."""
    try:
        value = float(result["score"])
    except (TypeError, KeyError, ValueError):
        return None
    return value if math.isfinite(value) else None


def failed_reasons(result: dict) -> str:
    """One short reason per failed test of a question, hidden tests marked as such."""
    reasons = []
    cases = [c for c in result.get("test_case_results", []) if isinstance(c, dict) and not c.get("passed")]
    public = [c for c in cases if not c.get("test_case", {}).get("hidden")]
    for case in public or cases:  # a failed public check explains the hidden ones that follow from it
        test = case.get("test_case", {})
        reason = reason_from_message(str(case.get("message", "")))
        if "ellipsis" in reason.lower():
            reason = "not answered (the ... is still there)"
        elif reason in ("AssertionError", "") and test.get("failure_message"):
            reason = str(test["failure_message"])
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

def prepare(assignment: str, dist: Path, timeout: float, memory_mb: int, mode: str) -> Grading:
    """Everything a run needs, and whether it can be sandboxed; a required sandbox that does not work stops it."""
    autograder, questions = load_assignment(assignment, dist)
    unprotected = "--sandbox none was given" if mode == "none" else sandbox.bwrap_problem()
    required = mode == "bubblewrap" or (mode == "auto" and os.environ.get("COURSE_REQUIRE_SANDBOX") == "1")
    if unprotected and required:
        raise GradingError(f"cannot grade in a sandbox: {unprotected}")
    tests = load_tests(autograder)
    return Grading(assignment, autograder, questions, tests, load_worksheets(dist), timeout, memory_mb, unprotected,
                   answer_names(tests))


def grade_folder(folder: Path, out: Path, assignment: str | None = None, dist: Path = DIST,
                 timeout: float = 300, jobs: int = 2, sandbox_mode: str = "auto", memory_mb: int = 2048,
                 regrade: bool = False, say=print) -> list[Submission]:
    """Grade every file in ``folder``; after each one, write its record and the reports to ``out``."""
    folder, out = Path(folder), Path(out)
    files = submission_files(folder)
    if not files:
        raise GradingError(f"{folder} holds no files to grade")
    worksheets = load_worksheets(dist)
    assignment = assignment or detect_assignment(files, worksheets)
    grading = prepare(assignment, dist, timeout, memory_mb, sandbox_mode)
    if grading.unprotected:
        say(unprotected_warning(grading.unprotected))
    names, twins = student_names(files, folder)
    done = {} if regrade else load_records(out)
    graded = {p: done[names[p]] for p in files if reusable(done.get(names[p]), p, grading)}
    todo = [p for p in files if p not in graded]
    if graded:
        say(f"{len(graded)} submission(s) already graded in {out} (--regrade to grade them again); "
            f"{len(todo)} to grade")
    write_reports([graded[p] for p in files if p in graded], grading.questions, out, assignment)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running = {pool.submit(grade_file, p, names[p], grading, [twins[p]] if p in twins else []): p for p in todo}
        for future in as_completed(running):  # one at a time, in this thread: the records and reports
            sub = graded[running[future]] = future.result()
            save_record(out, sub)
            write_reports([graded[p] for p in files if p in graded], grading.questions, out, assignment)
            say(progress_line(sub, len(graded), len(files), grading.questions))
    return [graded[p] for p in files]


def reusable(record: Submission | None, path: Path, grading: Grading) -> bool:
    """A record from an earlier run stands if the same file was graded for the same assignment, as safely."""
    return (record is not None and record.sha256 == file_digest(path) and record.assignment == grading.assignment
            and (record.sandbox or not grading.unprotected))


def unprotected_warning(why: str) -> str:
    return ("WARNING: THESE GRADES ARE NOT PROTECTED: no sandbox (" + why + "). A submission can read the answer "
            "key, fake its score or change files on this computer. Install bubblewrap (sudo apt-get install "
            "bubblewrap) and grade again; see docs/teacher-guide.md, section 4.5.")


def progress_line(sub: Submission, n: int, total: int, questions: list[GradedQuestion]) -> str:
    points = sum(r["points"] for r in sub.rows if isinstance(r["points"], (int, float)))
    line = f"[{n}/{total}] {sub.student}: {_number(points)}/{_number(sum(q.points for q in questions if not q.manual))}"
    if sub.flags:
        line += " FLAGGED: " + "; ".join(sub.flags)
    return line + ("" if sub.sandbox else " (NOT PROTECTED)")


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record_path(out: Path, student: str) -> Path:
    return out / "records" / (hashlib.sha256(student.encode("utf-8")).hexdigest()[:16] + ".json")


def save_record(out: Path, sub: Submission) -> None:
    record = asdict(sub)
    record["path"] = str(sub.path)
    _write_atomically(record_path(out, sub.student), json.dumps(record, indent=1, default=str))


def load_records(out: Path) -> dict[str, Submission]:
    """The records of an earlier run into the same folder, by student (unreadable ones are graded again)."""
    records = {}
    for path in sorted((out / "records").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            sub = Submission(**{**record, "path": Path(record["path"])})
        except (ValueError, TypeError, KeyError):
            continue
        records[sub.student] = sub
    return records


def write_reports(graded: list[Submission], questions: list[GradedQuestion], out: Path, assignment: str) -> None:
    """The three result files, all from the same records: flagged submissions first, then the folder's order."""
    out.mkdir(parents=True, exist_ok=True)
    ordered = sorted(graded, key=lambda sub: not sub.flags)
    _write_csv(out / "scores.csv", SCORE_COLUMNS, [row for sub in ordered for row in sub.rows])
    # points, max_points and percent are the main track's; the optional extension is reported beside them
    extension = {q.name for q in questions if q.extension}
    main_max = sum(q.points for q in questions if not q.manual and not q.extension)
    extension_max = sum(q.points for q in questions if q.extension)
    summary = []
    for sub in ordered:
        scored = [r for r in sub.rows if isinstance(r["points"], (int, float))]
        points = sum(r["points"] for r in scored if r["question"] not in extension)
        extension_points = sum(r["points"] for r in scored if r["question"] in extension)
        percent = f"{100 * points / main_max:.1f}" if main_max else ""
        summary.append({"student": sub.student, "file": sub.path.name, "points": _number(points),
                        "max_points": _number(main_max), "percent": percent,
                        "extension_points": _number(extension_points) if extension else "",
                        "extension_max": _number(extension_max) if extension else "",
                        "written_to_mark": sum(r["status"] == "to mark by hand" for r in sub.rows),
                        "flagged": "; ".join(sub.flags), "problems": "; ".join(sub.problems),
                        "protected": PROTECTED if sub.sandbox else NOT_PROTECTED})
    _write_csv(out / "summary.csv", SUMMARY_COLUMNS, summary)
    lines = [f"# Written answers: {assignment}", "",
             "Collected by `python -m natocourse.grading`. Enter the points you award in the `points` column "
             "of scores.csv (rows marked \"to mark by hand\").", ""]
    if any(not sub.sandbox for sub in graded):
        lines += [f"**{NOT_PROTECTED}** (see the `protected` column of summary.csv).", ""]
    for question in (q for q in questions if q.manual):
        lines += [f"## {question.name} ({_number(question.points)} points)", "", _quoted(question.prompt), ""]
        for sub in graded:
            answer = sub.written.get(question.name)
            text = answer if answer else ("*(no answer: the cell still holds the placeholder)*" if answer == ""
                                          else "*(no answer cell found" + (f": {sub.problems[0]}" if sub.problems
                                                                           else "") + ")*")
            lines += [f"### {sub.student}", "", text, ""]
    _write_atomically(out / "written_answers.md", "\n".join(lines))


# ---------------------------------------------------------------- helpers

def _row(sub: Submission, question: GradedQuestion, points, status: str, reason: str) -> dict:
    return {"student": sub.student, "question": question.name, "points": points,
            "max_points": _number(question.points), "status": status, "reason": reason}


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 3)


def _quoted(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0][:200] if str(err).strip() else ""


def _last_error(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").strip().splitlines() if line.strip()]
    errors = [line for line in lines if _EXCEPTION_LINE.search(line)]
    return (errors or lines or ["no message"])[-1][:300]


def _read_json(path: Path):
    """JSON the student's side wrote (Otter's results): None if missing, too big or not JSON."""
    try:
        if path.stat().st_size > sandbox.MAX_JSON_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with tempfile.NamedTemporaryFile("w", newline="", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(f.name, path)  # a reader sees the old file or the new one, never half of one


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.") as f:
        f.write(text)
    os.replace(f.name, path)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m natocourse.grading",
                                     description="Grade a folder of submitted homework notebooks.")
    parser.add_argument("submissions", type=Path, help="folder of submitted files (one per student)")
    parser.add_argument("--out", type=Path, default=Path("results"), help="folder for the reports (default: results)")
    parser.add_argument("--assignment", help="e.g. hw01_enlargement (default: read from the notebooks)")
    parser.add_argument("--dist", type=Path, default=DIST, help="where tools/build_homework.py put the autograders")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per submission (default 300)")
    parser.add_argument("--memory", type=int, default=2048, help="megabytes of memory per submission (default 2048)")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    parser.add_argument("--sandbox", choices=["auto", "bubblewrap", "none"], default="auto",
                        help="auto (default): bubblewrap if it works here, else grade unprotected, with a warning")
    parser.add_argument("--regrade", action="store_true", help="grade every file again, ignoring earlier records")
    args = parser.parse_args(argv)
    try:
        graded = grade_folder(args.submissions, args.out, args.assignment, args.dist, args.timeout, args.jobs,
                              args.sandbox, args.memory, args.regrade, say=lambda text: print(text, flush=True))
    except GradingError as err:
        print(f"Cannot grade: {err}", file=sys.stderr)
        return 2
    problems = sum(bool(s.problems) for s in graded)
    print(f"Graded {len(graded)} submission(s)" + (f", {problems} with problems (see summary.csv)" if problems else "")
          + f": {args.out / 'scores.csv'}, {args.out / 'summary.csv'}, {args.out / 'written_answers.md'}")
    flagged = [s for s in graded if s.flags]
    if flagged:
        print(f"FLAGGED FOR REVIEW ({len(flagged)}), listed first in summary.csv:")
        for sub in flagged:
            print(f"  {sub.student}: {'; '.join(sub.flags)}")
    unprotected = [s for s in graded if not s.sandbox]
    if unprotected:
        print(f"WARNING: {len(unprotected)} submission(s) graded WITHOUT A SANDBOX: these grades are not protected "
              "(the `protected` column of summary.csv; docs/teacher-guide.md, section 4.5).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
