"""Reset my answers: one notebook, one quiz or all; the notebook's predictions go with its quiz."""
import json

import nbformat
import pytest

import natocourse.quiz.reset as reset_module
from natocourse.errors import InputError
from natocourse.quiz import reset_answers
from natocourse.quiz.progress import PREDICTIONS, Progress


@pytest.fixture(autouse=True)
def not_presenting(monkeypatch):
    monkeypatch.setattr("natocourse.quiz.progress._presenter", False)


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    """A course with two notebooks, each with a quiz and predictions."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name, quiz, keys in (("00_start_here", "start_here", ["00_members_1990", "00_next"]),
                             ("01_enlargement_timeline", "enlargement", ["01_waves"])):
        cells = [nbformat.v4.new_code_cell(f'predict("{key}", "A question?", lambda: None)') for key in keys]
        cells.append(nbformat.v4.new_code_cell(f'course.show_quiz("{quiz}")'))
        nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / f"{name}.ipynb")
    monkeypatch.setattr(reset_module, "NOTEBOOK_DIR", folder)
    return folder


@pytest.fixture
def progress(tmp_path):
    progress = Progress(tmp_path / "progress.json")
    for quiz, question in (("start_here", "q1"), ("start_here", "q2"), ("enlargement", "q1")):
        progress.save(quiz, question, 1, "correct")
    for key in ("00_members_1990", "00_next", "01_waves"):
        progress.save(PREDICTIONS, key, 3, "revealed")
    return progress


def on_disk(progress) -> dict:
    return json.loads(progress.path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["00_start_here", "00_start_here.ipynb", "start_here"])
def test_one_notebook_or_its_quiz_erases_the_quiz_and_the_notebook_s_predictions(notebooks, progress, name):
    said = reset_answers(name, progress)
    assert said == 'Erased the saved answers to the quiz "start_here" and 2 predictions.'
    assert on_disk(progress) == {"enlargement": {"q1": progress.answers["enlargement"]["q1"]},
                                 PREDICTIONS: {"01_waves": progress.answers[PREDICTIONS]["01_waves"]}}


def test_a_notebook_given_by_its_path(notebooks, progress):
    reset_answers(str(notebooks / "01_enlargement_timeline.ipynb"), progress)
    assert set(on_disk(progress)) == {"start_here", PREDICTIONS}
    assert set(on_disk(progress)[PREDICTIONS]) == {"00_members_1990", "00_next"}


def test_everything(notebooks, progress):
    assert reset_answers(None, progress) == "Erased every saved answer and prediction."
    assert on_disk(progress) == {} and Progress(progress.path).answers == {}


def test_a_quiz_whose_file_has_gone_can_still_be_reset(notebooks, progress):
    progress.save("old_quiz", "q", 0, "incorrect")
    assert reset_answers("old_quiz", progress) == 'Erased the saved answers to the quiz "old_quiz".'
    assert "old_quiz" not in on_disk(progress)


def test_a_mistyped_name_gets_a_sentence(notebooks, progress):
    with pytest.raises(InputError, match='"start_hre" is not a quiz or notebook the course knows. '
                                         'Did you mean "start_here"'):
        reset_answers("start_hre", progress)
    assert len(on_disk(progress)) == 3


def test_a_notebook_that_is_not_json_has_nothing_to_reset(tmp_path, progress, monkeypatch):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json")
    assert reset_answers(str(broken), progress) == f'Erased nothing: "{broken}" shows no quiz and no prediction.'


def test_a_failed_reset_says_why(notebooks, progress, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(progress.path.parent))

    monkeypatch.setattr("natocourse.quiz.progress.write_atomically", refuse)
    said = reset_answers(None, progress)
    assert said.startswith("Your saved answers could not be erased: ")


def test_in_presenter_mode_a_reset_leaves_the_saved_answers_alone(notebooks, progress, monkeypatch):
    monkeypatch.setattr("natocourse.quiz.progress._presenter", True)
    assert reset_answers(None, progress).startswith("Presenter mode: the answers on screen were cleared")
    monkeypatch.setattr("natocourse.quiz.progress._presenter", False)
    assert len(on_disk(progress)) == 3
