"""Test-wide settings: a private quiz-progress file, so tests never touch a student's own answers."""
import os
import tempfile
from pathlib import Path

import pytest

# Set before any kernel starts: nbval's kernels and the browser test's JupyterLab inherit it.
os.environ["NATOCOURSE_PROGRESS"] = str(Path(tempfile.mkdtemp(prefix="natocourse-test-")) / "progress.json")
os.environ.setdefault("MPLBACKEND", "agg")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

# Damaged notebooks on purpose (tests/test_homework.py hands them to the grader): not for nbval to run.
collect_ignore_glob = ["tests/fixtures/*"]
# The links that let a notebook import the package (notebooks/natocourse -> ../natocourse): its doctests run
# once, from natocourse/ itself.
collect_ignore = ["notebooks/natocourse", "notebooks/homework/natocourse"]
