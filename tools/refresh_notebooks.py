"""Run every notebook from a fresh kernel and save it with its outputs, ready to commit.

    python tools/refresh_notebooks.py [notebook ...]

Outputs are what nbval compares against and what GitHub shows, so they must
come from a clean run. Widget views are then removed (a stored view shows
"model not found" to a student who opens the notebook before running it);
each widget keeps its plain-text form, which says to run the notebook. Cells
that show widgets are tagged ``nbval-ignore-output``.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat

from natocourse.notebook_runner import NotebookRunner

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(notebook) -> None:
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if WIDGET_VIEW in output.get("data", {}):
                del output["data"][WIDGET_VIEW]
                if "nbval-ignore-output" not in cell.metadata.get("tags", []):
                    sys.exit(f"{cell.id}: shows a widget but is not tagged nbval-ignore-output")


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        # a private progress file, so no one's saved quiz answers leak into the committed outputs
        os.environ["NATOCOURSE_PROGRESS"] = str(Path(scratch) / "progress.json")
        NotebookRunner(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    strip_widget_views(notebook)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    print(f"refreshed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for notebook_path in paths:
        # homework worksheets are committed blank: tools/build_homework.py makes them
        if ".ipynb_checkpoints" not in notebook_path.parts and "homework" not in notebook_path.parts:
            refresh(notebook_path)
