"""Reset my answers: erase the saved answers of one quiz, one notebook or all, on disk and on screen.

A teacher who rehearsed a lesson on the classroom laptop erases their answers before the class sees them:
``reset_answers("00_start_here")`` (a notebook: its quiz and its predictions), ``reset_answers("start_here")``
(a quiz: its answers and the predictions of the notebook that shows it) or ``reset_answers()`` (everything).
The quizzes and predictions a notebook holds are read from the notebook itself (its ``show_quiz("...")`` and
``predict("...")`` calls), in the current folder or the course's ``notebooks/`` folder. Quizzes and
predictions on screen in this kernel start afresh too.

>>> import tempfile, pathlib
>>> progress = Progress(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> _ = progress.save("start_here", "members-today", "32", "correct")
>>> _ = progress.save("predictions", "00_members_1990", "14", "revealed")
>>> reset_answers(progress=progress)
'Erased every saved answer and prediction.'
>>> progress.answers
{}
"""
from __future__ import annotations

import json
import re
import weakref
from pathlib import Path

from ..data import DATA_DIR
from ..errors import choose
from .progress import PREDICTIONS, Progress, presenter_mode

NOTEBOOK_DIR = DATA_DIR.parent / "notebooks"
QUIZ_CALL = re.compile(r"""show_quiz\(\s*["']([^"']+)["']""")
PREDICT_CALL = re.compile(r"""predict\(\s*["']([^"']+)["']""")

_on_screen: weakref.WeakSet = weakref.WeakSet()  # quiz views and predictions shown in this kernel


def track(view) -> None:
    """Remember a view shown in this kernel, so a reset clears it on screen too.

    A view has ``quiz_name`` (a quiz, or ``PREDICTIONS``), ``question_ids`` and ``start_afresh()``.
    """
    _on_screen.add(view)


def on_screen(quiz: str) -> list:
    """The views of ``quiz`` shown in this kernel (``PREDICTIONS``: the predictions)."""
    return [view for view in list(_on_screen) if view.quiz_name == quiz]


def reset_answers(name: str | None = None, progress: Progress | None = None, predictions=()) -> str:
    """Erase saved answers, start the views on screen afresh, and say what was erased, in a sentence.

    ``name``: a notebook ("00_start_here", with or without ``.ipynb``, or its path), a quiz ("start_here"), or
    None for every quiz and prediction. ``predictions``: keys of further predictions to erase (the quiz's
    Reset button adds those shown in this kernel). In presenter mode only the screen is cleared: the answers
    saved on this computer, which that mode neither shows nor changes, are left alone.
    """
    progress = progress or Progress()
    quizzes, keys = None, None
    if name is not None:
        quizzes, keys = _scope(str(name), known=list(progress.answers))
        keys = sorted(set(keys) | set(predictions))
    for view in list(_on_screen):
        if quizzes is None or view.quiz_name in quizzes or (
                view.quiz_name == PREDICTIONS and set(view.question_ids) & set(keys)):
            view.start_afresh()
    if presenter_mode():
        return ("Presenter mode: the answers on screen were cleared; "
                "the answers saved on this computer were left as they are.")
    if quizzes is None:
        done = progress.forget()
    else:
        done = all([progress.forget(quiz) for quiz in quizzes] + ([progress.forget(PREDICTIONS, keys)] if keys else []))
    return f"Erased {_erased(name, quizzes, keys)}." if done else progress.problem


def _erased(name, quizzes, keys) -> str:
    if quizzes is None:
        return "every saved answer and prediction"
    parts = [f'the saved answers to the quiz "{quiz}"' for quiz in quizzes]
    parts += [f"{len(keys)} prediction" + ("" if len(keys) == 1 else "s")] if keys else []
    if not parts:
        return f'nothing: "{name}" shows no quiz and no prediction'
    return " and ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _scope(name: str, known=()) -> tuple[list[str], list[str]]:
    """The quizzes and prediction keys of a notebook, or of a quiz and the notebook that shows it.

    ``known``: quizzes with saved answers, which may be reset even when their file has gone.
    """
    notebook = _find_notebook(name)
    if notebook is not None:
        return _calls(notebook)
    quizzes = sorted({p.stem for p in (DATA_DIR / "quizzes").glob("*.yaml")} | set(known) - {PREDICTIONS})
    notebooks = sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb"))
    choose(name, quizzes + notebooks, "quiz or notebook")
    keys = [key for path in NOTEBOOK_DIR.glob("*.ipynb") if name in _calls(path)[0] for key in _calls(path)[1]]
    return [name], keys


def _find_notebook(name: str) -> Path | None:
    stem = name[:-len(".ipynb")] if name.endswith(".ipynb") else name
    for candidate in (Path(name), Path(f"{stem}.ipynb"), NOTEBOOK_DIR / f"{Path(stem).name}.ipynb"):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate
    return None


def _calls(notebook: Path) -> tuple[list[str], list[str]]:
    """The quizzes a notebook shows and the predictions it asks for, read from its code cells."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return [], []
    code = "\n".join("".join(c.get("source", "")) for c in cells
                     if isinstance(c, dict) and c.get("cell_type") == "code")
    return list(dict.fromkeys(QUIZ_CALL.findall(code))), list(dict.fromkeys(PREDICT_CALL.findall(code)))
