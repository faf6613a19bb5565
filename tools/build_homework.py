"""Generate the homework from the instructor sources with Otter Assign.

    python tools/build_homework.py                      # every instructor/hw*.ipynb
    python tools/build_homework.py instructor/hw01_enlargement.ipynb

For each source ``instructor/<name>.ipynb`` it writes:

* ``notebooks/homework/<name>.ipynb``: the student version (committed): solutions replaced by ``...``,
  the public checks stored in the notebook so ``grader.check("q1")`` gives feedback at once, no outputs;
* ``instructor/dist/<name>/`` (never committed, see .gitignore): ``solution.ipynb`` (the answer key),
  ``autograder.zip`` (public *and* hidden tests, what ``python -m natocourse.grading`` grades with) and
  ``questions.json`` (each question's points, whether it is marked by hand, and its prompt).

``--dist DIR`` and ``--student-dir DIR`` write elsewhere (the tests build into a temporary folder).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "instructor"
DIST = SOURCES / "dist"
STUDENT_DIR = ROOT / "notebooks" / "homework"
QUESTION_KEY = "natocourse_question"  # cell metadata: which written question an answer cell belongs to


def questions_of(source: nbformat.NotebookNode) -> list[dict]:
    """Every question of an instructor source: name, points, manual, its prompt (first markdown cell), extension."""
    questions, current = [], None
    for cell in source.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw" and text.startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(text.split("\n", 1)[1])
            current = {"name": config["name"], "points": config.get("points", 1),
                       "manual": bool(config.get("manual", False)), "prompt": ""}
            questions.append(current)
        elif cell.cell_type == "markdown" and current is not None and not current["prompt"]:
            current["prompt"] = text
            # an optional coding extension ("**Question 3 (extension).**"): reported apart from the main track
            current["extension"] = "(extension)" in text.split("\n", 1)[0].lower()
        elif cell.cell_type == "raw" and text.startswith("# END QUESTION"):
            current = None
    return questions


def prepare_student_version(notebook: nbformat.NotebookNode, questions: list[dict],
                            source_ids: set[str] = frozenset()) -> nbformat.NotebookNode:
    """Label written-answer cells with their question, tag check cells for nbval, drop outputs.

    Cells Otter made itself get an id computed from their text (instead of a random one), so rebuilding
    an unchanged source gives a byte-identical student version.
    """
    notebook.metadata.pop("jupytext", None)
    for index, cell in enumerate(notebook.cells):
        if cell.get("id") not in source_ids:
            cell["id"] = hashlib.sha1(f"{index}:{cell.source}".encode()).hexdigest()[:8]
    written = iter(q["name"] for q in questions if q["manual"])
    computed = iter(q for q in questions if not q["manual"])
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "otter_answer_cell" in cell.metadata.get("tags", []):
                # the grader tells an unanswered question from a wrong answer by this blank cell
                next(computed)["blank_answer"] = {"cell_id": cell.get("id"), "source": cell.source}
            if cell.source.lstrip().startswith("grader.check("):
                # feedback text differs from machine to machine; nbval checks only that the cell runs
                tags = cell.metadata.setdefault("tags", [])
                if "nbval-ignore-output" not in tags:
                    tags.append("nbval-ignore-output")
        elif cell.cell_type == "markdown" and "otter_answer_cell" in cell.metadata.get("tags", []):
            cell.metadata[QUESTION_KEY] = next(written)
    if next(written, None) is not None:
        raise SystemExit("a written question has no answer cell in the student version")
    first, second = notebook.cells[:2]
    if first.cell_type == "code" and "otter.Notebook(" in first.source and second.cell_type == "markdown":
        notebook.cells[:2] = [second, first]  # the title first, then Otter's set-up cell
    return notebook


def build(source_path: Path, dist: Path = DIST, student_dir: Path = STUDENT_DIR) -> Path:
    """Run Otter Assign on one source; return the assignment's folder in ``dist``."""
    name = source_path.stem
    source = nbformat.read(source_path, as_version=4)
    questions = questions_of(source)
    with tempfile.TemporaryDirectory() as scratch:
        # Otter Assign writes next to the source: work on a copy so the instructor folder stays clean
        work = Path(scratch)
        shutil.copy(source_path, work / source_path.name)
        done = subprocess.run([sys.executable, "-m", "otter", "assign", "--no-pdfs", source_path.name, "out"],
                              cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"otter assign failed on {source_path}:\n{done.stdout}\n{done.stderr}")
        student = nbformat.read(work / "out" / "student" / f"{name}.ipynb", as_version=4)
        solution = work / "out" / "autograder" / f"{name}.ipynb"
        zips = sorted((work / "out" / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise SystemExit(f"otter assign made {len(zips)} autograder zip files for {source_path}, expected 1")
        target = dist / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copy(zips[0], target / "autograder.zip")
        shutil.copy(solution, target / "solution.ipynb")
    student_dir.mkdir(parents=True, exist_ok=True)
    source_ids = {cell.get("id") for cell in source.cells}
    nbformat.write(prepare_student_version(student, questions, source_ids), student_dir / f"{name}.ipynb")
    (target / "questions.json").write_text(json.dumps({"assignment": name, "questions": questions}, indent=2),
                                           encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="instructor notebooks (default: instructor/hw*.ipynb)")
    parser.add_argument("--dist", type=Path, default=DIST, help="where solutions and autograders go")
    parser.add_argument("--student-dir", type=Path, default=STUDENT_DIR, help="where student versions go")
    args = parser.parse_args(argv)
    sources = args.sources or sorted(SOURCES.glob("hw*.ipynb"))
    if not sources:
        raise SystemExit(f"no instructor sources found in {SOURCES}")
    for source in sources:
        target = build(source.resolve(), args.dist.resolve(), args.student_dir.resolve())
        print(f"{source.name}: student version in {args.student_dir / source.name}, "
              f"solution and autograder in {target}")


if __name__ == "__main__":
    main()
