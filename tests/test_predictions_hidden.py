"""Predict first survives Run All: no lesson shows the answer of a prediction before Reveal is pressed.

For every lesson notebook (00-05) the notebook is run from a fresh kernel (nbclient), as Run All would; then, in
the same kernel, every prediction on screen (``natocourse.quiz.reset.on_screen``) is revealed with its public
``show_answer(save=False)``, capturing what it shows: the answer ("The record: ...") and the sentences under its
charts. None of that may appear in what Run All printed, nor in the committed outputs (what GitHub, nbviewer and a
student opening the notebook see); a number with its unit may not appear in the lesson's text either.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from natocourse.notebook_runner import NotebookRunner

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("0[0-5]_*.ipynb"))

# Reveal every prediction on screen, in key order, each after a marker line; what a reveal shows then lands in this
# cell's outputs (the prediction's own Output widget is set aside, so that nbclient records the outputs in order).
COLLECT = r'''
import contextlib as _contextlib, json as _json
from natocourse.quiz.progress import PREDICTIONS as _P
from natocourse.quiz.reset import on_screen as _on_screen
_found = []
for _view in sorted(_on_screen(_P), key=lambda v: v.key):
    print(f"@@PREDICTION {_view.key}", flush=True)
    _view.output = _contextlib.nullcontext()
    _view.show_answer(save=False)
    _found.append({"key": _view.key, "kind": _view.kind, "unit": _view.unit, "comparison": _view.comparison.value})
print("@@PREDICTIONS" + _json.dumps(_found), flush=True)
'''


def outputs_text(notebook) -> str:
    """Everything the code cells show: plain text, HTML and streams."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            for mime in ("text/plain", "text/html", "text/markdown"):
                value = output.get("data", {}).get(mime)
                if value:
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def record_of(comparison: str) -> str | None:
    """'... The record: 16 members</b>' -> '16 members'."""
    found = re.search(r"The record: (.*?)</b>", comparison)
    return found.group(1) if found else None


def giveaways(prediction: dict) -> list[str]:
    """The sentences that would give the prediction away: the sentences under its charts, and its answer
    (a number only with its unit: a bare year or count appears everywhere for other reasons)."""
    lines = []
    for text in prediction["shown"]:
        for line in str(text).splitlines():
            line = line.strip()
            if line.startswith("[Chart]"):
                line = line[len("[Chart]"):].strip()
            if len(line) > 30 and not line.startswith(("[Interactive]", "<", "Quiz:")):
                lines.append(line)
    answer = record_of(prediction["comparison"])
    if answer and (prediction["kind"] != "number" or prediction["unit"]):
        lines.append(answer)
    return lines


def contains(haystack: str, needle: str) -> bool:
    """Whole words only: "0 agreements" is not in "10 agreements"."""
    return re.search(r"(?<![\w.])" + re.escape(needle) + r"(?!\w)", haystack) is not None


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each lesson run from a fresh kernel, with its predictions then revealed in the same kernel."""
    done = {}
    for path in LESSONS:
        progress = tmp_path_factory.mktemp(path.stem) / "progress.json"
        notebook = nbformat.read(path, as_version=4)
        run = nbformat.read(path, as_version=4)
        run.cells.append(nbformat.v4.new_code_cell(COLLECT))
        monkey = pytest.MonkeyPatch()
        monkey.setenv("NATOCOURSE_PROGRESS", str(progress))  # no one's saved guesses come back
        monkey.delenv("NATOCOURSE_PRESENTER", raising=False)
        try:
            NotebookRunner(run, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            monkey.undo()
        predictions, shown, key = [], {}, None
        for output in run.cells[-1].outputs:
            texts = [output.get("text", "")] if output.get("output_type") == "stream" else \
                [output.get("data", {}).get("text/plain", "")]
            for text in texts:
                for line in str(text).splitlines():
                    if line.startswith("@@PREDICTIONS"):
                        predictions = json.loads(line[len("@@PREDICTIONS"):])
                    elif line.startswith("@@PREDICTION "):
                        key = line.split(" ", 1)[1].strip()
                    elif key:
                        shown.setdefault(key, []).append(line)
        for prediction in predictions:
            prediction["shown"] = shown.get(prediction["key"], [])
        run.cells.pop()
        done[path.name] = (notebook, run, predictions)
    return done


def test_every_lesson_has_its_predictions(runs):
    keys = {name: [p["key"] for p in predictions] for name, (_nb, _run, predictions) in runs.items()}
    for name, found in keys.items():
        assert found, f"{name} asks for no prediction"
        assert all(key.startswith(name[:2] + "_") for key in found), (name, found)
    every = [key for found in keys.values() for key in found]
    assert len(every) == len(set(every)), "prediction keys must be unique over the course"


def test_every_number_or_choice_prediction_has_an_answer_computed_on_reveal(runs):
    for name, (_nb, _run, predictions) in runs.items():
        for prediction in predictions:
            if prediction["kind"] != "text":
                assert record_of(prediction["comparison"]), (name, prediction["key"], prediction["comparison"])


@pytest.mark.parametrize("which", ["committed", "run all"])
def test_no_answer_is_shown_before_reveal(runs, which):
    for name, (committed, run, predictions) in runs.items():
        shown = outputs_text(committed if which == "committed" else run)
        for prediction in predictions:
            for line in giveaways(prediction):
                assert not contains(shown, line), (f"{name}: the {which} notebook shows the answer of "
                                                    f"{prediction['key']} before Reveal: {line!r}")


def test_no_number_answer_is_written_in_the_lesson_text(runs):
    for name, (committed, _run, predictions) in runs.items():
        text = "\n".join(c.source for c in committed.cells if c.cell_type == "markdown")
        for prediction in predictions:
            answer = record_of(prediction["comparison"])
            if prediction["kind"] == "number" and prediction["unit"] and answer:
                assert not contains(text, answer), f"{name}: the text gives away {prediction['key']}: {answer!r}"
