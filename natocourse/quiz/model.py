"""Quiz files: load them, check that they make sense, and mark answers.

A quiz is a YAML file in ``data/quizzes/``. Questions are data, not code; four
types exist:

- ``single``: one correct option; every option says ``why``.
- ``multiple``: several correct options; every option says ``why``.
- ``numeric``: an ``answer``, a ``tolerance`` and a ``unit``.
- ``order``: ``items`` listed in the correct order, each with its ``why``;
  students see them shuffled.

Every question names a ``source`` (a source_id of data/sources.csv); an option
or item may name its own.

A wrong answer is marked with ``hints``: feedback on what the student chose
(the ``why`` of each wrong option picked) that never names the right answer,
so the student can try again. ``explanations`` explain every option and are
shown once the answer is right or the student asks to see it (``view``).

>>> question = load_quiz("start_here").questions[0]
>>> question.type
'single'
>>> question.check(1).status, question.check(1).headline
('correct', 'Correct.')
>>> wrong = question.check(0)
>>> wrong.status, len(wrong.hints), len(wrong.explanations)
('incorrect', 1, 3)
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..data import DATA_DIR, load_table
from ..errors import CourseError

QUIZ_DIR = DATA_DIR / "quizzes"
TYPES = ("single", "multiple", "numeric", "order")


class QuizError(CourseError):
    """A quiz file is malformed; the message names the file, the question and the problem."""


@dataclass(frozen=True)
class Choice:
    """An option of a choice question, or an item of an ordering question."""

    text: str
    why: str
    source: str
    correct: bool = False


@dataclass(frozen=True)
class Result:
    """The marking of one answer: status, a headline, and an explanation per option."""

    status: str  # "correct", "partly", "incorrect" or "invalid" (not a usable answer; nothing marked)
    headline: str
    explanations: tuple[tuple[str, str], ...] = ()  # (explanation, source_id) per option or item
    hints: tuple[tuple[str, str], ...] = ()  # what may be shown before the answer is: the wrong picks explained

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    source: str
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    why: str = ""

    def check(self, answer) -> Result:
        """Mark an answer: an option index (single), a set of indexes (multiple),
        the text a student typed (numeric), or item indexes in the student's order (order)."""
        return {"single": self._check_single, "multiple": self._check_multiple,
                "numeric": self._check_numeric, "order": self._check_order}[self.type](answer)

    def source_ids(self) -> list[str]:
        return list(dict.fromkeys([self.source, *(c.source for c in self.choices)]))

    def answer_key(self) -> tuple[tuple[str, str], ...]:
        """The right answer, explained: every option marked right or wrong, the number, or the order."""
        if self.type == "numeric":
            return ((f"{_number(self.answer)} {self.unit}. {self.why}", self.source),)
        if self.type == "order":
            return tuple((f"{place}. {c.text}: {c.why}", c.source) for place, c in enumerate(self.choices, 1))
        return tuple((f"{'✔ Right' if c.correct else '✘ Wrong'}: “{c.text}” {c.why}", c.source)
                     for c in self.choices)

    def readable(self, answer) -> str:
        """An answer as a teacher reads it: the option's text, the number typed, the items in order."""
        if answer is None or answer == []:
            return "(no answer)"
        if self.type == "numeric":
            return str(answer).strip()
        if self.type == "single":
            return self.choices[answer].text
        joiner = " + " if self.type == "multiple" else " → "
        return joiner.join(self.choices[i].text for i in (sorted(answer) if self.type == "multiple" else answer))

    @property
    def fingerprint(self) -> str:
        """A short digest of what a saved answer points at: the type and the options' texts, in order."""
        texts = "\n".join([self.type, *(c.text for c in self.choices)])
        return hashlib.sha256(texts.encode("utf-8")).hexdigest()[:12]

    def fits(self, answer) -> bool:
        """Whether a saved answer still fits this question (its option numbers exist, its items are all there)."""
        n = len(self.choices)
        if self.type == "numeric":
            return answer is None or isinstance(answer, (str, int, float))
        if self.type == "single":
            return answer is None or _index(answer, n)
        if not isinstance(answer, list) or not all(_index(i, n) for i in answer):
            return False
        return len(set(answer)) == len(answer) and (self.type == "multiple" or len(answer) == n)

    def shuffled_order(self) -> list[int]:
        """The order an ordering question's items are first shown in: shuffled, the same every run."""
        order = list(range(len(self.choices)))
        shuffler = random.Random(self.id)
        while order == sorted(order):
            shuffler.shuffle(order)
        return order

    def _check_single(self, index) -> Result:
        if index is None:
            return Result("invalid", "Choose one of the options first.")
        chosen = self.choices[index]
        headline = "Correct." if chosen.correct else "Not quite."
        explanations = tuple(_explain(c, c.correct, picked=(i == index)) for i, c in enumerate(self.choices))
        return Result("correct" if chosen.correct else "incorrect", headline, explanations,
                      hints=() if chosen.correct else (explanations[index],))

    def _check_multiple(self, indexes) -> Result:
        indexes = set(indexes or ())
        if not indexes:
            return Result("invalid", "Tick at least one option first.")
        right = {i for i, c in enumerate(self.choices) if c.correct}
        if indexes == right:
            status, headline = "correct", "Correct: you found every right option and no wrong one."
        elif indexes & right:
            status = "partly"
            headline = f"Partly right: {len(indexes & right)} of {len(right)} right options ticked"
            headline += f", and {len(indexes - right)} wrong one(s)." if indexes - right else "."
        else:
            status, headline = "incorrect", "Not quite: none of the options you ticked is right."
        explanations = tuple(_explain(c, c.correct, picked=(i in indexes)) for i, c in enumerate(self.choices))
        return Result(status, headline, explanations,
                      hints=tuple(explanations[i] for i in sorted(indexes - right)))

    def _check_numeric(self, typed) -> Result:
        value = parse_number(typed)
        if value is None:
            return Result("invalid", f"Your answer should be a number of {self.unit}, written in digits "
                                     f'(for example 42); you entered "{typed}". Nothing was marked: try again.')
        if abs(value - self.answer) <= self.tolerance:
            return Result("correct", f"Correct: {_number(self.answer)} {self.unit}.", ((self.why, self.source),))
        direction = "too high" if value > self.answer else "too low"
        return Result("incorrect", f"Not quite: {_number(value)} is {direction}.", ((self.why, self.source),))

    def _check_order(self, order) -> Result:
        order = list(order)
        if sorted(order) != list(range(len(self.choices))):
            return Result("invalid", "Place every item exactly once.")
        placed_right = [position == index for position, index in enumerate(order)]
        if all(placed_right):
            status, headline = "correct", "Correct: that is the right order."
        else:
            status = "incorrect"
            headline = f"Not quite: {sum(placed_right)} of {len(order)} items are in the right place."
        explanations = tuple(
            _explain(self.choices[index], right, picked=True, place=position + 1)
            for position, (index, right) in enumerate(zip(order, placed_right)))
        return Result(status, headline, explanations)


@dataclass(frozen=True)
class Quiz:
    name: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def source_ids(self) -> list[str]:
        return list(dict.fromkeys(i for question in self.questions for i in question.source_ids()))


def parse_number(typed) -> float | None:
    """A number from what a student typed ("1,300", "1300 km", " 42 "), or None if there is none."""
    if isinstance(typed, (int, float)):
        return float(typed)
    match = re.fullmatch(r"\s*([+-]?\d[\d,  ]*(?:\.\d+)?)\s*[^\d\s]*\s*", str(typed or ""))
    if not match:
        return None
    digits = re.sub(r"[,  ]", "", match.group(1))
    try:
        return float(digits)
    except ValueError:
        return None


# ---------------------------------------------------------------- loading

def load_quiz(name: str, quiz_dir: Path | str = QUIZ_DIR) -> Quiz:
    """Read and check ``<quiz_dir>/<name>.yaml``; QuizError names the file, question and problem."""
    path = Path(quiz_dir) / f"{name}.yaml"
    shown = f"data/quizzes/{path.name}" if Path(quiz_dir) == QUIZ_DIR else str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(sorted(p.stem for p in Path(quiz_dir).glob("*.yaml"))) or "none"
        raise QuizError(f"Quiz file {shown} does not exist (quizzes found: {known}).") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise QuizError(f"Quiz file {shown} is not valid YAML{where}: {problem}. "
                        "Check the indentation and put text containing a colon in quotes.") from None
    return _build_quiz(name, raw, shown, _known_sources())


def _known_sources() -> set[str]:
    return set(load_table("sources")["source_id"])


def _build_quiz(name: str, raw, shown: str, sources: set[str]) -> Quiz:
    def fail(problem: str, question: str | None = None):
        where = f'Quiz file {shown}, question "{question}"' if question else f"Quiz file {shown}"
        raise QuizError(f"{where}: {problem}.")

    if not isinstance(raw, dict):
        fail("expected a mapping with the keys 'title' and 'questions'")
    if not isinstance(raw.get("title"), str):
        fail("the quiz has no 'title'")
    if not isinstance(raw.get("questions"), list) or not raw["questions"]:
        fail("expected a non-empty list under 'questions'")

    questions, seen = [], set()
    for number, entry in enumerate(raw["questions"], start=1):
        label = str(entry.get("id", f"number {number}")) if isinstance(entry, dict) else f"number {number}"
        if not isinstance(entry, dict):
            fail("each question must be a mapping of keys such as id, type, prompt", label)
        for key in ("id", "type", "prompt", "source"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(f"the key '{key}' is missing or empty", label)
        if entry["id"] in seen:
            fail("this id is used by an earlier question; ids must be unique", label)
        seen.add(entry["id"])
        if entry["type"] not in TYPES:
            fail(f"the type \"{entry['type']}\" is not one of {', '.join(TYPES)}", label)
        if entry["source"] not in sources:
            fail(f"the source \"{entry['source']}\" is not a source_id in data/sources.csv", label)
        questions.append(_build_question(entry, label, fail, sources))
    return Quiz(name=name, title=raw["title"], questions=tuple(questions))


def _build_question(entry: dict, label: str, fail, sources: set[str]) -> Question:
    kind = entry["type"]
    common = dict(id=entry["id"], type=kind, prompt=entry["prompt"].strip(), source=entry["source"])
    if kind == "numeric":
        for key in ("answer", "tolerance"):
            if not isinstance(entry.get(key), (int, float)) or isinstance(entry.get(key), bool):
                fail(f"a numeric question needs a number under '{key}'", label)
        if entry["tolerance"] < 0:
            fail("the tolerance cannot be negative", label)
        for key in ("unit", "why"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(f"a numeric question needs '{key}'", label)
        return Question(**common, answer=float(entry["answer"]), tolerance=float(entry["tolerance"]),
                        unit=entry["unit"], why=entry["why"].strip())

    key = "items" if kind == "order" else "options"
    raw_choices = entry.get(key)
    if not isinstance(raw_choices, list) or len(raw_choices) < 2:
        fail(f"a {kind} question needs a list of at least two '{key}'", label)
    choices = []
    for position, raw in enumerate(raw_choices, start=1):
        if not isinstance(raw, dict) or not str(raw.get("text", "")).strip() or not str(raw.get("why", "")).strip():
            fail(f"{key[:-1]} {position} needs both 'text' and 'why' (why explains it, for the feedback)", label)
        source = raw.get("source", entry["source"])
        if source not in sources:
            fail(f"{key[:-1]} {position} names the source \"{source}\", which is not in data/sources.csv", label)
        correct = raw.get("correct", False)
        if not isinstance(correct, bool):
            fail(f"{key[:-1]} {position}: 'correct' must be true or false, not \"{correct}\"", label)
        choices.append(Choice(text=str(raw["text"]).strip(), why=str(raw["why"]).strip(), source=source,
                              correct=correct))
    right = sum(c.correct for c in choices)
    if kind == "single" and right != 1:
        fail(f"a single-choice question needs exactly one option marked 'correct: true' (found {right})", label)
    if kind == "multiple" and right < 1:
        fail("a multiple-choice question needs at least one option marked 'correct: true'", label)
    if kind == "order" and right:
        fail("an ordering question lists its items in the correct order and marks none 'correct'", label)
    if len({c.text for c in choices}) != len(choices):
        fail(f"two {key} have the same text", label)
    return Question(**common, choices=tuple(choices))


def _explain(choice: Choice, right: bool, picked: bool, place: int | None = None) -> tuple[str, str]:
    if place is not None:
        mark = "✔" if right else "✘"
        return f"{mark} {place}. {choice.text}: {choice.why}", choice.source
    if picked:
        mark = "✔ Your choice, and right:" if right else "✘ Your choice, but wrong:"
    else:
        mark = "✘ Not chosen, but right:" if right else "· Not chosen, and rightly so:"
    return f"{mark} “{choice.text}” {choice.why}", choice.source


def _index(value, count: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
