"""The ipywidgets view of a quiz: one card per question, a Check button, feedback with sources.

Marking lives in ``model.py`` and saving in ``progress.py``; this module only turns them into controls and
wires the buttons. A quiz that teaches:

- A wrong answer gets feedback on what was chosen (``Result.hints``), never the right answer; the student
  tries again. The first try is what the score counts; the card says how many tries it took ("Right on
  try 2"). After ``SHOW_AFTER`` wrong tries a "Show the answer" button appears; once the answer is right or
  shown, every option is explained and the card is locked (``reset_answers`` opens it again).
- The saved answer keeps the last answer, the first try's mark and answer, the number of tries and whether
  the answer was shown; an answer saved before tries were counted counts as one try.
- Below the cards: "Reset my answers" and "Export my answers" (``actions.py``).
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from .actions import QuizActions
from .model import Question, Quiz, Result, load_quiz
from .progress import Progress, presenter_mode
from .reset import track
from ..sources import cite
from ..data import load_table

COLOURS = {"correct": "#006B4F", "partly": "#8A5A00", "incorrect": "#A03C00", "invalid": "#404040"}
WIDE = widgets.Layout(width="100%")
CHANGED = ("This question has changed since you answered it (its options were edited), "
           "so it starts afresh: please answer it again.")
SHOW_AFTER = 3  # wrong tries after which "Show the answer" appears
MARKS = ("correct", "partly", "incorrect")  # a try: a usable answer, marked


class QuizView(widgets.VBox):
    """All the questions of one quiz, with a running score, and Reset and Export below them."""

    def __init__(self, quiz: Quiz, progress: Progress | None = None):
        self.quiz = quiz
        self.quiz_name, self.question_ids = quiz.name, tuple(q.id for q in quiz.questions)
        self.progress = progress or Progress()
        self.sources = load_table("sources")
        self.score = widgets.HTML()
        self.cards = [QuestionCard(q, number, self) for number, q in enumerate(quiz.questions, start=1)]
        header = widgets.HTML(f"<h3>Quiz: {html.escape(quiz.title)}</h3>"
                              "<p>Answer, then press <b>Check answer</b>. If it is not right yet, read the "
                              "feedback and try again: your first try is what the score counts. Your answers "
                              "are saved on this computer and come back when you reopen the notebook.</p>")
        notice = self.progress.notice if not presenter_mode() else ""
        notice = [widgets.HTML(f"<p style='color:{COLOURS['partly']}'>{html.escape(notice)}</p>")] if notice else []
        super().__init__([header, *notice, self.score, *self.cards, QuizActions(self)], layout=WIDE)
        self.add_class("course-quiz")
        track(self)
        self.update_score()

    def update_score(self) -> None:
        """Count the answers the cards show (saved or just checked); a question counts if right on the first try."""
        answered = sum(card.result is not None or card.tries > 0 for card in self.cards)
        right = sum(card.first == "correct" for card in self.cards)
        self.score.value = (f"<p><b>Your progress:</b> {answered} of {len(self.quiz.questions)} answered, "
                            f"{right} correct on the first try.</p>")

    def start_afresh(self) -> None:
        """Every card blank again (after "Reset my answers")."""
        for card in self.cards:
            card.start_afresh()
        self.update_score()

    def export_rows(self) -> list[dict]:
        """The questions as ``export.py`` writes them."""
        return [card.export_row() for card in self.cards]

    def __repr__(self) -> str:  # what GitHub shows where the live quiz would be
        return f"Quiz: {self.quiz.title} ({len(self.quiz.questions)} questions). Run the notebook to answer them."


class QuestionCard(widgets.VBox):
    """One question: prompt, the control that fits its type, a Check button, feedback and the tries."""

    def __init__(self, question: Question, number: int, parent: QuizView):
        self.question, self.quiz_view = question, parent
        self.result: Result | None = None
        self.tries, self.first, self.first_answer, self.shown = 0, None, None, False
        self.feedback = widgets.HTML()
        self.control = self._control()
        self.check_button = widgets.Button(description="Check answer", button_style="primary", icon="check")
        self.check_button.on_click(lambda _button: self.check())
        self.show_button = widgets.Button(description="Show the answer", icon="eye",
                                          layout=widgets.Layout(display="none"))
        self.show_button.on_click(lambda _button: self.show_answer())
        prompt = widgets.HTML(f"<p style='font-size:1.15em'><b>{number}.</b> {html.escape(question.prompt)}</p>")
        super().__init__([prompt, self.control, widgets.HBox([self.check_button, self.show_button]), self.feedback],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px 12px", margin="6px 0",
                                               width="100%"))
        self._restore_saved(parent.progress.get(parent.quiz.name, question.id))

    @property
    def done(self) -> bool:
        """Right, or the answer shown: nothing more to try."""
        return self.shown or (self.result is not None and self.result.correct)

    def check(self) -> Result:
        """Mark the current answer as a try, save it (even when it is not a usable answer), show the feedback."""
        if self.done:
            return self.result
        answer = self._answer()
        result = self.question.check(answer)
        if result.status in MARKS:
            self.tries += 1
            if self.first is None:
                self.first, self.first_answer = result.status, answer
        self._save(answer, result)
        self.show(result)
        self.quiz_view.update_score()
        return result

    def show_answer(self) -> None:
        """After SHOW_AFTER wrong tries, on request: the right answer, every option explained."""
        self.shown = True
        self._save(self._answer(), self.result)
        self.show(self.result)

    def show(self, result: Result, restored: bool = False) -> None:
        self.result = result
        sources = self.quiz_view.sources
        if self.shown and not result.correct:
            headline, colour, lines = "The answer", COLOURS["invalid"], self.question.answer_key()
        else:
            headline, colour = result.headline, COLOURS[result.status]
            lines = result.explanations if result.correct else result.hints
        items = "".join(f"<li>{html.escape(text)} <i>Source: {html.escape(cite(source, sources))}</i></li>"
                        for text, source in lines)
        note = " <i>(your saved answer)</i>" if restored else ""
        problem = self.quiz_view.progress.problem
        unsaved = (f"<p class='course-unsaved' style='color:{COLOURS['incorrect']}'>{html.escape(problem)}</p>"
                   if problem and not restored else "")
        self.feedback.value = (f"<div class='course-feedback'><p style='color:{colour};font-weight:bold'>"
                               f"{html.escape(headline)}{note}</p><ul>{items}</ul>"
                               f"<p class='course-tries'>{self._tries_line(result)}</p>{unsaved}</div>")
        wrong_tries = self.tries - (result.correct and self.tries > 0)
        self.show_button.layout.display = "" if wrong_tries >= SHOW_AFTER and not self.done else "none"
        self._lock(self.done)

    def start_afresh(self) -> None:
        """Blank again: no answer, no tries (after "Reset my answers")."""
        self.result, self.tries, self.first, self.first_answer, self.shown = None, 0, None, None, False
        self.feedback.value = ""
        self.show_button.layout.display = "none"
        self._lock(False)
        self._blank()

    def export_row(self) -> dict:
        q = self.question
        return {"id": q.id, "prompt": q.prompt, "first": self.first, "tries": self.tries,
                "first_answer": None if self.first is None else q.readable(self.first_answer),
                "right": bool(self.result is not None and self.result.correct), "shown": self.shown}

    def _tries_line(self, result: Result) -> str:
        if result.status not in MARKS:
            return ""
        if result.correct:
            return "Right first time." if self.tries == 1 else f"Right on try {self.tries}."
        if self.shown:
            return f"Shown after {self.tries} tries; the score counts your first try."
        tries = "1 try" if self.tries == 1 else f"{self.tries} tries"
        return f"Not right yet ({tries}): read the feedback, change your answer and check again."

    def _save(self, answer, result: Result) -> None:
        progress, quiz = self.quiz_view.progress, self.quiz_view.quiz
        progress.save(quiz.name, self.question.id, answer, result.status, self.question.fingerprint,
                      tries=self.tries, first=self.first, first_answer=self.first_answer, shown=self.shown)

    def _restore_saved(self, saved: dict | None) -> None:
        if saved is None:
            return
        q = self.question
        if not q.fits(saved["answer"]) or saved.get("options", q.fingerprint) != q.fingerprint:
            self.feedback.value = f"<p class='course-changed' style='color:{COLOURS['partly']}'>{CHANGED}</p>"
            return
        self._restore(saved["answer"])
        result = q.check(self._answer())
        tries = saved.get("tries")
        if isinstance(tries, int) and not isinstance(tries, bool) and tries >= 0:
            self.tries, self.first = tries, saved.get("first") if saved.get("first") in MARKS else None
            first_answer = saved.get("first_answer")
            self.first_answer = first_answer if self.first and q.fits(first_answer) else None
            self.shown = saved.get("shown") is True
        elif result.status in MARKS:  # saved before tries were counted: one try, the one saved
            self.tries, self.first, self.first_answer = 1, result.status, saved["answer"]
        self.show(result, restored=True)

    def _lock(self, locked: bool) -> None:
        self.check_button.disabled = locked
        if self.question.type == "multiple":
            for box in self.control.children:
                box.disabled = locked
        elif self.question.type == "order":
            self._draw_order(self.control)
        else:
            self.control.disabled = locked

    # -- one control per question type

    def _control(self):
        q = self.question
        if q.type == "single":
            return widgets.RadioButtons(options=[c.text for c in q.choices], value=None, layout=WIDE)
        if q.type == "multiple":
            return widgets.VBox([widgets.Checkbox(description=c.text, value=False, indent=False, layout=WIDE)
                                 for c in q.choices])
        if q.type == "numeric":
            return widgets.Text(placeholder=f"a number of {q.unit}", description="Answer:")
        self.order = q.shuffled_order()
        box = widgets.VBox()
        self._draw_order(box)
        return box

    def _draw_order(self, box) -> None:
        rows, locked = [], self.done
        for position, index in enumerate(self.order):
            up = widgets.Button(icon="arrow-up", tooltip="move up", layout=widgets.Layout(width="42px"),
                                disabled=locked or position == 0)
            down = widgets.Button(icon="arrow-down", tooltip="move down", layout=widgets.Layout(width="42px"),
                                  disabled=locked or position == len(self.order) - 1)
            up.on_click(lambda _b, p=position: self._move(box, p, -1))
            down.on_click(lambda _b, p=position: self._move(box, p, +1))
            label = widgets.HTML(f"<b>{position + 1}.</b> {html.escape(self.question.choices[index].text)}")
            rows.append(widgets.HBox([up, down, label]))
        box.children = rows

    def _move(self, box, position: int, step: int) -> None:
        other = position + step
        self.order[position], self.order[other] = self.order[other], self.order[position]
        self._draw_order(box)

    def _answer(self):
        q = self.question
        if q.type == "single":
            return self.control.index
        if q.type == "multiple":
            return [i for i, box in enumerate(self.control.children) if box.value]
        if q.type == "numeric":
            return self.control.value
        return list(self.order)

    def _blank(self) -> None:
        q = self.question
        if q.type == "single":
            self.control.value = None
        elif q.type == "multiple":
            for box in self.control.children:
                box.value = False
        elif q.type == "numeric":
            self.control.value = ""
        else:
            self.order = q.shuffled_order()
            self._draw_order(self.control)

    def _restore(self, answer) -> None:
        """Put a saved answer back into the control (it fits: ``Question.fits`` was asked first)."""
        q = self.question
        if q.type == "single" and answer is not None:
            self.control.index = answer
        elif q.type == "multiple":
            for i in answer:
                self.control.children[i].value = True
        elif q.type == "numeric":
            self.control.value = "" if answer is None else str(answer)
        elif q.type == "order":
            self.order = list(answer)
            self._draw_order(self.control)


def show_quiz(name: str, progress: Progress | None = None) -> QuizView:
    """The quiz ``data/quizzes/<name>.yaml`` as widgets, with saved answers restored."""
    return QuizView(load_quiz(name), progress)
