"""The buttons below a quiz: "Reset my answers" (after a confirmation) and "Export my answers".

Reset erases this quiz's answers and the predictions shown in this kernel, which are this notebook's
(``reset.py``); Export writes the answers the quiz shows, and the revealed predictions, to a small file for
the teacher's class summary (``export.py``).
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from .export import FOLDER, export_record, write_export
from .progress import PREDICTIONS, reason
from .reset import on_screen, reset_answers

ERROR = "#A03C00"


class QuizActions(widgets.VBox):
    """Reset my answers (with a confirmation) and Export my answers (with an optional name)."""

    def __init__(self, view):  # a view.QuizView
        self.view = view
        self.message = widgets.HTML()
        self.reset = widgets.Button(description="Reset my answers", icon="undo", tooltip=(
            "Erase your answers to this quiz and this notebook's predictions, here and on this computer"))
        self.confirm = widgets.Button(description="Yes, erase them", button_style="danger")
        self.cancel = widgets.Button(description="Cancel")
        self.confirm_row = widgets.HBox([widgets.HTML("Erase your answers to this quiz and the predictions "
                                                      "of this notebook? "), self.confirm, self.cancel])
        self.confirm_row.layout.display = "none"
        self.student = widgets.Text(placeholder="your name (optional)", description="Name:",
                                    layout=widgets.Layout(width="280px"))
        self.export = widgets.Button(description="Export my answers", icon="download", tooltip=(
            f"Write your answers to a small file in the folder {FOLDER}, to hand to your teacher"))
        self.reset.on_click(lambda _b: self._ask(True))
        self.cancel.on_click(lambda _b: self._ask(False))
        self.confirm.on_click(lambda _b: self.erase())
        self.export.on_click(lambda _b: self.write())
        super().__init__([widgets.HBox([self.reset, self.student, self.export]), self.confirm_row, self.message])

    def _ask(self, asking: bool) -> None:
        self.confirm_row.layout.display = "flex" if asking else "none"
        self.message.value = ""

    def erase(self) -> str:
        """Reset this quiz and the predictions shown in this kernel (this notebook's)."""
        keys = [key for prediction in on_screen(PREDICTIONS) for key in prediction.question_ids]
        said = reset_answers(self.view.quiz.name, self.view.progress, predictions=keys)
        self._ask(False)
        self.message.value = f"<p>{html.escape(said)}</p>"
        return said

    def write(self, folder=FOLDER):
        """Export the answers this quiz shows, and the predictions shown in this kernel."""
        predictions = [{"key": p.key, "prompt": p.prompt, "guess": p.value()}
                       for p in on_screen(PREDICTIONS) if p.revealed]
        record = export_record(self.view.quiz, self.view.export_rows(), predictions, self.student.value)
        try:
            path = write_export(record, folder)
        except OSError as err:
            self.message.value = (f"<p style='color:{ERROR}'>Your answers could not be exported: "
                                  f"{html.escape(reason(err, Path(folder) / 'answers.json'))}.</p>")
            return None
        self.message.value = (f"<p>Exported to <b>{html.escape(str(path))}</b>, in the folder of this notebook. "
                              "Download it (right-click it in the file browser) and hand it to your teacher.</p>")
        return path
