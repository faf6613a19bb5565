"""Predict first: the student (or the class) guesses, then presses Reveal to see the chart and the answer.

In a notebook, the chart is drawn by a function that runs only when Reveal is pressed; the answer, if
there is one to compare with the guess, is computed from the data at that moment too, never typed in::

    predict("00_members_1990", "How many members did NATO have at the end of 1990?",
            reveal=lambda: show_membership(per_year, 1990), kind="number", unit="members",
            answer=lambda: per_year.set_index("year").loc[1990, "members"])

So neither Run All nor the committed notebook shows the answer: until Reveal, the cell holds the question,
a box for the guess and a Reveal button; without a kernel (GitHub, nbviewer) it reads as the prompt and
"Run the notebook, make your guess, then press Reveal." After Reveal it shows the chart and
"Your guess: 14 members · The record: 16 members" (without ``answer``: "Your guess: ..." alone), and the
guess can no longer be changed. A number is shown as a class reads it: 2004 (a year), 12,500, 33%.

- ``key``: unique over the course, starting with the notebook's number ("00_members_1990"); the guess is
  saved under it, in the student's progress file (``natocourse.quiz.progress``, as the quiz "predictions").
- ``kind``: "number" (typed in digits; anything else gets a sentence saying so), "choice" (one of
  ``options``) or "text" (a sentence). Reveal stays disabled until there is a guess (a class can type its
  class guess), unless "reveal without a guess" is ticked: for a teacher at the projector.
- Saved when Reveal is pressed. Reopened, the notebook shows the saved guess, and the chart again, since
  the saved entry says it was revealed (an entry saved as "guessed" brings back the guess alone). Presenter
  mode (``natocourse.quiz.presenter_mode``) neither restores nor saves; ``natocourse.quiz.reset_answers``
  erases the guesses of a notebook, on disk and on screen.

>>> import tempfile, pathlib
>>> from natocourse.quiz.progress import Progress
>>> progress = Progress(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> shown = []
>>> p = predict("00_example", "How many founding members?", lambda: shown.append("chart"), kind="number",
...             answer=lambda: 12, unit="states", progress=progress)
>>> shown, p.reveal_button.disabled
([], True)
>>> p.guess.value = "ten"
>>> p.message.value
'Your guess should be a number written in digits (for example 42); "ten" is not one.'
>>> p.guess.value = "10"
>>> p.reveal_button.click()
>>> shown, p.comparison.value
(['chart'], '<p><b>Your guess: 10 states · The record: 12 states</b></p>')
>>> progress.get("predictions", "00_example")["answer"]
10
"""
from __future__ import annotations

import html
import numbers
from typing import Callable

import ipywidgets as widgets

from ..errors import CourseError, InputError, choose
from ..quiz.model import parse_number
from ..quiz.progress import PREDICTIONS, Progress
from ..quiz.reset import track

KINDS = ("number", "choice", "text")
HINT = "Run the notebook, make your guess, then press Reveal."
WIDE = widgets.Layout(width="100%")


class Prediction(widgets.VBox):
    """One prediction: the prompt, the guess, Reveal, and (once revealed) the chart and guess beside answer."""

    def __init__(self, key: str, prompt: str, reveal: Callable[[], None], kind: str, options, answer, unit: str,
                 progress: Progress | None):
        self.key, self.prompt, self.kind, self.unit = key, prompt, kind, unit
        self.quiz_name, self.question_ids = PREDICTIONS, (key,)
        self._reveal, self._answer = reveal, answer
        self.progress = progress or Progress()
        self.revealed = False
        self.guess = _guess_control(kind, options, unit)
        self.message = widgets.HTML()
        self.without_guess = widgets.Checkbox(description="reveal without a guess (teacher at the projector)",
                                              value=False, indent=False,
                                              layout=widgets.Layout(width="auto"))  # the label whole
        self.reveal_button = widgets.Button(description="Reveal", button_style="primary", icon="eye",
                                            disabled=True)
        self.comparison = widgets.HTML()
        self.output = widgets.Output()
        self.guess.observe(lambda _change: self._update(), "value")
        self.without_guess.observe(lambda _change: self._update(), "value")
        self.reveal_button.on_click(lambda _button: self.show_answer())
        question = widgets.HTML(f"<p style='font-size:1.15em'><b>Predict first.</b> {html.escape(prompt)}</p>")
        super().__init__([question, self.guess, self.message,
                          widgets.HBox([self.reveal_button, self.without_guess]), self.comparison, self.output],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px 12px", margin="6px 0",
                                               width="100%"))
        self.add_class("course-predict")
        track(self)
        self._restore(self.progress.get(PREDICTIONS, key))

    def value(self):
        """The guess as saved: a number for "number" (None if there is none), else the text or option."""
        typed = self.guess.value
        if self.kind == "number":
            return _plain(parse_number(typed)) if str(typed or "").strip() else None
        return typed.strip() if isinstance(typed, str) and typed.strip() else None

    def show_answer(self, save: bool = True) -> None:
        """What Reveal does: draw the chart, put the guess beside the answer, lock the guess and save it."""
        guess = self.value()
        self.revealed = True
        self._lock()
        with self.output:
            try:
                self._reveal()
            except CourseError as error:
                print(error)
        self.comparison.value = self._compare(guess)
        if save and not self.progress.save(PREDICTIONS, self.key, guess, "revealed", kind=self.kind):
            self.message.value = f"<span style='color:#A03C00'>{html.escape(self.progress.problem)}</span>"

    def start_afresh(self) -> None:
        """Back to no guess and nothing revealed (after "Reset my answers")."""
        self.revealed = False
        fresh = widgets.Output()  # a new one: clear_output would print control codes outside a notebook
        self.children = tuple(fresh if child is self.output else child for child in self.children)
        self.output = fresh
        self.comparison.value = self.message.value = ""
        self.guess.value = None if self.kind == "choice" else ""
        self.guess.disabled = self.without_guess.disabled = False
        self.without_guess.value = False
        self.reveal_button.description = "Reveal"
        self._update()

    def _update(self) -> None:
        if self.revealed:
            return
        typed = self.guess.value
        bad = self.kind == "number" and str(typed or "").strip() and parse_number(typed) is None
        self.message.value = (f'Your guess should be a number written in digits (for example 42); '
                              f'"{html.escape(str(typed).strip())}" is not one.') if bad else ""
        self.reveal_button.disabled = not self.without_guess.value and (bad or self.value() is None)

    def _lock(self) -> None:
        self.guess.disabled = self.without_guess.disabled = self.reveal_button.disabled = True
        self.reveal_button.description = "Revealed"

    def _compare(self, guess) -> str:
        if self._answer is None:  # nothing to compute (a sentence, read beside the claims): the guess alone
            return "" if guess is None else f"<p><b>Your guess:</b> {html.escape(_shown(guess))}</p>"
        try:
            answer = self._answer()
        except CourseError as error:
            return f"<p>{html.escape(str(error))}</p>"
        unit = f" {self.unit}" if self.unit and not self.unit.startswith("%") else self.unit
        mine = "no guess" if guess is None else f"{_shown(guess)}{unit if self.kind == 'number' else ''}"
        right = f"{_shown(answer)}{unit if self.kind == 'number' else ''}"
        return f"<p><b>Your guess: {html.escape(mine)} · The record: {html.escape(right)}</b></p>"

    def _restore(self, saved: dict | None) -> None:
        if not saved or saved.get("status") not in ("guessed", "revealed"):
            return
        guess = saved.get("answer")
        if guess is not None:
            text = _shown(guess) if self.kind == "number" else str(guess)
            if self.kind != "choice" or text in self.guess.options:
                self.guess.value = text
        if saved["status"] == "revealed":
            self.show_answer(save=False)
            self.message.value = "<i>(your saved guess)</i>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # whole: ipywidgets would cut it at 110 characters
        return bundle

    def __repr__(self) -> str:  # what GitHub and nbviewer show: the question, never the answer
        return f"{self.prompt}\n{HINT}"


def predict(key: str, prompt: str, reveal: Callable[[], None], *, kind: str = "text",
            options: list[str] | None = None, answer: Callable[[], str | float] | None = None, unit: str = "",
            progress: Progress | None = None) -> Prediction:
    """A prediction widget: guess, then Reveal calls ``reveal()`` (see the module's docstring)."""
    if not isinstance(key, str) or not key.strip():
        raise InputError(f"A prediction needs a key, such as \"00_members_1990\"; you gave {key!r}.")
    choose(kind, KINDS, "kind of prediction")
    if not callable(reveal) or (answer is not None and not callable(answer)):
        raise InputError("reveal and answer must be functions (for example lambda: show_chart(data)), "
                         "so that nothing is shown or computed before Reveal is pressed.")
    if kind == "choice" and (not options or len(options) < 2):
        raise InputError(f'The prediction "{key}" is a choice: give at least two options.')
    return Prediction(key, prompt, reveal, kind, options, answer, unit, progress)


def _guess_control(kind: str, options, unit: str):
    if kind == "number":
        return widgets.Text(placeholder=f"your guess, in digits{f' ({unit})' if unit else ''}",
                            description="Your guess:", style={"description_width": "initial"})
    if kind == "choice":
        return widgets.RadioButtons(options=[str(o) for o in options], value=None, layout=WIDE)
    return widgets.Textarea(placeholder="your guess, in a sentence (or the class's guess)", layout=WIDE)


def _plain(number):
    """16.0 (or numpy's 16) as 16, so a saved guess reads as it was typed and is plain JSON."""
    if number is None:
        return None
    return int(number) if float(number).is_integer() else float(number)


def _shown(value) -> str:
    """A number as a class reads it (2004, 12,500, 2.5), anything else as it is."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = _plain(value)
        group = "," if abs(value) >= 10_000 else ""  # a year stays 2004
        return f"{value:{group}}" if isinstance(value, int) else f"{value:{group}.2f}".rstrip("0").rstrip(".")
    return str(value)
