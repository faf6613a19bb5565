"""Quiz files, marking, the widget view, and the progress file that keeps answers."""
import errno
import json
import os
import textwrap
from pathlib import Path

import pytest

from natocourse.quiz.progress import Progress
from natocourse.quiz.model import QUIZ_DIR, QuizError, load_quiz, parse_number
from natocourse.quiz.view import QuizView

QUIZZES = sorted(p.stem for p in QUIZ_DIR.glob("*.yaml"))


@pytest.mark.parametrize("name", QUIZZES)
def test_every_quiz_file_loads(name):
    quiz = load_quiz(name)
    assert quiz.questions


@pytest.mark.parametrize("name", QUIZZES)
def test_every_quiz_has_a_right_answer_a_student_can_reach(name):
    for question in load_quiz(name).questions:
        if question.type == "single":
            answer = next(i for i, c in enumerate(question.choices) if c.correct)
        elif question.type == "multiple":
            answer = [i for i, c in enumerate(question.choices) if c.correct]
        elif question.type == "numeric":
            answer = str(question.answer)
        else:
            answer = list(range(len(question.choices)))
        assert question.check(answer).correct, question.id


def test_start_quiz_covers_all_four_question_types():
    assert {q.type for q in load_quiz("start_here").questions} == {"single", "multiple", "numeric", "order"}


# ---------------------------------------------------------------- marking

@pytest.fixture
def questions():
    return {q.type + ("2" if q.type == "single" and i else ""): q
            for i, q in enumerate(load_quiz("start_here").questions)}


def test_single_choice_explains_every_option_with_its_source(questions):
    q = questions["single"]
    wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
    result = q.check(wrong)
    assert result.status == "incorrect"
    assert len(result.explanations) == len(q.choices)
    assert all(source for _text, source in result.explanations)
    assert result.explanations[wrong][0].startswith("✘ Your choice, but wrong:")


def test_multiple_choice_gives_partial_credit_feedback(questions):
    q = questions["multiple"]
    right = [i for i, c in enumerate(q.choices) if c.correct]
    wrong = [i for i, c in enumerate(q.choices) if not c.correct]
    assert q.check(right[:1]).status == "partly"
    assert q.check(right + wrong[:1]).headline.endswith("and 1 wrong one(s).")
    assert q.check(wrong).status == "incorrect"
    assert q.check([]).status == "invalid"


def test_numeric_answer_within_tolerance_is_right(questions):
    q = questions["numeric"]
    assert q.check("32").correct
    assert q.check(" 32 members").correct
    assert q.check("31").headline == "Not quite: 31 is too low."


def test_wrongly_typed_number_gets_feedback_not_a_crash(questions):
    result = questions["numeric"].check("about thirty")
    assert result.status == "invalid"
    assert result.headline.startswith("Your answer should be a number of member countries, written in digits")
    assert 'you entered "about thirty"' in result.headline


@pytest.mark.parametrize("typed, value", [("1,300", 1300), ("1 300 km", 1300), ("-2.5", -2.5), ("42", 42),
                                          ("thirteen hundred", None), ("", None), ("1.3.4", None)])
def test_parse_number(typed, value):
    assert parse_number(typed) == value


def test_ordering_counts_items_in_place(questions):
    q = questions["order"]
    n = len(q.choices)
    swapped = list(range(n))
    swapped[0], swapped[1] = 1, 0
    result = q.check(swapped)
    assert result.headline == f"Not quite: {n - 2} of {n} items are in the right place."
    assert result.explanations[0][0].startswith("✘ 1.")
    assert q.check([0] * n).status == "invalid"


def test_ordering_question_never_starts_in_the_right_order(questions):
    q = questions["order"]
    assert q.shuffled_order() != list(range(len(q.choices)))
    assert q.shuffled_order() == q.shuffled_order()


# ---------------------------------------------------------------- malformed quiz files

def write_quiz(folder: Path, text: str) -> Path:
    (folder / "broken.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


GOOD_QUESTION = """\
      - id: q1
        type: single
        prompt: Which?
        source: depetris2021
        options:
          - {text: A, correct: true, why: because}
          - {text: B, why: because not}
"""


@pytest.mark.parametrize("body, expected", [
    ("title: [unclosed\n", "is not valid YAML at line"),
    ("questions: []\n", "the quiz has no 'title'"),
    ("title: T\nquestions: []\n", "expected a non-empty list under 'questions'"),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace("type: single", "type: essay"),
     'question "q1": the type "essay" is not one of single, multiple, numeric, order'),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace("depetris2021", "wikipedia"),
     'question "q1": the source "wikipedia" is not a source_id in data/sources.csv'),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace("why: because not", "correct: true, why: no"),
     'question "q1": a single-choice question needs exactly one option marked \'correct: true\' (found 2)'),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace(", why: because}", "}"),
     'question "q1": option 1 needs both \'text\' and \'why\''),
    ("title: T\nquestions:\n" + GOOD_QUESTION + GOOD_QUESTION,
     'question "q1": this id is used by an earlier question'),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace("        prompt: Which?\n", ""),
     'question "q1": the key \'prompt\' is missing or empty'),
    ("title: T\nquestions:\n  - id: n1\n    type: numeric\n    prompt: How many?\n    source: depetris2021\n"
     "    answer: lots\n    tolerance: 0\n    unit: km\n    why: w\n",
     'question "n1": a numeric question needs a number under \'answer\''),
    ("title: T\nquestions:\n" + GOOD_QUESTION.replace("correct: true", "correct: yes please"),
     "'correct' must be true or false"),
])
def test_malformed_quiz_names_file_question_and_problem(tmp_path, body, expected):
    with pytest.raises(QuizError) as caught:
        load_quiz("broken", write_quiz(tmp_path, body))
    message = str(caught.value)
    assert message.startswith(f"Quiz file {tmp_path / 'broken.yaml'}")
    assert expected in message


def test_missing_quiz_lists_the_quizzes_that_exist():
    with pytest.raises(QuizError, match=r"data/quizzes/nonesuch.yaml does not exist \(quizzes found: .*start_here"):
        load_quiz("nonesuch")


# ---------------------------------------------------------------- the widget view

def test_quiz_view_saves_every_check_and_restores_it(tmp_path):
    path = tmp_path / "progress.json"
    view = QuizView(load_quiz("start_here"), Progress(path))
    cards = [c for c in view.children if hasattr(c, "question")]
    numeric = next(c for c in cards if c.question.type == "numeric")
    numeric.control.value = "about thirty"
    assert numeric.check().status == "invalid"
    assert "you entered" in numeric.feedback.value
    single = cards[0]
    single.control.index = next(i for i, c in enumerate(single.question.choices) if c.correct)
    single.check()
    assert "Correct." in single.feedback.value and "Source:" in single.feedback.value
    assert "2 of 5 answered, 1 correct" in view.score.value

    reopened = QuizView(load_quiz("start_here"), Progress(path))
    cards = [c for c in reopened.children if hasattr(c, "question")]
    assert next(c for c in cards if c.question.type == "numeric").control.value == "about thirty"
    assert cards[0].control.index == single.control.index
    assert "your saved answer" in cards[0].feedback.value


def cards_of(view: QuizView) -> dict:
    return {card.question.id: card for card in view.cards}


def test_saved_option_beyond_the_options_starts_afresh_and_says_so(tmp_path):
    """A teacher deleted an option: the saved option number no longer exists."""
    path = tmp_path / "progress.json"
    quiz = load_quiz("start_here")
    single = next(q for q in quiz.questions if q.type == "single")
    multiple = next(q for q in quiz.questions if q.type == "multiple")
    path.write_text(json.dumps({"start_here": {
        single.id: {"answer": len(single.choices), "status": "correct"},
        multiple.id: {"answer": [0, len(multiple.choices) + 3], "status": "partly"}}}), encoding="utf-8")
    view = QuizView(quiz, Progress(path))
    for question in (single, multiple):
        card = cards_of(view)[question.id]
        assert "has changed since you answered it" in card.feedback.value
        assert "answer it again" in card.feedback.value
        assert card.result is None
    assert cards_of(view)[single.id].control.index is None
    assert "0 of 5 answered, 0 correct" in view.score.value


def test_edited_options_start_afresh_even_when_the_number_still_exists(tmp_path):
    """Options reworded or reordered: the saved fingerprint no longer matches, so the old choice is not shown."""
    path = tmp_path / "progress.json"
    quiz = load_quiz("start_here")
    single = next(q for q in quiz.questions if q.type == "single")
    path.write_text(json.dumps({"start_here": {
        single.id: {"answer": 0, "status": "incorrect", "options": "from-an-older-quiz"}}}), encoding="utf-8")
    card = cards_of(QuizView(quiz, Progress(path)))[single.id]
    assert "has changed since you answered it" in card.feedback.value and card.control.index is None


def test_an_answer_saved_before_fingerprints_is_still_restored(tmp_path):
    path = tmp_path / "progress.json"
    quiz = load_quiz("start_here")
    order = next(q for q in quiz.questions if q.type == "order")
    saved = list(reversed(range(len(order.choices))))
    path.write_text(json.dumps({"start_here": {order.id: {"answer": saved, "status": "incorrect"}}}),
                    encoding="utf-8")
    card = cards_of(QuizView(quiz, Progress(path)))[order.id]
    assert card.order == saved and "your saved answer" in card.feedback.value


def test_a_failed_save_is_shown_in_the_card_and_the_answer_kept(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    view = QuizView(load_quiz("start_here"), Progress(path))
    card = view.cards[0]
    card.control.index = 0

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    card.check()
    assert "could not be saved: the disk is full" in card.feedback.value
    assert "Traceback" not in card.feedback.value
    assert "1 of 5 answered" in view.score.value
    monkeypatch.undo()
    second = view.cards[1]
    second.control.children[0].value = True
    second.check()
    assert "could not be saved" not in second.feedback.value
    saved = json.loads(path.read_text(encoding="utf-8"))["start_here"]
    assert saved[card.question.id]["answer"] == 0  # the kept answer went to disk with the next save
    assert saved[card.question.id]["options"] == card.question.fingerprint


def test_ordering_arrows_move_items(tmp_path):
    view = QuizView(load_quiz("start_here"), Progress(tmp_path / "p.json"))
    card = next(c for c in view.children if getattr(c, "question", None) and c.question.type == "order")
    first, second = card.order[:2]
    card.control.children[0].children[1].click()  # the first row's "move down" arrow
    assert card.order[:2] == [second, first]


def test_quiz_view_shows_a_notice_when_progress_was_damaged(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("not json", encoding="utf-8")
    view = QuizView(load_quiz("start_here"), Progress(path))
    assert any("could not be read" in getattr(c, "value", "") for c in view.children)


def test_quiz_view_has_a_plain_text_form_for_readers_without_a_kernel(tmp_path):
    view = QuizView(load_quiz("start_here"), Progress(tmp_path / "p.json"))
    assert repr(view).startswith("Quiz: First steps")


def test_enlargement_quiz_numbers_are_the_ones_the_notebook_computes():
    from natocourse.data import load_table
    from natocourse.models.enlargement import enlargement_per_year

    per_year = enlargement_per_year(load_table("members"), last_year=2024).set_index("year")
    questions = {q.id: q for q in load_quiz("enlargement").questions}
    assert questions["border-today"].answer == round(per_year.loc[2024, "border_km"])
    nearest = questions["nearest-capital"]
    right = next(c.text for c in nearest.choices if c.correct)
    assert right == per_year.loc[2004, "nearest_capital"] == per_year.loc[2024, "nearest_capital"]
    assert f"about {round(per_year.loc[2024, 'moscow_km'], -1):,.0f} km" in next(c.why for c in nearest.choices if c.correct)


# ---------------------------------------------------------------- hints: feedback that does not give the answer

@pytest.mark.parametrize("name", QUIZZES)
def test_a_wrong_answer_s_hints_never_explain_a_right_option(name):
    for question in load_quiz(name).questions:
        if question.type not in ("single", "multiple"):
            continue
        right_whys = {c.why for c in question.choices if c.correct}
        for index, choice in enumerate(question.choices):
            if choice.correct:
                continue
            result = question.check(index if question.type == "single" else [index])
            assert len(result.hints) == 1 and choice.why in result.hints[0][0]
            assert not any(why in hint for why in right_whys for hint, _source in result.hints), question.id


def test_numeric_and_ordering_hints_are_empty(questions):
    assert questions["numeric"].check("31").hints == ()
    assert questions["order"].check(list(reversed(range(len(questions["order"].choices))))).hints == ()


def test_the_answer_key_and_readable_answers(questions):
    single, numeric, order = questions["single"], questions["numeric"], questions["order"]
    key = single.answer_key()
    assert sum(text.startswith("✔ Right:") for text, _source in key) == 1
    assert numeric.answer_key()[0][0].startswith("32 member countries.")
    assert order.answer_key()[0][0].startswith("1. Twelve states found NATO")
    assert single.readable(0) == single.choices[0].text
    assert questions["multiple"].readable([1, 0]) == " + ".join(c.text for c in questions["multiple"].choices[:2])
    assert order.readable([1, 0, 2, 3, 4]).startswith(order.choices[1].text + " → ")
    assert numeric.readable(" 31 ") == "31" and numeric.readable(None) == "(no answer)"
