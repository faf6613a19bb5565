"""The grading slips of issue 12, fixed with clear messages: two files for one student, a hw01 notebook carrying
hw02 metadata, a syntax error, hidden tests left in the temporary folder by a timed-out submission; and a
grading run that writes each result as it comes, so a rerun resumes and a killed run loses nothing.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_homework import ROOT, answered, auto_questions, build_homework, read_csv

from natocourse import grading, sandbox

HW01, HW02 = "hw01_enlargement", "hw02_security_dilemma"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("slips")
    build_homework.main(["--dist", str(base / "dist"), "--student-dir", str(base / "student")]
                        + [str(ROOT / "instructor" / f"{name}.ipynb") for name in (HW01, HW02)])
    return base


def grade(folder: Path, out: Path, built: Path, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "natocourse.grading", str(folder), "--out", str(out),
                           "--dist", str(built / "dist"), "--timeout", "240", *options],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return done


def first_answer(built: Path, name: str) -> grading.GradedQuestion:
    return next(q for q in grading.load_assignment(name, built / "dist")[1] if q.blank_answer)


@pytest.fixture(scope="module")
def hw02_class(built, tmp_path_factory):
    """A hw02 class with every slip in it, graded with the one command."""
    folder, out = tmp_path_factory.mktemp("hw02_class"), tmp_path_factory.mktemp("hw02_results")
    blank = built / "student" / f"{HW02}.ipynb"
    shutil.copy(blank, folder / "dup.ipynb")
    shutil.copy(blank, folder / "dup.json")
    nbformat.write(answered(built, HW02, auto_questions(built, HW02)), folder / "honest.ipynb")

    def break_syntax(notebook):
        cell = next(c for c in notebook.cells if c.id == first_answer(built, HW02).blank_answer["cell_id"])
        cell.source = "fine = 1\nbroken = = 2"
    nbformat.write(answered(built, HW02, auto_questions(built, HW02), change=break_syntax), folder / "syntax.ipynb")

    wrong = answered(built, HW01, auto_questions(built, HW01))
    wrong.metadata["otter"]["assignment_name"] = HW02
    nbformat.write(wrong, folder / "wrong.ipynb")
    grade(folder, out, built)
    return ({r["student"]: r for r in read_csv(out / "summary.csv")},
            {(r["student"], r["question"]): r for r in read_csv(out / "scores.csv")})


@pytest.mark.grading
def test_two_files_with_one_name_stay_two_students_and_say_so(hw02_class):
    summary, _ = hw02_class
    assert {"dup.ipynb", "dup.json"} <= set(summary) and "dup" not in summary
    for student in ("dup.ipynb", "dup.json"):
        assert summary[student]["problems"].startswith(
            '2 files for one student "dup" (dup.ipynb, dup.json): each is graded on its own')


@pytest.mark.grading
def test_a_hw01_notebook_with_hw02_metadata_is_not_graded_as_hw02(hw02_class):
    summary, scores = hw02_class
    assert summary["wrong"]["problems"] == (
        f"wrong worksheet: this is the {HW01} worksheet (its metadata says {HW02}), not {HW02}; not graded: "
        f"grade it with --assignment {HW01}")
    assert all(row["status"] == "not graded" for (student, _), row in scores.items() if student == "wrong")
    assert summary["honest"]["percent"] == "100.0"  # the class itself is graded as hw02


@pytest.mark.grading
def test_a_syntax_error_is_reported_as_one_with_its_line(built, hw02_class):
    summary, scores = hw02_class
    question = first_answer(built, HW02).name
    message = (f"syntax error in the answer cell of {question}, line 2: invalid syntax (broken = = 2); "
               "the cell did not run")
    assert message in summary["syntax"]["problems"]
    assert scores[("syntax", question)]["reason"] == message
    assert "NameError" not in scores[("syntax", question)]["reason"]


def test_the_assignment_is_told_by_the_cells_before_the_metadata(tmp_path):
    manifest = tmp_path / "dist" / HW01 / "questions.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"questions": [{"name": "q1", "blank_answer": {"cell_id": "abc", "source": "..."}}]}')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    notebook.cells[0].id = "abc"
    notebook.metadata["otter"] = {"assignment_name": HW02}
    nbformat.write(notebook, tmp_path / "a.ipynb")
    assert grading.detect_assignment([tmp_path / "a.ipynb"], grading.load_worksheets(tmp_path / "dist")) == HW01


def hidden_test_copies(folder: Path, test: bytes, since: float) -> list[Path]:
    """Copies of a hidden test made in ``folder`` since ``since`` (Otter unpacks to tmpXXXX/autograder/.../q1.py)."""
    return [p for p in Path(folder).glob("tmp*/autograder/**/q1.py")
            if p.stat().st_mtime >= since and p.read_bytes() == test] if Path(folder).exists() else []


@pytest.mark.grading
@pytest.mark.parametrize("mode", ["none", "bubblewrap"])
def test_a_timed_out_submission_leaves_no_hidden_tests_in_the_temp_folder(built, tmp_path, mode):
    if mode == "bubblewrap" and sandbox.bwrap_problem() and os.environ.get("COURSE_REQUIRE_SANDBOX") != "1":
        pytest.skip(f"no sandbox here: {sandbox.bwrap_problem()}")
    folder, temp = tmp_path / "in", tmp_path / "temp"
    folder.mkdir()
    temp.mkdir()
    loop = answered(built, HW01, ["q5"],
                    change=lambda nb: nb.cells.insert(2, nbformat.v4.new_code_cell("while True:\n    pass")))
    nbformat.write(loop, folder / "loop.ipynb")
    with zipfile.ZipFile(built / "dist" / HW01 / "autograder.zip") as archive:
        test = archive.read("tests/q1.py")
    start = time.time() - 1
    grade(folder, tmp_path / "out", built, "--timeout", "20", "--sandbox", mode,
          env={**os.environ, "TMPDIR": str(temp)})
    summary = read_csv(tmp_path / "out" / "summary.csv")[0]
    assert summary["problems"] == "timed out: grading took longer than 20 s (an endless loop?)"
    assert list(temp.iterdir()) == []
    assert hidden_test_copies(Path("/tmp"), test, start) == []
    assert hidden_test_copies(Path(tempfile.gettempdir()), test, start) == []


@pytest.mark.grading
def test_results_are_written_as_each_submission_finishes_and_a_rerun_resumes(built, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    everything = auto_questions(built, HW01)
    for student, questions in (("a_full", everything), ("b_partial", ["q1", "q5"]), ("c_blank", [])):
        nbformat.write(answered(built, HW01, questions), folder / f"{student}.ipynb")
    command = [sys.executable, "-m", "natocourse.grading", str(folder), "--out", str(out),
               "--dist", str(built / "dist"), "--jobs", "1", "--timeout", "240"]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    try:  # the grader dies (killed, or the computer stops) after the first submission
        deadline = time.time() + 240
        while time.time() < deadline and run.poll() is None and not (
                (out / "summary.csv").exists() and read_csv(out / "summary.csv")):
            time.sleep(0.2)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    records = {p: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    assert 1 <= len(read_csv(out / "summary.csv")) <= len(records) < 3  # the reports hold what was done

    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"{len(records)} submission(s) already graded" in done.stdout
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in records.items())  # not graded again
    summary = {r["student"]: (r["points"], r["extension_points"]) for r in read_csv(out / "summary.csv")}
    assert summary == {"a_full": ("7", "2"), "b_partial": ("3", "0"), "c_blank": ("0", "0")}

    # a file handed in again is graded again; the others are not
    nbformat.write(answered(built, HW01, ["q5"]), folder / "c_blank.ipynb")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert "2 submission(s) already graded" in done.stdout and "1 to grade" in done.stdout
    assert {r["student"]: r["points"] for r in read_csv(out / "summary.csv")}["c_blank"] == "1"
