"""The homework grades itself: a full solution scores 100%, a blank one 0, a partial one in between with the
right questions marked, and a broken file is reported, never fatal.

The tests that build or grade (otter-grader, slow) are marked ``grading``: `make check` leaves them out.
The assignments are built from instructor/ into a temporary folder (as a teacher would with
tools/build_homework.py); the submissions are made from the built student version, the way a student
would fill it in, and graded with the one command, ``python -m natocourse.grading``.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from natocourse import grading

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "homework"
ASSIGNMENTS = ["hw01_enlargement", "hw02_security_dilemma", "hw03_diplomacy"]
sys.path.insert(0, str(ROOT / "tools"))
import build_homework  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every assignment built into a temporary dist/ and student folder."""
    base = tmp_path_factory.mktemp("homework")
    build_homework.main(["--dist", str(base / "dist"), "--student-dir", str(base / "student")]
                        + [str(ROOT / "instructor" / f"{name}.ipynb") for name in ASSIGNMENTS])
    return base


def answered(built: Path, name: str, questions: list[str], written: str | None = None,
             change=None) -> nbformat.NotebookNode:
    """The student version with the key's answers to ``questions`` pasted into its answer cells."""
    student = nbformat.read(built / "student" / f"{name}.ipynb", as_version=4)
    key = {c.id: c for c in nbformat.read(built / "dist" / name / "solution.ipynb", as_version=4).cells}
    manifest = grading.load_assignment(name, built / "dist")[1]
    for question in manifest:
        if question.name in questions and question.blank_answer:
            cell = next(c for c in student.cells if c.id == question.blank_answer["cell_id"])
            cell.source = key[cell.id].source
    for cell in student.cells:
        if written and cell.metadata.get(grading.QUESTION_KEY):
            cell.source = written
    if change:
        change(student)
    return student


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def auto_questions(built: Path, name: str) -> list[str]:
    return [q.name for q in grading.load_assignment(name, built / "dist")[1] if not q.manual]


@pytest.fixture(scope="module")
def graded_hw01(built, tmp_path_factory):
    """A class of nine for homework 01: good, partial, blank and broken work, graded with one command."""
    name = "hw01_enlargement"
    folder = tmp_path_factory.mktemp("submissions")
    everything = auto_questions(built, name)

    def write(student: str, notebook):
        nbformat.write(notebook, folder / f"{student}.ipynb")

    write("full", answered(built, name, everything, written="Five states that joined after 1990 border Russia "
                                                           "(security_dilemma_essay)."))
    write("blank", nbformat.read(built / "student" / f"{name}.ipynb", as_version=4))
    write("partial", answered(built, name, ["q1", "q5"], change=lambda nb: _set_answer(nb, "q4", "percent_bordering = 0.1875")))

    def raise_error(nb):  # an error at the top: Otter runs on past it, so later answers still count
        nb.cells.insert(2, nbformat.v4.new_code_cell("1 / 0"))
    write("error", answered(built, name, ["q5"], change=raise_error))

    def rename(nb):
        cell = next(c for c in nb.cells if "new_neighbours = len(" in c.source)
        cell.source = cell.source.replace("new_neighbours =", "new_neighbors =")
    write("renamed", answered(built, name, ["q1", "q5"], change=rename))

    def delete_q2(nb):
        nb.cells = [c for c in nb.cells if "pause" not in c.source and 'grader.check("q2")' not in c.source]
    write("deleted_cells", answered(built, name, everything, change=delete_q2))
    shutil.copy(FIXTURES / "printed_to_pdf.pdf", folder / "printed_to_pdf.pdf")
    shutil.copy(FIXTURES / "cut_short.ipynb", folder / "cut_short.ipynb")
    shutil.copy(FIXTURES / "json_not_a_notebook.ipynb", folder / "json_not_a_notebook.ipynb")

    out = tmp_path_factory.mktemp("results")
    done = subprocess.run([sys.executable, "-m", "natocourse.grading", str(folder), "--out", str(out),
                           "--dist", str(built / "dist"), "--jobs", "2", "--timeout", "240"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    scores = {(r["student"], r["question"]): r for r in read_csv(out / "scores.csv")}
    summary = {r["student"]: r for r in read_csv(out / "summary.csv")}
    return scores, summary, out, done.stdout


def _set_answer(nb, question: str, source: str) -> None:
    """Type ``source`` into the answer cell above ``grader.check(question)``."""
    index = next(i for i, c in enumerate(nb.cells) if c.source.strip() == f'grader.check("{question}")')
    nb.cells[index - 1].source = source


@pytest.mark.grading
def test_full_solution_scores_100_percent(graded_hw01):
    _, summary, _, _ = graded_hw01
    assert summary["full"]["percent"] == "100.0"
    assert summary["full"]["points"] == summary["full"]["max_points"] == "7"  # the main track
    assert summary["full"]["extension_points"] == summary["full"]["extension_max"] == "2"  # reported beside it
    assert summary["full"]["problems"] == "" and summary["full"]["flagged"] == ""


@pytest.mark.grading
def test_no_honest_submission_is_flagged_and_every_one_was_sandboxed_if_it_could_be(graded_hw01):
    _, summary, _, _ = graded_hw01
    assert {student: row["flagged"] for student, row in summary.items() if row["flagged"]} == {}
    from natocourse import sandbox
    expected = grading.NOT_PROTECTED if sandbox.bwrap_problem() else grading.PROTECTED
    assert {row["protected"] for row in summary.values()} == {expected}


@pytest.mark.grading
def test_blank_submission_scores_0_and_says_not_answered(graded_hw01):
    scores, summary, _, _ = graded_hw01
    assert summary["blank"]["points"] == "0" and summary["blank"]["percent"] == "0.0"
    assert scores[("blank", "q3")]["reason"] == "not answered (the answer cell is as handed out)"
    assert scores[("blank", "q6")]["status"] == "no answer"


@pytest.mark.grading
def test_partial_submission_marks_the_right_questions(graded_hw01):
    scores, summary, _, _ = graded_hw01
    marks = {q: scores[("partial", q)]["points"] for q in ("q1", "q2", "q3", "q4", "q5", "q6_sources")}
    assert marks == {"q1": "2", "q2": "0", "q3": "0", "q4": "0", "q5": "1", "q6_sources": "0"}
    assert summary["partial"]["percent"] == f"{100 * 3 / 7:.1f}"  # of the main track: the extension is optional
    assert summary["partial"]["extension_points"] == "0"
    # a fraction where a percentage was asked passes the form check but not the teacher's: only hidden checks fail
    assert scores[("partial", "q4")]["status"] == "no marks"
    reasons = scores[("partial", "q4")]["reason"].split("; ")
    assert reasons and all(r.startswith("hidden check: ") for r in reasons), reasons


@pytest.mark.grading
def test_an_error_in_a_cell_does_not_stop_the_grading_of_later_answers(graded_hw01):
    scores, summary, _, _ = graded_hw01
    assert scores[("error", "q5")]["points"] == "1"
    assert summary["error"]["points"] == "1"


@pytest.mark.grading
def test_a_renamed_variable_is_named_in_the_reason(graded_hw01):
    scores, _, _, _ = graded_hw01
    assert scores[("renamed", "q1")]["points"] == "0"
    assert "NameError: name 'new_neighbours' is not defined" in scores[("renamed", "q1")]["reason"]
    assert scores[("renamed", "q5")]["points"] == "1"


@pytest.mark.grading
def test_deleted_cells_are_reported_and_the_rest_still_graded(graded_hw01):
    scores, summary, _, _ = graded_hw01
    assert "the check cells of q2 are missing" in summary["deleted_cells"]["problems"]
    assert scores[("deleted_cells", "q2")]["points"] == "0"
    assert (summary["deleted_cells"]["points"], summary["deleted_cells"]["extension_points"]) == ("5", "2")


@pytest.mark.grading
def test_files_that_are_not_notebooks_are_reported_not_fatal(graded_hw01):
    scores, summary, _, stdout = graded_hw01
    assert len(summary) == 9
    for student in ("printed_to_pdf", "cut_short", "json_not_a_notebook"):
        assert summary[student]["problems"].startswith("not a notebook")
        assert summary[student]["points"] == "0"
        assert all(scores[(student, q)]["status"] == "not graded" for q in ("q1", "q6"))
    assert "a .pdf file is not notebook JSON" in summary["printed_to_pdf"]["problems"]
    assert "Graded 9 submission(s), 4 with problems" in stdout


@pytest.mark.grading
def test_written_answers_are_collected_for_marking_by_hand(graded_hw01):
    scores, summary, out, _ = graded_hw01
    text = (out / "written_answers.md").read_text(encoding="utf-8")
    assert "## q6 (4 points)" in text
    assert "### full\n\nFive states that joined after 1990 border Russia (security_dilemma_essay)." in text
    assert "### blank\n\n*(no answer: the cell still holds the placeholder)*" in text
    assert scores[("full", "q6")]["status"] == "to mark by hand" and scores[("full", "q6")]["points"] == ""
    assert summary["full"]["written_to_mark"] == "1"


@pytest.mark.grading
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_assignment_key_scores_100_percent_and_blank_0(built, tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    nbformat.write(answered(built, name, auto_questions(built, name)), folder / "key.ipynb")
    shutil.copy(built / "student" / f"{name}.ipynb", folder / "blank.ipynb")
    graded = grading.grade_folder(folder, tmp_path / "out", dist=built / "dist", jobs=2)
    totals = {s.student: sum(r["points"] for r in s.rows if r["points"] != "") for s in graded}
    maximum = sum(q.points for q in grading.load_assignment(name, built / "dist")[1] if not q.manual)
    assert totals == {"key": maximum, "blank": 0}
    assert [s.flags for s in graded] == [[], []]  # the re-check outside the kernel agrees: the answers export exactly
    assert 5 <= len(grading.load_assignment(name, built / "dist")[1]) <= 8


@pytest.mark.grading
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_student_version_is_the_built_one(built, name):
    def cells(path):
        return [(c.get("id"), c.cell_type, c.source, c.metadata) for c in nbformat.read(path, as_version=4).cells]
    assert cells(ROOT / "notebooks" / "homework" / f"{name}.ipynb") == cells(built / "student" / f"{name}.ipynb"), \
        "run python tools/build_homework.py and commit notebooks/homework/"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_version_holds_no_solutions_or_hidden_tests(name):
    text = (ROOT / "notebooks" / "homework" / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "# SOLUTION" not in text and "BEGIN SOLUTION" not in text
    assert '"hidden": true' not in text and "What a good answer contains" not in text


@pytest.mark.grading
def test_an_endless_loop_times_out_and_is_reported(built, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    nbformat.write(answered(built, "hw01_enlargement", ["q5"],
                            change=lambda nb: nb.cells.insert(2, nbformat.v4.new_code_cell("while True:\n    pass"))),
                   folder / "loop.ipynb")
    graded = grading.grade_folder(folder, tmp_path / "out", dist=built / "dist", timeout=10)
    assert graded[0].problems == ["timed out: grading took longer than 10 s (an endless loop?)"]
    assert all(r["status"] == "not graded" for r in graded[0].rows if r["question"] != "q6")


def test_missing_autograder_says_how_to_build_it(tmp_path):
    with pytest.raises(grading.GradingError, match="run python tools/build_homework.py first"):
        grading.load_assignment("hw09_nothing", tmp_path)


def test_submissions_for_unknown_assignment_ask_for_its_name(tmp_path):
    shutil.copy(FIXTURES / "printed_to_pdf.pdf", tmp_path / "a.pdf")
    with pytest.raises(grading.GradingError, match="name it with --assignment"):
        grading.grade_folder(tmp_path, tmp_path / "out", dist=tmp_path)


# ---------------------------------------------------------------- the teacher guide stays true

GUIDE = ROOT / "docs" / "teacher-guide.md"


def test_teacher_guide_has_a_lesson_plan_for_every_notebook_and_names_every_assignment():
    text = GUIDE.read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"### {notebook.name[:2]} · " in text, f"no lesson plan for {notebook.name}"
    for name in ASSIGNMENTS:
        assert f"`{name}`" in text


def test_teacher_guide_quotes_the_data_errors_a_teacher_will_see(tmp_path):
    from natocourse.data import validate_table
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    events = data / "events.csv"
    original = events.read_text(encoding="utf-8")
    records = list(csv.reader(original.splitlines(keepends=True)))
    header, last = records[0], records[-1]
    text = GUIDE.read_text(encoding="utf-8")
    for column, value in (("date", "2025-13-45"), ("source_id", "no_such_source")):
        row = list(last)
        row[header.index("event_id")], row[header.index(column)] = "test_event", value
        with open(events, "w", newline="", encoding="utf-8") as f:
            f.write(original if original.endswith("\n") else original + "\n")
            csv.writer(f, lineterminator="\n").writerow(row)
        problems = [str(p) for p in validate_table("events", data)[1]]
        assert len(problems) == 1, problems
        message = problems[0].split(", row ", 1)[1].split(", ", 1)[1]  # from 'column "..."' on
        assert message in text, f"the guide should quote: {message}"


def test_teacher_guide_quotes_the_quiz_errors_a_teacher_will_see(tmp_path):
    from natocourse.quiz.model import QuizError, load_quiz
    original = (ROOT / "data" / "quizzes" / "enlargement.yaml").read_text(encoding="utf-8")
    text = GUIDE.read_text(encoding="utf-8")
    broken = [original.replace("        correct: true\n        why: Right. Signing shows intent",
                               "        why: Right. Signing shows intent", 1),
              original.replace("source: cvce_north_atlantic_treaty_signature\n    options",
                               "source: cvce_1949\n    options", 1)]
    for body in broken:
        assert body != original, "the quiz changed: update this test and the guide's examples"
        (tmp_path / "enlargement.yaml").write_text(body, encoding="utf-8")
        with pytest.raises(QuizError) as err:
            load_quiz("enlargement", tmp_path)
        message = str(err.value).split(", question ", 1)[1]
        assert message in text, f"the guide should quote: {message}"
