"""Lessons that fit a 50-minute class: cells a projector can show, and timing notes that count what is there.

Each lesson (except the role-play, timed in the teacher guide) ends with a note such as "about 1,200 words of
text (9 minutes ...), three predictions (6), ..., three discussion prompts (4 minutes each, 12) and an
8-question quiz (11): 49 minutes." These tests recount the words, predictions, discussion blocks and quiz
questions of the lesson's main track (its optional extension left out) and add up the minutes.
"""
import json
import re
from pathlib import Path

import pytest

from natocourse.quiz.model import load_quiz

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
TIMED_ELSEWHERE = {"06_negotiation"}  # the role-play: one or two periods, both plans in the teacher guide
MOST_WORDS_ON_SCREEN = 120  # what a projector shows at a readable size
LESSON_MINUTES = 50
TIMING_NOTE = "How this lesson was timed"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
WORD = re.compile(r"[A-Za-z0-9’'-]+")


def words_in(markdown: str) -> int:
    """Words a class reads: tags and link targets left out."""
    text = re.sub(r"\]\([^)]*\)", "]", re.sub(r"<[^>]+>", "", markdown))
    return len(WORD.findall(text))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def main_track(path: Path) -> list[dict]:
    """The lesson's cells without its optional extension (from an "Extension" heading to the next heading)."""
    kept, in_extension = [], False
    for cell in cells(path):
        text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        heading = re.search(r"^#+ (.*)", text, re.MULTILINE)
        if heading:
            in_extension = "extension" in heading.group(1).lower()
        if not in_extension:
            kept.append(cell)
    return kept


def timing_note(path: Path) -> str:
    notes = ["".join(c["source"]) for c in cells(path) if TIMING_NOTE in "".join(c["source"])]
    assert len(notes) == 1, f"{path.name} should have one timing note, has {len(notes)}"
    return notes[0]


def stated_total(note: str) -> int:
    """The minutes a timing note gives the lesson in all ("...: 49 minutes")."""
    return int(re.search(r":\s*(?:about )?(\d+) minutes", note).group(1))


def counted(note: str, pattern: str) -> int:
    found = re.search(pattern, note)
    assert found, f"the timing note does not say {pattern!r}: {note}"
    value = found.group(1).replace(",", "")
    return NUMBER_WORDS[value] if value in NUMBER_WORDS else int(value)


TIMED = [path for path in LESSONS if path.stem not in TIMED_ELSEWHERE]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_text_cell_fits_on_the_projector(path):
    long = [(number, words_in("".join(cell["source"])))
            for number, cell in enumerate(cells(path)) if cell["cell_type"] == "markdown"
            and words_in("".join(cell["source"])) > MOST_WORDS_ON_SCREEN]
    assert not long, f"{path.name}: cells (number, words) longer than {MOST_WORDS_ON_SCREEN} words: {long}"


@pytest.mark.parametrize("path", TIMED, ids=lambda p: p.stem)
def test_the_minutes_of_the_timing_note_add_up_to_its_total_within_a_lesson(path):
    note = timing_note(path)
    total = stated_total(note)
    main_note = note.split("The extension")[0]  # the extension's own time is given apart
    # "(9 minutes at 130 words a minute)" gives its first number; "(2 minutes each, 10)" and "(5)" their last
    parts = [int(re.findall(r"\d+", group)[0 if "words a minute" in group else -1])
             for group in re.findall(r"\(([^()]*\d[^()]*)\)", main_note)]
    assert sum(parts) == total, f"{path.name}: the parts {parts} add up to {sum(parts)}, the note says {total}"
    assert total <= LESSON_MINUTES


@pytest.mark.parametrize("path", TIMED, ids=lambda p: p.stem)
def test_the_timing_note_counts_what_the_lesson_holds(path):
    note, track = timing_note(path), main_track(path)
    markdown = ["".join(c["source"]) for c in track if c["cell_type"] == "markdown"
                and TIMING_NOTE not in "".join(c["source"])]
    code = "".join("".join(c["source"]) for c in track if c["cell_type"] == "code")
    words = sum(words_in(text) for text in markdown)
    stated_words = counted(note, r"about ([\d,]+) words")
    assert abs(words - stated_words) <= 0.1 * words, f"{path.name}: {words} words, the note says {stated_words}"
    assert counted(note, r"(\w+) predictions?\b") == code.count("predict(")
    assert counted(note, r"(\w+) discussion") == sum(text.count("**Discuss") for text in markdown)
    quiz = re.search(r'show_quiz\("(\w+)"\)', code).group(1)
    assert counted(note, r"(\d+)-question quiz") == len(load_quiz(quiz).questions)


@pytest.mark.parametrize("path", TIMED, ids=lambda p: p.stem)
def test_the_time_plan_adds_up_and_gives_the_quiz_the_minutes_of_the_timing_note(path):
    plans = [re.sub(r"\s+", " ", "".join(c["source"])) for c in cells(path) if "**Time plan (" in "".join(c["source"])]
    assert len(plans) == 1, f"{path.name} should open with one time plan, has {len(plans)}"
    plan = plans[0].split("**Time plan (", 1)[1].split("**Extension", 1)[0]
    total = int(re.match(r"(\d+) minutes", plan).group(1))
    sections = [int(minutes) for minutes in re.findall(r"\((\d+) min\)", plan)]
    assert sum(sections) == total <= LESSON_MINUTES, f"{path.name}: the plan's sections {sections} against {total}"
    note = timing_note(path)
    assert total >= stated_total(note)
    plan_quiz = int(re.search(r"quiz \((\d+) min\)", plan).group(1))
    assert plan_quiz == counted(note, r"-question quiz \((\d+)\)"), f"{path.name}: the plan and the note time the quiz apart"
