"""The student's saved quiz answers: one small JSON file, written atomically.

Each save writes a temporary file beside the progress file and renames it
over the old one, so a crash or a kernel restart mid-write leaves either the
old file or the new one, never half of one. A file that cannot be read is set
aside under a new name (never deleted) and a fresh one is started.

The file lives at ``$NATOCOURSE_PROGRESS`` if set, else ``~/.natocourse/progress.json``.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path


def progress_path() -> Path:
    """Where the answers are kept."""
    return Path(os.environ.get("NATOCOURSE_PROGRESS", Path.home() / ".natocourse" / "progress.json"))


class Progress:
    """Saved answers by quiz and question: ``{quiz: {question: {"answer", "status", "saved"}}}``."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else progress_path()
        self.notice = ""  # a message for the student when a damaged file was set aside
        self.answers = self._read()

    def get(self, quiz: str, question: str) -> dict | None:
        return self.answers.get(quiz, {}).get(question)

    def save(self, quiz: str, question: str, answer, status: str) -> None:
        """Record one answer and write the whole file atomically (re-reading first, so other notebooks' answers stay)."""
        on_disk = self._read() if self.path.exists() else {}
        on_disk.setdefault(quiz, {})[question] = {
            "answer": answer, "status": status, "saved": dt.datetime.now().isoformat(timespec="seconds")}
        self.answers = on_disk
        write_atomically(self.path, json.dumps(on_disk, indent=1, ensure_ascii=False))

    def score(self, quiz: str) -> int:
        return sum(entry.get("status") == "correct" for entry in self.answers.get(quiz, {}).values())

    def _read(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            answers = json.loads(text)
            if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
                raise ValueError("expected a mapping of quizzes to answers")
            return answers
        except ValueError as err:
            kept = self.path.with_name(f"{self.path.name}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}")
            self.path.rename(kept)
            self.notice = (f"Your saved answers file {self.path} could not be read ({err}). "
                           f"It was kept as {kept.name} and a new one has been started; "
                           "your teacher can help recover the old answers from it.")
            return {}


def write_atomically(path: Path, text: str) -> None:
    """Write text to path so that readers see the old content or the new, never a mixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
