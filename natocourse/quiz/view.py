"""The ipywidgets view of a quiz: one card per question, a Check button, feedback with sources.

Marking lives in ``quiz.py`` and saving in ``progress.py``; this module only
turns them into controls and wires the buttons.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from .progress import Progress
from .model import Question, Quiz, Result, load_quiz
from ..sources import cite
from ..data import load_table

COLOURS = {"correct": "#006B4F", "partly": "#8A5A00", "incorrect": "#A03C00", "invalid": "#404040"}
WIDE = widgets.Layout(width="100%")
CHANGED = ("This question has changed since you answered it (its options were edited), "
           "so it starts afresh: please answer it again.")


class QuizView(widgets.VBox):
    """All the questions of one quiz, with a running score."""

    def __init__(self, quiz: Quiz, progress: Progress | None = None):
        self.quiz = quiz
        self.progress = progress or Progress()
        self.sources = load_table("sources")
        self.score = widgets.HTML()
        self.cards = [QuestionCard(q, number, self) for number, q in enumerate(quiz.questions, start=1)]
        header = widgets.HTML(f"<h3>Quiz: {html.escape(quiz.title)}</h3>"
                              "<p>Answer, then press <b>Check answer</b>. Your answers are saved on this "
                              "computer and come back when you reopen the notebook.</p>")
        notice = [widgets.HTML(f"<p style='color:{COLOURS['partly']}'>{html.escape(self.progress.notice)}</p>")
                  ] if self.progress.notice else []
        super().__init__([header, *notice, self.score, *self.cards], layout=WIDE)
        self.add_class("course-quiz")
        self.update_score()

    def update_score(self) -> None:
        """Count the answers the cards show (saved or just checked), marked against the quiz as it is now."""
        results = [card.result for card in self.cards if card.result is not None]
        right = sum(result.correct for result in results)
        self.score.value = (f"<p><b>Your progress:</b> {len(results)} of {len(self.quiz.questions)} answered, "
                            f"{right} correct.</p>")

    def __repr__(self) -> str:  # what GitHub shows where the live quiz would be
        return f"Quiz: {self.quiz.title} ({len(self.quiz.questions)} questions). Run the notebook to answer them."


class QuestionCard(widgets.VBox):
    """One question: prompt, the control that fits its type, a Check button and the feedback."""

    def __init__(self, question: Question, number: int, parent: QuizView):
        self.question, self.quiz_view = question, parent
        self.result: Result | None = None
        self.feedback = widgets.HTML()
        self.control = self._control()
        check = widgets.Button(description="Check answer", button_style="primary", icon="check")
        check.on_click(lambda _button: self.check())
        prompt = widgets.HTML(f"<p style='font-size:1.15em'><b>{number}.</b> {html.escape(question.prompt)}</p>")
        super().__init__([prompt, self.control, check, self.feedback],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px 12px", margin="6px 0",
                                               width="100%"))
        saved = parent.progress.get(parent.quiz.name, question.id)
        if saved is None:
            return
        if question.fits(saved["answer"]) and saved.get("options", question.fingerprint) == question.fingerprint:
            self._restore(saved["answer"])
            self.show(question.check(self._answer()), restored=True)
        else:
            self.feedback.value = (f"<p class='course-changed' style='color:{COLOURS['partly']}'>{CHANGED}</p>")

    def check(self) -> Result:
        """Mark the current answer, save it (even when it is not a usable answer) and show the feedback."""
        answer = self._answer()
        result = self.question.check(answer)
        progress = self.quiz_view.progress
        progress.save(self.quiz_view.quiz.name, self.question.id, answer, result.status, self.question.fingerprint)
        self.show(result)
        self.quiz_view.update_score()
        return result

    def show(self, result: Result, restored: bool = False) -> None:
        self.result = result
        colour = COLOURS[result.status]
        lines = "".join(f"<li>{html.escape(text)} <i>Source: {html.escape(cite(source, self.quiz_view.sources))}</i></li>"
                        for text, source in result.explanations)
        note = " <i>(your saved answer)</i>" if restored else ""
        problem = self.quiz_view.progress.problem
        unsaved = (f"<p class='course-unsaved' style='color:{COLOURS['incorrect']}'>{html.escape(problem)}</p>"
                   if problem and not restored else "")
        self.feedback.value = (f"<div class='course-feedback'><p style='color:{colour};font-weight:bold'>"
                               f"{html.escape(result.headline)}{note}</p><ul>{lines}</ul>{unsaved}</div>")

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
        rows = []
        for position, index in enumerate(self.order):
            up = widgets.Button(icon="arrow-up", tooltip="move up", layout=widgets.Layout(width="42px"),
                                disabled=position == 0)
            down = widgets.Button(icon="arrow-down", tooltip="move down", layout=widgets.Layout(width="42px"),
                                  disabled=position == len(self.order) - 1)
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
