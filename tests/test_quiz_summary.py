"""The class summary: a folder of exported answers, including damaged and foreign files, made into a summary."""
import json

import pytest

from natocourse.quiz.export import FORMAT, VERSION, check_export, export_record, write_export
from natocourse.quiz.model import load_quiz
from natocourse.quiz.summary import main, read_folder, summarise, write_summary

QUIZ = load_quiz("start_here")


def row(question_id: str, first, first_answer=None, tries=1):
    question = next(q for q in QUIZ.questions if q.id == question_id)
    return {"id": question_id, "prompt": question.prompt, "first": first, "first_answer": first_answer,
            "tries": tries, "right": first == "correct", "shown": False}


def export(folder, student, rows, predictions=(), exported=None):
    record = export_record(QUIZ, rows, list(predictions), student)
    if exported:
        record["exported"] = exported
    return write_export(record, folder)


@pytest.fixture
def folder(tmp_path):
    """Four students' exports and every kind of file a teacher may find beside them."""
    folder = tmp_path / "exports"
    export(folder, "Ana", [row("fact-or-claim", "correct", "A"), row("members-today", "incorrect", "30")],
           [{"key": "00_members_1990", "prompt": "How many in 1990?", "guess": 14}])
    export(folder, "", [row("fact-or-claim", "incorrect", "B", 2), row("members-today", "incorrect", "30")],
           [{"key": "00_members_1990", "prompt": "How many in 1990?", "guess": 20}])
    export(folder, "Ben", [row("fact-or-claim", "incorrect", "C"), row("members-today", None)],
           exported="2026-12-01T09:00:00")
    export(folder / "period-2", "ben", [row("fact-or-claim", "incorrect", "B"), row("members-today", "correct", "32")],
           exported="2026-12-02T09:00:00")  # Ben again, later: this one counts
    (folder / "cut-short.json").write_text('{"format": "natocourse-quiz-answers", "vers')
    (folder / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    (folder / "empty.json").write_text("")
    (folder / "notebook.json").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4}))
    (folder / "list.json").write_text("[1, 2, 3]")
    (folder / "future.json").write_text(json.dumps({"format": FORMAT, "version": VERSION + 1}))
    broken = export_record(QUIZ, [{"id": "fact-or-claim", "first": "maybe"}], [], "Cy")
    (folder / "broken-questions.json").write_text(json.dumps(broken))
    (folder / "folder.json").mkdir()
    (folder / "notes.txt").write_text("not read")
    return folder


def test_damaged_and_foreign_files_are_reported_and_the_rest_summed_up(folder):
    reading = read_folder(folder)
    assert len(reading.records) == 3
    problems = dict(reading.problems)
    assert problems["cut-short.json"].startswith("damaged: it is not a JSON file")
    assert problems["binary.json"].startswith("damaged: it is not a JSON file")
    assert problems["empty.json"].startswith("damaged")
    assert problems["notebook.json"].startswith("not an export of quiz answers")
    assert problems["list.json"].startswith("not an export of quiz answers")
    assert problems["future.json"].startswith("made by a newer version of the course")
    assert problems["broken-questions.json"] == "damaged: its list of questions is incomplete"
    assert problems["folder.json"].startswith("could not be read")
    replaced = next(name for name in problems if name.startswith("start_here-ben-"))
    assert "replaced by a later export" in problems[replaced] and "period-2" in problems[replaced]
    assert "notes.txt" not in problems


def test_per_question_share_right_first_time_and_most_common_wrong_answer(folder):
    title, students, questions = summarise(read_folder(folder).records)["start_here"]
    assert title == QUIZ.title and students == 3
    by_id = {q.id: q for q in questions}
    claim = by_id["fact-or-claim"]
    assert (claim.answered, claim.right_first) == (3, 1)
    assert claim.most_common_wrong() == "B (2 of 3)"
    members = by_id["members-today"]
    assert (members.answered, members.right_first, members.most_common_wrong()) == (3, 1, "30 (2 of 3)")


def test_the_summary_is_written_with_a_chart_and_the_files_left_out(folder, tmp_path):
    text, written = write_summary(folder, tmp_path / "out")
    assert [p.name for p in written] == ["class-summary.md", "class-summary-start_here.png"]
    assert written[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| 1 | Which of these sentences is a claim" in text and "| 33% | B (2 of 3) |" in text
    assert "How many in 1990?: 2 guessed; median guess 17 (from 14 to 20)" in text
    assert "## Files left out" in text and "- notebook.json: not an export of quiz answers" in text
    again, _ = write_summary(folder, None)  # by default beside the exports, and never read back as one
    assert (folder / "class-summary" / "class-summary.md").exists() and again == text


def test_the_command_line(folder, tmp_path, capsys):
    assert main([str(folder), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "# Class summary" in printed and "Written: " in printed
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().out


def test_a_folder_with_nothing_usable_still_gives_a_summary(tmp_path):
    (tmp_path / "junk.json").write_text("junk")
    text, written = write_summary(tmp_path, tmp_path / "out")
    assert "No usable exported answers were found." in text and "- junk.json: damaged" in text
    assert len(written) == 1


@pytest.mark.parametrize("change, problem", [
    (lambda r: r.pop("quiz"), "damaged: 'quiz' is missing"),
    (lambda r: r.update(version="1"), "damaged: its version is missing"),
    (lambda r: r.update(questions={"a": 1}), "damaged: its list of questions is incomplete"),
    (lambda r: r["questions"][0].update(tries=True), "damaged: its list of questions is incomplete"),
    (lambda r: r.update(predictions=[{"guess": 3}]), "damaged: its list of predictions is incomplete"),
])
def test_check_export_names_what_is_wrong(change, problem):
    record = export_record(QUIZ, [row("fact-or-claim", "correct", "A")], [], "")
    assert check_export(record) == (record, "")
    change(record)
    assert check_export(record) == (None, problem)
