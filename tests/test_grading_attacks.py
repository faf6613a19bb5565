"""A hostile class: four submissions that try to forge their grade or stop the grading (issue 12), among two
honest ones. Each attack is the strongest form of the one reported: it knows where the course, the answer key
and the results folder are.

Graded in the bubblewrap sandbox (skipped where bubblewrap cannot run, unless COURSE_REQUIRE_SANDBOX=1, as in
CI). Every attack must end with no forged score, its name in the flagged list, the teacher's clone unchanged,
and every other submission graded.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from test_homework import ROOT, answered, auto_questions, build_homework, read_csv

from natocourse import grading, sandbox

NAME = "hw01_enlargement"
PLANTED = ROOT / "natocourse" / "_planted_by_a_student.py"  # a file the daemon tries to add to the clone
GRADER_CODE = ROOT / "natocourse" / "sandbox.py"  # a file of the grader's it tries to append to

KEY_READER = '''\
import glob, json
for path in glob.glob({dist!r} + "/*/solution.ipynb") + glob.glob({root!r} + "/instructor/**/*.ipynb", recursive=True):
    try:
        key = json.load(open(path))
    except OSError:
        continue
    for cell in key["cells"]:
        if cell["cell_type"] == "code" and "otter" not in "".join(cell["source"]):
            try:
                exec("".join(cell["source"]))
            except Exception:
                pass
'''

MONKEYPATCH = '''\
from otter.test_files import abstract_test, ok_test

def _always_passes(self, global_environment):
    self.test_case_results = [abstract_test.TestCaseResult(test_case=case, message="passed", passed=True)
                              for case in self.test_cases]

ok_test.OKTestFile.run = _always_passes
'''

DAEMON = '''\
import os, time
for target in ({planted!r}, {grader_code!r}):
    try:
        with open(target, "a") as f:
            f.write("\\nprint('planted by a student')\\n")
    except OSError:
        pass
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(400):
            time.sleep(0.2)
            try:
                with open({summary!r}) as f:
                    lines = f.read().splitlines()
                lines = [line if not line.startswith("daemon,") else
                         "daemon,daemon.ipynb,9,9,100.0,0,,,yes (bubblewrap)" for line in lines]
                with open({summary!r}, "w") as f:
                    f.write("\\n".join(lines) + "\\n")
            except OSError:
                pass
        os._exit(0)
    os._exit(0)
'''

KILLER = '''\
import os, signal
spare = {spare!r}  # the test's own processes: if the sandbox failed, the test must fail, not vanish
pid = os.getpid()
while pid > 1:
    with open(f"/proc/{{pid}}/stat") as f:
        pid = int(f.read().rsplit(")", 1)[1].split()[1])
    if pid > 1 and pid not in spare:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
'''


def require_sandbox():
    problem = sandbox.bwrap_problem()
    if problem and os.environ.get("COURSE_REQUIRE_SANDBOX") != "1":
        pytest.skip(f"no sandbox here: {problem}")
    assert problem is None, problem


def ancestors() -> list[int]:
    """This process and its parents: what the killer must spare so that a failure shows as a failed test."""
    pids, pid = [], os.getpid()
    while pid > 1:
        pids.append(pid)
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return pids


def with_cell(built: Path, source: str, answers: list[str] = ()) -> nbformat.NotebookNode:
    """The handed-out worksheet with ``source`` as a cell after the setup cell (and the key's ``answers``)."""
    notebook = answered(built, NAME, list(answers))
    notebook.cells.insert(2, nbformat.v4.new_code_cell(source))
    return notebook


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    build_homework.main(["--dist", str(base / "dist"), "--student-dir", str(base / "student"),
                         str(ROOT / "instructor" / f"{NAME}.ipynb")])
    return base


@pytest.fixture(scope="module")
def attacked(built, tmp_path_factory):
    """The hostile class, graded with the one command; the summary read again after the daemon had time."""
    require_sandbox()
    folder, out = tmp_path_factory.mktemp("hostile"), tmp_path_factory.mktemp("results")
    everything = auto_questions(built, NAME)
    nbformat.write(answered(built, NAME, everything, written="An answer with a source."), folder / "honest.ipynb")
    nbformat.write(answered(built, NAME, ["q1", "q5"]), folder / "partial.ipynb")
    nbformat.write(with_cell(built, KEY_READER.format(dist=str(built / "dist"), root=str(ROOT))),
                   folder / "key_reader.ipynb")
    nbformat.write(with_cell(built, MONKEYPATCH), folder / "monkeypatch.ipynb")
    nbformat.write(with_cell(built, DAEMON.format(planted=str(PLANTED), grader_code=str(GRADER_CODE),
                                                  summary=str(out / "summary.csv"))), folder / "daemon.ipynb")
    nbformat.write(with_cell(built, KILLER.format(spare=ancestors())), folder / "killer.ipynb")
    grader_code = GRADER_CODE.read_bytes()
    try:
        done = subprocess.run([sys.executable, "-m", "natocourse.grading", str(folder), "--out", str(out),
                               "--dist", str(built / "dist"), "--sandbox", "bubblewrap", "--jobs", "2",
                               "--timeout", "240"], capture_output=True, text=True, cwd=ROOT)
        time.sleep(5)  # an escaped daemon would have rewritten summary.csv by now
        clone = {"planted": PLANTED.exists(), "grader code unchanged": GRADER_CODE.read_bytes() == grader_code}
    finally:  # whatever happened, leave the clone as it was
        PLANTED.unlink(missing_ok=True)
        if GRADER_CODE.read_bytes() != grader_code:
            GRADER_CODE.write_bytes(grader_code)
    summary = read_csv(out / "summary.csv")
    return done, summary, read_csv(out / "scores.csv"), clone


ATTACKS = ["key_reader", "monkeypatch", "daemon", "killer"]


@pytest.mark.grading
def test_the_grading_run_survives_the_attacks_and_grades_every_other_submission(attacked):
    done, summary, _, _ = attacked
    assert done.returncode == 0, done.stderr
    by_student = {row["student"]: row for row in summary}
    assert sorted(by_student) == sorted(ATTACKS + ["honest", "partial"])
    assert (by_student["honest"]["points"], by_student["honest"]["extension_points"], by_student["honest"]["flagged"]) \
        == ("7", "2", "")
    assert (by_student["partial"]["points"], by_student["partial"]["flagged"]) == ("3", "")
    assert all(row["protected"] == grading.PROTECTED for row in summary)


@pytest.mark.grading
@pytest.mark.parametrize("attack", ATTACKS)
def test_no_forged_score_is_accepted(attacked, attack):
    _, summary, scores, _ = attacked
    row = next(r for r in summary if r["student"] == attack)
    assert row["points"] == "0", row
    assert all(r["points"] in ("0", "") for r in scores if r["student"] == attack)


@pytest.mark.grading
@pytest.mark.parametrize("attack, reason", [
    ("key_reader", "files outside its folder"),
    ("monkeypatch", "the checks in its kernel and the re-check outside it disagree"),
    ("daemon", "processes"),
    ("killer", "its grading process was killed"),
])
def test_the_flagged_list_names_each_attack_first(attacked, attack, reason):
    done, summary, _, _ = attacked
    flagged = [row["student"] for row in summary if row["flagged"]]
    assert sorted(flagged) == sorted(ATTACKS)
    assert [row["student"] for row in summary[:len(ATTACKS)]] == flagged  # listed first
    assert reason in next(r for r in summary if r["student"] == attack)["flagged"]
    assert f"FLAGGED FOR REVIEW ({len(ATTACKS)})" in done.stdout and f"  {attack}: " in done.stdout


@pytest.mark.grading
def test_the_teachers_clone_is_unchanged(attacked):
    _, _, _, clone = attacked
    assert clone == {"planted": False, "grader code unchanged": True}


@pytest.mark.grading
def test_scores_and_summary_agree_even_after_the_daemon(attacked):
    _, summary, scores, _ = attacked
    for row in summary:
        points = sum(float(r["points"]) for r in scores if r["student"] == row["student"] and r["points"])
        assert float(row["points"]) + float(row["extension_points"]) == points, row["student"]  # main track + extension


@pytest.mark.grading
def test_without_a_sandbox_the_recheck_still_catches_the_monkeypatch_and_the_run_says_it_is_unprotected(
        built, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    nbformat.write(with_cell(built, MONKEYPATCH), folder / "monkeypatch.ipynb")
    nbformat.write(answered(built, NAME, ["q1", "q5"]), folder / "partial.ipynb")
    done = subprocess.run([sys.executable, "-m", "natocourse.grading", str(folder), "--out", str(out),
                           "--dist", str(built / "dist"), "--sandbox", "none", "--timeout", "240"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    summary = {row["student"]: row for row in read_csv(out / "summary.csv")}
    assert summary["monkeypatch"]["points"] == "0" and "disagree" in summary["monkeypatch"]["flagged"]
    assert summary["partial"]["points"] == "3" and summary["partial"]["flagged"] == ""
    assert {row["protected"] for row in summary.values()} == {grading.NOT_PROTECTED}
    assert "THESE GRADES ARE NOT PROTECTED" in done.stdout
    assert "graded WITHOUT A SANDBOX" in done.stderr
    assert grading.NOT_PROTECTED in (out / "written_answers.md").read_text(encoding="utf-8")
