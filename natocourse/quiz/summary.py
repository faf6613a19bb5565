"""How a class did: a folder of students' exported answers (``export.py``) made into a class summary.

    python -m natocourse.quiz.summary FOLDER [--out OUT]      (or: make class-summary FOLDER=...)

Per quiz and question: how many students answered, the share right on the first try and the most common
wrong first answer; and a chart per quiz (``class-summary-<quiz>.png``). The summary is printed and written,
with the charts, to OUT (by default ``FOLDER/class-summary``). Every ``.json`` file in FOLDER and its
subfolders is read; a file that is damaged, from another program or from a newer version of the course is
reported by name and left out, never fatal. When one named student exported a quiz twice, the later export
counts. Predictions exported with a quiz are summed up too: how many guessed, and the guesses.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..charts.style import GREY, PALETTE, figure_png, new_figure, projector_chart
from .export import check_export


@dataclass
class Reading:
    """What a folder held: usable exports, and the files left out with the reason."""

    records: list[dict] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, why it was left out)


def read_folder(folder: Path) -> Reading:
    """Every usable export under ``folder``; one named student's later export of a quiz replaces the earlier."""
    reading, latest = Reading(), {}
    for path in sorted(folder.rglob("*.json")):
        shown = str(path.relative_to(folder))
        try:
            raw = json.loads(path.read_bytes().decode("utf-8"))
        except OSError as err:
            reading.problems.append((shown, f"could not be read ({err.strerror or err})"))
            continue
        except (UnicodeDecodeError, ValueError, RecursionError):
            reading.problems.append((shown, "damaged: it is not a JSON file (cut short, or another kind of file)"))
            continue
        record, problem = check_export(raw)
        if record is None:
            reading.problems.append((shown, problem))
            continue
        name = record["student"].strip().lower()
        if not name:
            reading.records.append(record)
            continue
        earlier = latest.get((name, record["quiz"]))
        if earlier is not None:
            older, newer = sorted([earlier, (record, shown)], key=lambda pair: pair[0]["exported"])
            reading.problems.append((older[1], f"replaced by a later export of the same quiz by "
                                               f"\"{record['student']}\" ({newer[1]})"))
            record, shown = newer
        latest[(name, record["quiz"])] = (record, shown)
    reading.records.extend(record for record, _shown in latest.values())
    return reading


@dataclass
class QuestionSummary:
    id: str
    prompt: str
    answered: int
    right_first: int
    wrong: Counter

    @property
    def share(self) -> float:
        return self.right_first / self.answered if self.answered else 0.0

    def most_common_wrong(self) -> str:
        if not self.wrong:
            return "none"
        answer, count = sorted(self.wrong.items(), key=lambda item: (-item[1], item[0]))[0]
        return f"{answer} ({count} of {self.answered})"


def summarise(records: list[dict]) -> dict[str, tuple[str, int, list[QuestionSummary]]]:
    """Per quiz: its title, the number of students, and a summary per question (in the quiz's order)."""
    quizzes: dict[str, tuple[str, int, dict[str, QuestionSummary]]] = {}
    for record in sorted(records, key=lambda r: r["exported"]):
        _title, students, questions = quizzes.get(record["quiz"], (record["title"], 0, {}))
        for entry in record["questions"]:
            summary = questions.setdefault(entry["id"], QuestionSummary(entry["id"], entry["prompt"], 0, 0, Counter()))
            summary.prompt = entry["prompt"]  # the latest wording
            if entry["first"] is None:
                continue
            summary.answered += 1
            if entry["first"] == "correct":
                summary.right_first += 1
            else:
                summary.wrong[entry.get("first_answer") or "(no answer)"] += 1
        quizzes[record["quiz"]] = (record["title"], students + 1, questions)
    return {quiz: (title, students, list(questions.values()))
            for quiz, (title, students, questions) in sorted(quizzes.items())}


def predictions(records: list[dict]) -> dict[str, tuple[str, list]]:
    """Per prediction key: its prompt and the class's guesses (None: revealed without a guess)."""
    found: dict[str, tuple[str, list]] = {}
    for record in records:
        for entry in record.get("predictions", []):
            prompt, guesses = found.setdefault(entry["key"], (str(entry.get("prompt", "")), []))
            guesses.append(entry.get("guess"))
    return dict(sorted(found.items()))


def report(reading: Reading) -> str:
    """The class summary as plain text (Markdown), with the files left out at the end."""
    lines = ["# Class summary", ""]
    if not reading.records:
        lines += ["No usable exported answers were found.", ""]
    for quiz, (title, students, questions) in summarise(reading.records).items():
        lines += [f"## {title} ({quiz}): {students} student(s)", "",
                  "| # | question | answered | right first time | most common wrong first answer |",
                  "|---|---|---|---|---|"]
        for number, q in enumerate(questions, start=1):
            lines.append(f"| {number} | {_cell(q.prompt)} | {q.answered} | {q.share:.0%} | "
                         f"{_cell(q.most_common_wrong())} |")
        lines.append("")
    guessed = predictions(reading.records)
    if guessed:
        lines += ["## Predictions", ""]
        for key, (prompt, guesses) in guessed.items():
            lines.append(f"- {prompt or key}: {_guesses(guesses)}")
        lines.append("")
    if reading.problems:
        lines += ["## Files left out", ""] + [f"- {name}: {why}" for name, why in reading.problems] + [""]
    return "\n".join(lines)


@projector_chart
def class_chart(title: str, questions: list[QuestionSummary]):
    """Share of the class right on the first try, one bar per question (the number answering beside it)."""
    height = max(4.5, 0.75 * len(questions) + 2)  # inches: room for two lines per question
    fig, ax = new_figure(margins=(0.36, 0.9 / height, 0.97, 1 - 0.8 / height))
    fig.set_size_inches(11, height)
    labels = [textwrap.fill(textwrap.shorten(f"{n}. {q.prompt}", 80, placeholder="…"), 40)
              for n, q in enumerate(questions, 1)]
    bars = ax.barh(range(len(questions)), [100 * q.share for q in questions],
                   color=[PALETTE["blue"] if q.answered else GREY for q in questions])
    for bar, q in zip(bars, questions):
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, f"{q.share:.0%} of {q.answered}",
                va="center", fontsize=12)
    ax.set_yticks(range(len(questions)), labels, fontsize=11)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("% of those who answered, right on the first try")
    fig.suptitle(textwrap.shorten(title, 70, placeholder="…"), x=0.02, ha="left", fontweight="bold")
    return fig


def write_summary(folder: Path, out: Path | None = None) -> tuple[str, list[Path]]:
    """Read ``folder``, write the summary and one chart per quiz to ``out``; return the text and the files."""
    reading = read_folder(folder)
    out = out or folder / "class-summary"
    out.mkdir(parents=True, exist_ok=True)
    text = report(reading)
    written = [out / "class-summary.md"]
    written[0].write_text(text, encoding="utf-8")
    for quiz, (title, _students, questions) in summarise(reading.records).items():
        chart = out / f"class-summary-{quiz}.png"
        chart.write_bytes(figure_png(class_chart(title, questions)))
        written.append(chart)
    return text, written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Turn a folder of exported quiz answers into a class summary.")
    parser.add_argument("folder", type=Path, help="the folder of the students' exported .json files")
    parser.add_argument("--out", type=Path, help="where to write the summary (default: FOLDER/class-summary)")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder} is not a folder: give the folder that holds the students' exported answers.")
        return 2
    text, written = write_summary(args.folder, args.out)
    print(text)
    print("Written: " + ", ".join(str(path) for path in written))
    return 0


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _guesses(guesses: list) -> str:
    numbers = [g for g in guesses if isinstance(g, (int, float)) and not isinstance(g, bool)]
    none = sum(g is None for g in guesses)
    said = f"{len(guesses) - none} guessed" + (f", {none} revealed without a guess" if none else "")
    if numbers:
        return f"{said}; median guess {statistics.median(numbers):g} (from {min(numbers):g} to {max(numbers):g})"
    common = Counter(str(g) for g in guesses if g is not None).most_common(3)
    return said + ("; most common: " + ", ".join(f"{g} ({n})" for g, n in common) if common else "")


if __name__ == "__main__":
    sys.exit(main())
