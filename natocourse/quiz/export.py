"""Export my answers: one small JSON file per quiz, for the teacher's class summary (``summary``).

The file is written to ``my-answers/`` beside the notebook (the kernel's working folder), so a student finds
it in the file browser, downloads it and hands it in. Its schema, version 1::

    {"format": "natocourse-quiz-answers", "version": 1, "exported": "2026-12-02T10:15:00",
     "student": "Ana" (or ""), "quiz": "start_here", "title": "First steps: ...",
     "questions": [{"id": "fact-or-claim", "prompt": "...", "first": "correct" | "partly" | "incorrect" | null,
                    "first_answer": "the option's text, the number typed or the items in order" | null,
                    "tries": 1, "right": true, "shown": false}, ...],
     "predictions": [{"key": "00_members_1990", "prompt": "...", "guess": 14 | "text" | null}, ...]}

``first`` is the first try's mark (null: not answered), ``right`` whether it was right in the end, ``shown``
whether the student asked to see the answer. ``check_export`` is the one place that reads the schema back: a
later version adds keys, and bumps ``version`` only when a reader of version 1 would misread the file.

>>> record = {"format": FORMAT, "version": 1, "exported": "2026-12-02T10:15:00", "student": "", "quiz": "q",
...           "title": "Q", "questions": [{"id": "a", "prompt": "A?", "first": "correct", "first_answer": "x",
...                                        "tries": 1, "right": True, "shown": False}], "predictions": []}
>>> check_export(record)[1]
''
>>> check_export({"cells": []})[1]
'not an export of quiz answers (it may belong to another program)'
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .progress import write_atomically

FORMAT = "natocourse-quiz-answers"
VERSION = 1
FOLDER = "my-answers"
MARKS = ("correct", "partly", "incorrect", None)


def export_record(quiz, rows: list[dict], predictions: list[dict], student: str = "") -> dict:
    """The export of one quiz: ``rows`` as the schema's questions, ``predictions`` as its predictions."""
    return {"format": FORMAT, "version": VERSION, "exported": dt.datetime.now().isoformat(timespec="seconds"),
            "student": student.strip()[:80], "quiz": quiz.name, "title": quiz.title,
            "questions": rows, "predictions": predictions}


def write_export(record: dict, folder: Path | str = FOLDER) -> Path:
    """Write the record as ``<folder>/<quiz>-<student>-<time>.json`` (a new name each time) and return it."""
    folder = Path(folder)
    student = re.sub(r"[^a-z0-9]+", "-", record["student"].lower()).strip("-") or "student"
    stamp = record["exported"].replace(":", "").replace("T", "-")
    path = folder / f"{record['quiz']}-{student}-{stamp}.json"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{record['quiz']}-{student}-{stamp}-{number}.json"
    write_atomically(path, json.dumps(record, indent=1, ensure_ascii=False))
    return path


def check_export(raw) -> tuple[dict | None, str]:
    """The record if ``raw`` (parsed JSON) is a usable export, else None and what is wrong, in words."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return None, "not an export of quiz answers (it may belong to another program)"
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None, "damaged: its version is missing"
    if version > VERSION:
        return None, f"made by a newer version of the course (format version {version}); update the course"
    for key in ("quiz", "title", "student", "exported"):
        if not isinstance(raw.get(key), str) or (key == "quiz" and not raw[key]):
            return None, f"damaged: '{key}' is missing"
    if not isinstance(raw.get("questions"), list) or not all(_question(q) for q in raw["questions"]):
        return None, "damaged: its list of questions is incomplete"
    predictions = raw.get("predictions", [])
    if not isinstance(predictions, list) or not all(isinstance(p, dict) and isinstance(p.get("key"), str)
                                                    for p in predictions):
        return None, "damaged: its list of predictions is incomplete"
    return raw, ""


def _question(entry) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("prompt"), str)
            and entry.get("first") in MARKS
            and (entry.get("first_answer") is None or isinstance(entry.get("first_answer"), str))
            and isinstance(entry.get("tries"), int) and not isinstance(entry.get("tries"), bool))
