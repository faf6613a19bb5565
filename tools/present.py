"""Presenter mode: one lesson in Voilà, for the projector (make present LESSON=01).

    python tools/present.py 01              # lesson 01 in the browser: no code, widgets live
    python tools/present.py 03 --port 8870 --no-browser

Voilà runs every cell of the lesson (the hidden set-up cells too) in a fresh kernel and shows only the text, the
charts and the widgets: predictions, sliders, menus and quizzes all work. It runs with NATOCOURSE_PRESENTER=1:
the teacher's own saved answers are not shown on the projector, and nothing answered in class is saved.
Stop it with Ctrl+C.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
# Voilà's client sometimes misses a cell's reply and waits for it until the cell's timeout, which Voilà leaves
# unlimited: the page stays at "Executing n of m". VOILA runs Voilà with a client that polls in short slices
# (natocourse/notebook_runner.py); the timeout is a second guard, far above any lesson cell (3 s at most here).
VOILA = [sys.executable, "-c", "from natocourse.notebook_runner import voila_main; voila_main()"]
CELL_TIMEOUT = 60


def lessons() -> list[Path]:
    return sorted(NOTEBOOKS.glob("0*.ipynb"))


def find_lesson(name: str) -> Path:
    """The lesson a teacher names: "01", "1", "01_enlargement_timeline" or a path to the notebook."""
    given = Path(name)
    if given.suffix == ".ipynb" and given.exists():
        return given.resolve()
    wanted = name.strip()
    if wanted.isdigit():
        wanted = f"{int(wanted):02d}"
    found = [path for path in lessons() if path.stem.startswith(wanted)]
    if len(found) != 1:
        listing = ", ".join(path.stem for path in lessons())
        raise SystemExit(f'No single lesson matches "{name}". Name one of: {listing} '
                         f"(for example: make present LESSON=01).")
    return found[0]


def voila_command(notebook: Path, port: int, browser: bool) -> list[str]:
    command = [*VOILA, str(notebook), f"--port={port}", "--Voila.ip=127.0.0.1",
               "--theme=light", "--strip_sources=True", f"--VoilaExecutor.timeout={CELL_TIMEOUT}"]
    if not browser:
        command.append("--no-browser")
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Show one lesson in Voilà, for the projector.")
    parser.add_argument("lesson", nargs="?", default="",
                        help='the lesson\'s number or name, such as 01 (make present LESSON=01)')
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)
    if not args.lesson:
        listing = "\n".join(f"  make present LESSON={path.stem[:2]}   ({path.stem})" for path in lessons())
        print(f"Name the lesson to show:\n{listing}")
        return 2
    notebook = find_lesson(args.lesson)
    env = dict(os.environ, NATOCOURSE_PRESENTER="1")
    print(f"Presenting {notebook.relative_to(ROOT)} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
    try:
        return subprocess.call(voila_command(notebook, args.port, not args.no_browser), env=env, cwd=notebook.parent)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
