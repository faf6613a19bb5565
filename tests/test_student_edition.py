"""The student edition (what Binder, the hub link and a student's clone get) holds what a student needs and no
answer key, solution, hidden check or marking note: it is searched for every answer string of the instructor
sources. The edition is written with the one command, ``python tools/student_edition.py``, into a temporary folder.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "instructor").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402

from natocourse.notebook_runner import NotebookRunner

OTTER_MARKERS = ["# BEGIN SOLUTION", "# END SOLUTION", "# SOLUTION", "# HIDDEN", "# BEGIN TESTS", "# END TESTS"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("students") / "nato-course-students"
    done = subprocess.run([sys.executable, "tools/student_edition.py", str(out), "--repo", "school/nato-course-students"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def answers() -> dict[str, str]:
    return student_edition.answer_strings(SOURCES)


@pytest.fixture
def teacher(tmp_path, monkeypatch) -> Path:
    """A clone of the teacher's repository (its last commit), to plant things in."""
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Teacher")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "teacher@school.example")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(tmp_path / "teacher")], check=True)
    return tmp_path / "teacher"


def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts)


def test_answer_strings_cover_solutions_hidden_checks_and_marking_notes(answers):
    assert SOURCES, "no instructor sources to take the answers from"
    for source in SOURCES:
        mine = [a for a, s in answers.items() if s == source.name]
        assert any(a.startswith("assert ") for a in mine), f"{source.name}: no hidden check found"
        assert any(" = " in a and not a.startswith("assert ") for a in mine), f"{source.name}: no solution found"
        assert any("good answer contains" in a for a in mine), f"{source.name}: no marking note found"
        # the search can fail: it finds every one of them in the key they come from
        text = student_edition.strings_of(source)
        assert [a for a in mine if a not in text] == []


def test_student_edition_holds_no_answer_solution_or_hidden_check(edition, answers):
    assert student_edition.leaks(edition, answers) == []
    for path in files_of(edition):
        text = path.read_text(encoding="utf-8")
        assert not [m for m in OTTER_MARKERS if m in text], f"{path}: holds an Otter Assign marker"
        if path.suffix == ".ipynb":
            for question in json.loads(text)["metadata"].get("otter", {}).get("tests", {}).values():
                assert not any(case["hidden"] for suite in question["suites"] for case in suite["cases"]), path
    names = [p.relative_to(edition).as_posix() for p in files_of(edition)]
    assert not [n for n in names if n.split("/")[0] in ("instructor", "tests", "docs", "tools", ".ci")
                or n.endswith(".zip") or "solution" in n]


def test_student_edition_has_what_a_student_needs(edition):
    for needed in ["README.md", "LICENSE", "LICENSE-CONTENT.md", "requirements.txt", "pyproject.toml",
                   "binder/requirements.txt", "binder/runtime.txt", "natocourse/__init__.py", "data/datapackage.json",
                   "data/quizzes/start_here.yaml", "notebooks/00_start_here.ipynb",
                   "notebooks/natocourse/__init__.py", "notebooks/homework/natocourse/__init__.py",
                   *(f"notebooks/homework/{s.name}" for s in SOURCES)]:
        assert (edition / needed).is_file(), f"the student edition lacks {needed}"
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "student edition" in readme and "Binder" in readme
    assert "mybinder.org/v2/gh/school/nato-course-students/main?urlpath=lab" in readme and "OWNER/REPO" not in readme
    assert "mybinder.org/v2/gh/school/nato-course-students/main?urlpath=voila" in readme  # the presenter view


@pytest.mark.grading  # runs the worksheet and its otter-grader checks: slow
def test_homework_worksheet_runs_in_the_edition(edition):
    """A student's first run: the worksheet finds the course, its data and its public checks, with no error."""
    folder = edition / "notebooks" / "homework"
    notebook = nbformat.read(folder / SOURCES[0].name, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print(course.__file__)"))
    NotebookRunner(notebook, timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    assert "q1 results" in json.dumps([c.outputs for c in notebook.cells if c.cell_type == "code"])
    assert notebook.cells[-1].outputs[0]["text"].startswith(str(edition))  # the edition's own package


@pytest.mark.parametrize("plant", ["a copied key", "a pasted marking note", "a hidden check in a worksheet"])
def test_an_answer_committed_to_a_student_folder_stops_the_edition(teacher, tmp_path, answers, plant):
    homework = teacher / "notebooks" / "homework"
    if plant == "a copied key":
        shutil.copy(teacher / "instructor" / SOURCES[0].name, homework / "key.ipynb")
    elif plant == "a pasted marking note":
        note = next(a for a in answers if "good answer contains" in a)
        (teacher / "data" / "notes.md").write_text(note.replace(" ", "\n"), encoding="utf-8")
    else:
        worksheet = json.loads((homework / SOURCES[0].name).read_text(encoding="utf-8"))
        next(iter(worksheet["metadata"]["otter"]["tests"].values()))["suites"][0]["cases"][0]["hidden"] = True
        (homework / SOURCES[0].name).write_text(json.dumps(worksheet), encoding="utf-8")
    subprocess.run(["git", "add", "--all"], cwd=teacher, check=True)
    subprocess.run(["git", "commit", "--quiet", "-m", f"oops: {plant}"], cwd=teacher, check=True)
    with pytest.raises(SystemExit, match="would hold answers") as stopped:
        student_edition.write_edition(tmp_path / "out", root=teacher)
    assert ("notes.md" if "note" in plant else "notebooks/homework/") in str(stopped.value)
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_an_edition_is_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="not a student edition"):
        student_edition.write_edition(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_edition_committed_to_a_students_branch(teacher, tmp_path):
    out = tmp_path / "out"
    student_edition.write_edition(out, root=teacher)
    (out / "stale.txt").write_text("from an older edition", encoding="utf-8")
    student_edition.write_edition(out, root=teacher)  # a previous edition is replaced, stale files go
    assert not (out / "stale.txt").exists()
    commit = student_edition.commit_to_branch(out, "students", root=teacher)
    tree = subprocess.run(["git", "ls-tree", "--name-only", "students"], cwd=teacher, capture_output=True,
                          text=True, check=True).stdout.split()
    assert sorted(tree) == sorted(student_edition.INCLUDE + ["README.md"])
    assert student_edition.commit_to_branch(out, "students", root=teacher) == commit  # unchanged: no new commit
    status = subprocess.run(["git", "status", "--porcelain"], cwd=teacher, capture_output=True, text=True)
    assert status.stdout == ""  # the teacher's working tree and index are untouched
    current = subprocess.run(["git", "branch", "--show-current"], cwd=teacher, capture_output=True, text=True)
    with pytest.raises(SystemExit, match="checked out"):
        student_edition.commit_to_branch(out, current.stdout.strip(), root=teacher)
