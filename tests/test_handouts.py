"""Printable handouts (make handouts): one worksheet PDF per lesson, one printable copy per homework.

The reading of a notebook (its predictions, discussion questions, objectives) is tested on its own, quickly;
the build itself needs Chromium (marked ``browser``): it runs tools/handouts/build.py into a scratch folder and
reads every PDF back with pypdf: A4 pages, each lesson's title, objectives, every predict-first prompt and its
discussion questions, never the answer sentence a Reveal prints, no code, at least one chart, and one image per
chart. A worksheet's charts include the static stand-ins of its interactive charts (tools/site/standins.py, as on
the site); a chart a Reveal draws is printed only after every prompt, in "After the reveal".
"""
from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("handouts_build", ROOT / "tools" / "handouts" / "build.py")
handouts = sys.modules["handouts_build"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(handouts)

LESSONS = handouts.lesson_notebooks()
HOMEWORK = handouts.homework_notebooks()
A4 = (595.3, 841.9)  # points
ANSWER_SENTENCE = ("Your guess:", "The record:", "Revealed")  # what a Reveal prints, and the button after it


def plain(text: str) -> str:
    """Text as compared: ligatures undone, quotes straightened, all white space one space."""
    text = unicodedata.normalize("NFKC", text).replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return " ".join(text.split())


def prompts(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [p.prompt for cell in notebook.cells if cell.cell_type == "code"
            for p in handouts.predictions_in(cell.source)]


# ------------------------------------------------------------------------- reading a notebook (no browser)

def test_discussion_questions_inline_and_as_a_list():
    text = ("Some text.\n\n**Discuss.** Which parts can documents settle,\nand which are judgements?\n\n"
            "**Discuss.**\n\n* In which decade?\n* Finland and Sweden stayed out,\n  then applied. Why?\n\nAfter.")
    assert handouts.discussion_questions(text) == [
        "Which parts can documents settle, and which are judgements?", "In which decade?",
        "Finland and Sweden stayed out, then applied. Why?"]


def test_predictions_read_without_running_the_cell():
    source = ('joined = {"Poland (1999)": 1999, "Finland (2023)": 2023}\n'
              'predict("01_border", "Which enlargement added the most?", reveal=lambda: show(x),\n'
              '        kind="choice", options=list(joined), answer=lambda: "x")\n'
              'predict("01_n", "How many?", reveal=lambda: 1, kind="number", unit="waves", answer=lambda: 3)')
    first, second = handouts.predictions_in(source)
    assert (first.prompt, first.kind, first.options) == ("Which enlargement added the most?", "choice",
                                                         ["Poland (1999)", "Finland (2023)"])
    assert (second.kind, second.unit) == ("number", "waves")
    assert "3" not in second.html()  # the answer is never computed, let alone printed


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_prediction_of_a_lesson_is_found(path):
    """Each predict( call in the lesson gives a prompt on the worksheet (a prompt written as a variable would not)."""
    notebook = nbformat.read(path, as_version=4)
    calls = sum(len(re.findall(r"\bpredict\(", cell.source)) for cell in notebook.cells if cell.cell_type == "code")
    assert len(prompts(path)) == calls


@pytest.fixture(scope="module")
def worksheets():
    """Each lesson's worksheet blocks (charts drawn, nothing printed): stem -> list of HTML blocks."""
    import natocourse
    natocourse.setup()
    return {path.stem: handouts.lesson_cells(nbformat.read(path, as_version=4)) for path in LESSONS}


def _charts(blocks: list[str]) -> list[str]:
    """The alt text of each chart on a worksheet: a picture, or a chart drawn in HTML (lesson 06's board)."""
    joined = "".join(blocks)
    return (re.findall(r"<figure class='chart'><img src='data:image/png;base64,[^']+' alt='([^']*)'", joined)
            + re.findall(r"<figure class='chart html-chart' data-alt='([^']*)'>", joined))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_worksheet_has_its_charts_with_alt_text(worksheets, path):
    """A lesson whose charts are drawn by widgets still prints them: the site's stand-ins, at the lesson's setting."""
    alts = _charts(worksheets[path.stem])
    assert alts, f"{path.stem}: the worksheet has no chart"
    assert all(alt.strip() for alt in alts), f"{path.stem}: a chart with no alt text"
    notebook = nbformat.read(path, as_version=4)
    saved = [(o.get("metadata", {}).get("image/png") or {}).get("alt") for c in notebook.cells if c.cell_type == "code"
             and "predict(" not in c.source for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    missing = [alt for alt in saved if alt and html.escape(alt) not in alts]
    assert not missing, f"{path.stem}: saved charts not on the worksheet: {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_answer_chart_before_or_beside_its_prompt(worksheets, path):
    """What a Reveal draws is printed only in "After the reveal", on its own page, after every prompt."""
    import standins
    blocks = worksheets[path.stem]
    text = "".join(blocks)
    notebook = nbformat.read(path, as_version=4)
    keys = [found[0] for c in notebook.cells if c.cell_type == "code" and (found := standins.prediction_of(c.source))]
    answer_alts = {shown.alt for key in keys for panels, start in [standins.reveal_panels(key)]
                   for shown in standins.capture(panels[start][1]) if shown.kind == "png"}
    after = text.find("class='after-reveal'")
    if answer_alts:
        assert after > text.rfind("class='box predict'"), f"{path.stem}: an answer section before a prompt"
    for alt in answer_alts:
        where = text.find(f"alt='{html.escape(alt)}'")
        assert where == -1 or where > after, f"{path.stem}: a Reveal's chart printed before \"After the reveal\": {alt}"


# ---------------------------------------------------------------------------------- the build (Chromium)

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        message = f"no Chromium at {chromium}: install it (Debian/Ubuntu: sudo apt-get install chromium)"
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("handouts")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "handouts" / "build.py"), "--out", str(out),
                           "--keep-html"], capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return out


def read_pdf(path: Path):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(path)
    text = plain(" ".join(page.extract_text() or "" for page in reader.pages))
    images = sum(len(page.images) for page in reader.pages)
    return reader, text, images


@pytest.mark.browser
def test_one_pdf_per_lesson_and_homework(built):
    assert sorted(p.stem for p in built.glob("*.pdf")) == sorted(p.stem for p in LESSONS + HOMEWORK)


@pytest.mark.browser
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_worksheet(built, path):
    reader, text, images = read_pdf(built / f"{path.stem}.pdf")
    assert 1 <= len(reader.pages) <= 12
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == pytest.approx(A4, abs=1)
    notebook = nbformat.read(path, as_version=4)
    title = notebook.cells[0].source.strip().splitlines()[0].lstrip("# ").strip()
    assert plain(title) in text
    assert "By the end of this" in text and "Key points" in text
    for prompt in prompts(path):
        assert plain(prompt) in text, f"the prompt is missing: {prompt}"
        assert "My guess:" in text
    questions = [q for cell in notebook.cells if cell.cell_type == "markdown" for q in handouts.discussion_questions(cell.source)]
    for question in questions:  # as written, less the markdown marks
        words = plain(re.sub(r"[*_`]", "", question))
        assert words[:60] in re.sub(r"[*_`]", "", text), f"the discussion question is missing: {question}"
    for sign in ANSWER_SENTENCE:
        assert sign not in text, f'"{sign}": a prediction\'s answer is printed'
    for code in ("import natocourse", "course.show_quiz", "predict(", "lambda"):
        assert code not in text, f"code on the worksheet: {code}"
    page = (built / f"{path.stem}.html").read_text(encoding="utf-8")
    charts = len(re.findall(r"<figure class=[\"']chart", page))
    assert charts >= 1, f"{path.stem}: the worksheet has no chart"
    pictures = len(re.findall(r"<figure class=[\"']chart[\"']", page))  # not lesson 06's charts drawn in HTML
    assert images == pictures, f"{pictures} pictures in the worksheet but {images} images in the PDF"


@pytest.mark.browser
@pytest.mark.parametrize("path", HOMEWORK, ids=lambda p: p.stem)
def test_homework_printable(built, path):
    reader, text, images = read_pdf(built / f"{path.stem}.pdf")
    assert 1 <= len(reader.pages) <= 12
    notebook = nbformat.read(path, as_version=4)
    title = notebook.cells[0].source.strip().splitlines()[0].lstrip("# ").strip()
    assert plain(title) in text
    asked = re.findall(r"\*\*(Question \d+)", " ".join(c.source for c in notebook.cells if c.cell_type == "markdown"))
    assert asked, "the homework has no questions"
    for question in asked:
        assert question in text
    assert text.count("Your") >= len(set(asked)), "a question has no answer box"
    for code in ("import otter", "otter.Notebook", "Initialize Otter", "course.setup()"):
        assert code not in text, f"code on the printable copy: {code}"
