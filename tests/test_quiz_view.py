"""Quizzes that teach: feedback on the option chosen, tries, the first try scored, Show the answer, Reset, Export."""
import json
import weakref
from html import escape

import pytest

from natocourse.quiz.model import load_quiz
from natocourse.quiz.progress import PREDICTIONS, Progress
from natocourse.quiz.view import SHOW_AFTER, QuizView
from natocourse.widgets.predict import predict


@pytest.fixture(autouse=True)
def not_presenting(monkeypatch):
    monkeypatch.setattr("natocourse.quiz.progress._presenter", False)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "progress.json"


def view_of(path, name="start_here") -> QuizView:
    return QuizView(load_quiz(name), Progress(path))


def card(view: QuizView, kind: str):
    return next(c for c in view.cards if c.question.type == kind)


def right_index(question) -> int:
    return next(i for i, c in enumerate(question.choices) if c.correct)


def wrong_indexes(question) -> list[int]:
    return [i for i, c in enumerate(question.choices) if not c.correct]


def test_a_wrong_pick_explains_that_option_only_and_never_the_right_one(path):
    single = card(view_of(path), "single")
    q = single.question
    wrong = wrong_indexes(q)[0]
    single.control.index = wrong
    single.check()
    feedback = single.feedback.value
    assert escape(q.choices[wrong].why) in feedback
    right = q.choices[right_index(q)]
    assert escape(right.text) not in feedback and escape(right.why) not in feedback
    assert "Not chosen, but right" not in feedback
    assert "Not right yet (1 try)" in feedback and not single.check_button.disabled


def test_the_first_try_counts_and_the_card_shows_the_tries(path):
    view = view_of(path)
    single = card(view, "single")
    q = single.question
    single.control.index = wrong_indexes(q)[0]
    single.check()
    single.control.index = right_index(q)
    single.check()
    assert "Right on try 2." in single.feedback.value
    assert all(escape(c.why) in single.feedback.value for c in q.choices)  # every option explained once right
    assert "1 of 5 answered, 0 correct on the first try" in view.score.value
    assert single.check_button.disabled and single.control.disabled
    numeric = card(view, "numeric")
    numeric.control.value = str(int(numeric.question.answer))
    numeric.check()
    assert "Right first time." in numeric.feedback.value
    assert "2 of 5 answered, 1 correct on the first try" in view.score.value

    saved = json.loads(path.read_text(encoding="utf-8"))["start_here"][q.id]
    assert (saved["tries"], saved["first"], saved["first_answer"], saved["status"]) == (
        2, "incorrect", wrong_indexes(q)[0], "correct")
    reopened = view_of(path)
    again = card(reopened, "single")
    assert again.tries == 2 and again.first == "incorrect" and "Right on try 2." in again.feedback.value
    assert "1 correct on the first try" in reopened.score.value


def test_an_invalid_answer_is_not_a_try(path):
    numeric = card(view_of(path), "numeric")
    numeric.control.value = "about thirty"
    numeric.check()
    assert numeric.tries == 0 and numeric.first is None
    numeric.control.value = "31"
    numeric.check()
    assert numeric.tries == 1 and numeric.first == "incorrect"
    assert str(int(numeric.question.answer)) not in numeric.feedback.value  # "too low", not the number


def test_a_multiple_choice_hint_names_only_the_wrong_ticks(path):
    multiple = card(view_of(path), "multiple")
    q = multiple.question
    right = [i for i, c in enumerate(q.choices) if c.correct]
    wrong = wrong_indexes(q)
    multiple.control.children[right[0]].value = True
    multiple.control.children[wrong[0]].value = True
    multiple.check()
    feedback = multiple.feedback.value
    assert "Partly right" in feedback and escape(q.choices[wrong[0]].text) in feedback
    assert all(escape(q.choices[i].text) not in feedback for i in right)


def test_an_ordering_hint_counts_without_placing(path):
    order = card(view_of(path), "order")
    order.check()
    assert "items are in the right place" in order.feedback.value
    assert "✔" not in order.feedback.value and "✘" not in order.feedback.value


def test_show_the_answer_comes_after_three_wrong_tries(path):
    view = view_of(path)
    single = card(view, "single")
    q = single.question
    for attempt in range(SHOW_AFTER):
        assert single.show_button.layout.display == "none"
        single.control.index = wrong_indexes(q)[attempt % len(wrong_indexes(q))]
        single.check()
    assert single.show_button.layout.display != "none"
    single.show_button.click()
    feedback = single.feedback.value
    assert "The answer" in feedback and escape(f"✔ Right: “{q.choices[right_index(q)].text}”") in feedback
    assert f"Shown after {SHOW_AFTER} tries" in feedback and single.check_button.disabled
    assert "0 correct on the first try" in view.score.value
    again = card(view_of(path), "single")
    assert again.shown and "The answer" in again.feedback.value


def test_the_numeric_answer_shown_names_the_number(path):
    numeric = card(view_of(path), "numeric")
    for typed in ("1", "2", "3"):
        numeric.control.value = typed
        numeric.check()
    numeric.show_answer()
    assert f"{int(numeric.question.answer)} {numeric.question.unit}" in numeric.feedback.value


def test_an_answer_saved_before_tries_counts_as_one_try(path):
    quiz = load_quiz("start_here")
    single = next(q for q in quiz.questions if q.type == "single")
    path.write_text(json.dumps({"start_here": {single.id: {"answer": right_index(single), "status": "correct"}}}),
                    encoding="utf-8")
    view = QuizView(quiz, Progress(path))
    assert "Right first time." in card(view, "single").feedback.value
    assert "1 correct on the first try" in view.score.value


def test_damaged_tries_in_a_saved_answer_are_ignored(path):
    quiz = load_quiz("start_here")
    single = next(q for q in quiz.questions if q.type == "single")
    path.write_text(json.dumps({"start_here": {single.id: {
        "answer": 0, "status": "incorrect", "tries": "many", "first": ["x"], "first_answer": 99}}}),
        encoding="utf-8")
    restored = card(QuizView(quiz, Progress(path)), "single")
    assert restored.control.index == 0 and (restored.tries, restored.first) == (1, "incorrect")


def test_reset_my_answers_asks_first_then_erases_the_quiz_and_the_predictions(path, tmp_path, monkeypatch):
    monkeypatch.setattr("natocourse.quiz.reset.NOTEBOOK_DIR", tmp_path)  # no notebook: the kernel's predictions
    monkeypatch.setattr("natocourse.quiz.reset._on_screen", weakref.WeakSet())  # not those other tests left alive
    view = view_of(path)
    single = card(view, "single")
    single.control.index = right_index(single.question)
    single.check()
    guess = predict("99_reset_test", "How many?", lambda: None, kind="number", progress=view.progress)
    guess.guess.value = "3"
    guess.reveal_button.click()
    actions = view.children[-1]
    actions.reset.click()
    assert actions.confirm_row.layout.display == "flex"
    assert Progress(path).get("start_here", single.question.id) is not None  # nothing erased yet
    actions.confirm.click()
    assert escape('Erased the saved answers to the quiz "start_here" and 1 prediction.') in actions.message.value
    assert single.result is None and single.control.index is None and not single.check_button.disabled
    assert "0 of 5 answered" in view.score.value
    assert guess.guess.value == "" and not guess.revealed
    after = Progress(path)
    assert after.get("start_here", single.question.id) is None and after.get(PREDICTIONS, "99_reset_test") is None


def test_presenter_mode_shows_no_saved_answer_and_saves_none(path, monkeypatch):
    first = card(view_of(path), "single")
    first.control.index = 0
    first.check()
    monkeypatch.setattr("natocourse.quiz.progress._presenter", True)
    projected = card(view_of(path), "single")
    assert projected.control.index is None and projected.feedback.value == ""
    projected.control.index = 1
    projected.check()
    monkeypatch.setattr("natocourse.quiz.progress._presenter", False)
    assert Progress(path).get("start_here", first.question.id)["answer"] == 0


def test_export_my_answers_writes_a_small_versioned_file(path, tmp_path):
    view = view_of(path)
    single = card(view, "single")
    single.control.index = wrong_indexes(single.question)[0]
    single.check()
    actions = view.children[-1]
    actions.student.value = "Ana María"
    written = actions.write(tmp_path / "my-answers")
    assert written.parent == tmp_path / "my-answers" and written.name.startswith("start_here-ana-mar-a-")
    assert "Exported to" in actions.message.value
    record = json.loads(written.read_text(encoding="utf-8"))
    assert record["format"] == "natocourse-quiz-answers" and record["version"] == 1
    assert record["student"] == "Ana María" and record["quiz"] == "start_here"
    row = next(r for r in record["questions"] if r["id"] == single.question.id)
    assert row == {"id": single.question.id, "prompt": single.question.prompt, "first": "incorrect", "tries": 1,
                   "first_answer": single.question.choices[wrong_indexes(single.question)[0]].text,
                   "right": False, "shown": False}
    assert len(written.read_bytes()) < 10_000
    assert actions.write(tmp_path / "my-answers") != written  # a second export never overwrites the first


def test_an_export_that_cannot_be_written_says_so(path, tmp_path):
    view = view_of(path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    actions = view.children[-1]
    assert actions.write(blocker / "my-answers") is None
    assert "could not be exported" in actions.message.value and "Traceback" not in actions.message.value
