"""The prediction widget: nothing revealed before Reveal (not even by Run All), guesses saved and restored."""
import json
import os

import nbformat
import pytest

from natocourse.errors import CourseError, InputError
from natocourse.notebook_runner import NotebookRunner
from natocourse.quiz import presenter_mode, reset_answers
from natocourse.quiz.progress import PREDICTIONS, Progress
from natocourse.widgets.predict import HINT, predict

SECRET = "SECRET-CHART-4242"


@pytest.fixture
def progress(tmp_path):
    return Progress(tmp_path / "progress.json")


@pytest.fixture(autouse=True)
def not_presenting(monkeypatch):
    """Presenter mode off, and back to what the environment says after the test."""
    monkeypatch.setattr("natocourse.quiz.progress._presenter", False)


class Chart:
    """A reveal function that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1


def test_reveal_is_not_called_before_the_click(progress):
    chart = Chart()
    widget = predict("t_1", "How many?", chart, kind="number", answer=lambda: 16, progress=progress)
    assert chart.calls == 0 and widget.comparison.value == ""
    assert widget.reveal_button.disabled
    widget.guess.value = "14"
    assert chart.calls == 0 and not widget.reveal_button.disabled
    widget.reveal_button.click()
    assert chart.calls == 1
    assert "Your guess: 14 · The record: 16" in widget.comparison.value
    assert widget.guess.disabled and widget.reveal_button.disabled


def test_reveal_without_a_guess_is_for_the_teacher_who_ticks_it(progress):
    chart = Chart()
    widget = predict("t_2", "Which one?", chart, kind="choice", options=["a", "b"], answer=lambda: "b",
                     progress=progress)
    assert widget.reveal_button.disabled
    widget.without_guess.value = True
    assert not widget.reveal_button.disabled
    widget.reveal_button.click()
    assert chart.calls == 1 and "Your guess: no guess · The record: b" in widget.comparison.value
    assert progress.get(PREDICTIONS, "t_2")["answer"] is None


@pytest.mark.parametrize("typed", ["about ten", "12 or 13", "twelve", "-"])
def test_a_guess_that_is_not_a_number_gets_a_sentence(progress, typed):
    widget = predict("t_3", "How many?", Chart(), kind="number", progress=progress)
    widget.guess.value = typed
    assert "should be a number written in digits" in widget.message.value
    assert "Traceback" not in widget.message.value
    assert widget.reveal_button.disabled
    widget.guess.value = "1,300 km"
    assert widget.message.value == "" and widget.value() == 1300


def test_a_text_guess_can_be_the_class_guess(progress):
    widget = predict("t_4", "What happens next?", Chart(), progress=progress)
    widget.guess.value = "   "
    assert widget.reveal_button.disabled
    widget.guess.value = "class guess: both arm"
    assert not widget.reveal_button.disabled


def test_the_guess_is_saved_and_restored_with_the_reveal(progress, tmp_path):
    widget = predict("t_5", "How many?", Chart(), kind="number", unit="members", answer=lambda: 16.0,
                     progress=progress)
    widget.guess.value = "14"
    widget.reveal_button.click()
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))[PREDICTIONS]["t_5"]
    assert saved["answer"] == 14 and saved["status"] == "revealed" and saved["kind"] == "number"

    chart = Chart()
    again = predict("t_5", "How many?", chart, kind="number", unit="members", answer=lambda: 16.0,
                    progress=Progress(tmp_path / "progress.json"))
    assert again.guess.value == "14" and again.guess.disabled
    assert chart.calls == 1  # revealed before, so shown again
    assert "Your guess: 14 members · The record: 16 members" in again.comparison.value
    assert "your saved guess" in again.message.value


def test_a_saved_guess_not_yet_revealed_comes_back_unrevealed(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({PREDICTIONS: {"t_6": {"answer": "b", "status": "guessed"}}}), encoding="utf-8")
    chart = Chart()
    widget = predict("t_6", "Which?", chart, kind="choice", options=["a", "b"], progress=Progress(path))
    assert widget.guess.value == "b" and chart.calls == 0 and not widget.reveal_button.disabled


def test_presenter_mode_neither_restores_nor_saves(progress, tmp_path):
    widget = predict("t_7", "How many?", Chart(), kind="number", progress=progress)
    widget.guess.value = "3"
    widget.reveal_button.click()
    presenter_mode(True)
    chart = Chart()
    shown = predict("t_7", "How many?", chart, kind="number", progress=Progress(tmp_path / "progress.json"))
    assert shown.guess.value == "" and chart.calls == 0
    shown.guess.value = "99"
    shown.reveal_button.click()
    presenter_mode(False)
    assert Progress(tmp_path / "progress.json").get(PREDICTIONS, "t_7")["answer"] == 3


def test_presenter_mode_from_the_environment(monkeypatch):
    monkeypatch.setattr("natocourse.quiz.progress._presenter", None)  # never set: the environment decides
    monkeypatch.setenv("NATOCOURSE_PRESENTER", "1")
    assert presenter_mode()
    monkeypatch.setenv("NATOCOURSE_PRESENTER", "0")
    assert not presenter_mode()


def test_reset_erases_the_guess_on_disk_and_on_screen(progress, tmp_path):
    chart = Chart()
    widget = predict("t_8", "How many?", chart, kind="number", answer=lambda: 2, progress=progress)
    widget.guess.value = "1"
    widget.reveal_button.click()
    assert reset_answers(progress=progress) == "Erased every saved answer and prediction."
    assert widget.guess.value == "" and not widget.guess.disabled and widget.comparison.value == ""
    assert widget.reveal_button.disabled and not widget.revealed
    assert Progress(tmp_path / "progress.json").get(PREDICTIONS, "t_8") is None
    widget.guess.value = "2"
    widget.reveal_button.click()
    assert chart.calls == 2


def test_a_course_error_in_the_chart_is_a_sentence(progress, capsys):
    def broken():
        raise CourseError("The year 1066 is outside the data (1949-2024).")

    widget = predict("t_9", "How many?", broken, kind="text", progress=progress)
    widget.guess.value = "many"
    widget.reveal_button.click()
    assert "outside the data" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, message", [
    (dict(key="", prompt="p", reveal=print), "needs a key"),
    (dict(key="k", prompt="p", reveal=print, kind="numbr"), 'Did you mean "number"'),
    (dict(key="k", prompt="p", reveal=print, kind="choice"), "at least two options"),
    (dict(key="k", prompt="p", reveal="the chart"), "must be functions"),
    (dict(key="k", prompt="p", reveal=print, answer=16), "must be functions"),
])
def test_a_wrong_call_gets_a_sentence(kwargs, message):
    with pytest.raises(InputError, match=message):
        predict(**kwargs)


def test_the_plain_text_form_is_the_prompt_and_the_hint_whatever_its_length(progress):
    prompt = "How many members did NATO have at the end of 1990, the year Germany was unified? " * 2
    widget = predict("t_10", prompt, Chart(), kind="number", answer=lambda: 16, progress=progress)
    assert widget._repr_mimebundle_()["text/plain"] == f"{prompt}\n{HINT}"


NOTEBOOK_CELLS = [
    "from natocourse.widgets.predict import predict\nfrom IPython.display import display",
    f"def chart():\n    print('{SECRET}')\n    display({{'text/plain': 'The chart: {SECRET}'}}, raw=True)",
    "predict('t_run_all', 'How many members?', chart, kind='number', answer=lambda: 4242.5)",
    "predict('t_run_all_2', 'Which?', chart, kind='choice', options=['a', 'b'], answer=lambda: 'b')",
]


def shown(notebook) -> str:
    """Every output of a notebook, and the widget state nbclient stores in its metadata, as text."""
    return json.dumps([cell.outputs for cell in notebook.cells] + [notebook.metadata], ensure_ascii=False)


def run_all(tmp_path, progress_file):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    env_before = os.environ.get("NATOCOURSE_PROGRESS")
    os.environ["NATOCOURSE_PROGRESS"] = str(progress_file)
    try:
        NotebookRunner(notebook, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is None:
            del os.environ["NATOCOURSE_PROGRESS"]
        else:
            os.environ["NATOCOURSE_PROGRESS"] = env_before
    return notebook


def test_run_all_in_a_real_kernel_shows_no_answer(tmp_path):
    notebook = run_all(tmp_path, tmp_path / "progress.json")
    everything = shown(notebook)
    for secret in (SECRET, "4242", "4,242", "The record"):
        assert secret not in everything
    outputs = [o for cell in notebook.cells for o in cell.outputs]
    plain = [o["data"]["text/plain"] for o in outputs if "data" in o]
    assert plain == [f"How many members?\n{HINT}", f"Which?\n{HINT}"]
    assert not any(o.get("output_type") == "error" for o in outputs)


def test_run_all_shows_a_prediction_the_student_already_revealed(tmp_path):
    """Documented: a saved, revealed prediction is revealed again (never in a fresh progress file)."""
    progress_file = tmp_path / "progress.json"
    progress_file.write_text(json.dumps({PREDICTIONS: {"t_run_all": {"answer": 3, "status": "revealed"}}}))
    notebook = run_all(tmp_path, progress_file)
    everything = shown(notebook)
    assert SECRET in everything and "Your guess: 3 · The record: 4242.5" in everything


def test_an_answer_computed_with_numpy_reads_plainly(progress):
    import numpy as np

    widget = predict("t_11", "How far?", Chart(), kind="number", unit="km", answer=lambda: np.int64(1300),
                     progress=progress)
    widget.guess.value = "1000.5"
    widget.reveal_button.click()
    assert "Your guess: 1000.5 km · The record: 1300 km" in widget.comparison.value


@pytest.mark.parametrize("unit, answer, expected", [
    ("", 2004, "Your guess: 2000 · The record: 2004"),  # a year, not 2,004
    ("km", 12500.0, "Your guess: 2000 km · The record: 12,500 km"),
    ("%", 33, "Your guess: 2000% · The record: 33%"),
])
def test_numbers_read_as_a_class_reads_them(progress, unit, answer, expected):
    widget = predict("t_12", "When?", Chart(), kind="number", unit=unit, answer=lambda: answer, progress=progress)
    widget.guess.value = "2000"
    widget.reveal_button.click()
    assert expected in widget.comparison.value


def test_a_sentence_guess_stays_beside_what_is_revealed(progress):
    widget = predict("t_13", "Who will call it a provocation?", Chart(), progress=progress)
    widget.guess.value = "Moscow <b>and</b> some realists"
    widget.reveal_button.click()
    assert widget.comparison.value == "<p><b>Your guess:</b> Moscow &lt;b&gt;and&lt;/b&gt; some realists</p>"
