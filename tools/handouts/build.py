"""Printable handouts: a worksheet PDF per lesson and a printable copy of each homework (make handouts).

    python tools/handouts/build.py [--out build/handouts] [--execute auto|always|never] [notebook ...]

A lesson's worksheet holds, in the lesson's order: its title and objectives, each predict-first prompt with
lined space for a guess (and for what the record showed, filled in after the reveal), the lesson's charts with
their descriptions (text alternatives), each discussion question with room for an answer, and the key points.
The charts are the notebook's saved ones and, for an interactive chart (a slider, a menu), the static stand-in
the website shows, drawn by the same code (tools/site/standins.py: ``cell_stand_in`` and ``capture``), at the
lesson's own setting. No code, no quiz, and never a prediction's answer beside its prompt: the chart a Reveal
draws is printed only in the last section, "After the reveal", on pages of its own (hand them out, or turn to
them, once the class has guessed); no answer sentence is printed at all.

A homework's printable copy holds its questions with a lined box for each answer (no set-up, answer or
check code).

How: each handout is written as a small notebook of markdown cells, turned into HTML by nbconvert's HTML
exporter (template tools/handouts/templates/handout: the lab template with nothing fetched from the network),
then printed to an A4 PDF by headless Chromium (``$CHROMIUM``, default /usr/bin/chromium).

A lesson whose notebook has no saved outputs (just split or cleared, not yet refreshed with
``make notebooks``) is run first, in a scratch copy with a private progress file (``--execute auto``, the
default), so its charts can be printed; the notebook itself is never changed.
"""
from __future__ import annotations

import argparse
import ast
import base64
import html
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools" / "site")]
os.environ.setdefault("MPLBACKEND", "agg")

import standins  # the site's stand-ins: the same charts on paper

TEMPLATES = Path(__file__).resolve().parent / "templates"
OUT = ROOT / "build" / "handouts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw"]
SKIPPED_SECTIONS = re.compile(r"^(\d+\.\s*)?(your first )?quiz\b|^key points|^sources used|^how to use", re.I)
DISCUSS = re.compile(r"^\*\*Discuss[^*]*\*\*\s*")
OBJECTIVES = "By the end of this"
CELL_TIMEOUT = 180  # seconds a cell may run when a lesson without saved outputs is run first


def lesson_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("0*.ipynb"))


def homework_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks" / "homework").glob("hw0*.ipynb"))


# ------------------------------------------------------------------------------------------- pieces of a page

def esc(text: str) -> str:
    return html.escape(text, quote=False)


def lines(count: int) -> str:
    return "<div class='lines'>" + "<div class='line'></div>" * count + "</div>"


def field_line(label: str, unit: str = "") -> str:
    after = f"<span class='label'>{esc(unit)}</span>" if unit else ""
    return f"<div class='field'><span class='label'>{esc(label)}</span><div class='line'></div>{after}</div>"


def md(text: str) -> str:
    """Markdown inside an HTML block: nbconvert renders markdown that sits between blank lines in a <div>."""
    return f"\n\n{text.strip()}\n\n"


@dataclass
class Prediction:
    prompt: str
    kind: str = "text"
    options: list[str] = field(default_factory=list)
    unit: str = ""
    number: int = 0  # its place on the worksheet (1, 2 ...), set when its answer chart is printed at the end
    chart_later: bool = False

    def html(self) -> str:
        label = f"Predict first ({self.number})." if self.number else "Predict first."
        parts = ["<div class='box predict'>", md(f"**{label}** {self.prompt}")]
        if self.kind == "choice" and self.options:
            parts.append("<ul class='options'>" + "".join(f"<li>{esc(o)}</li>" for o in self.options) + "</ul>")
            parts.append(field_line("Why I think so:") + lines(1))
        elif self.kind == "number":
            parts.append(field_line("My guess:", self.unit) + field_line("Why I think so:") + lines(1))
        else:
            parts.append("<p class='box-label'>My guess:</p>" + lines(3))
        record = ("After the reveal (its chart: \u201cAfter the reveal\u201d, at the end), the record shows:"
                  if self.chart_later else "After the reveal, the record shows:")
        parts.append(field_line(record) + lines(1))
        parts.append("</div>")
        return "\n".join(parts)


def discussion_html(question: str) -> str:
    return "\n".join(["<div class='box discuss'>", md(f"**Discuss.** {question}"), lines(4), "</div>"])


def figure_html(png: str, alt: str) -> str:
    caption = f"<figcaption>{esc(alt)}</figcaption>" if alt else ""
    return (f"<figure class='chart'><img src='data:image/png;base64,{png.strip()}' alt='{html.escape(alt)}'>"
            f"{caption}</figure>")


def html_figure(markup: str, alt: str) -> str:
    """A chart drawn in HTML (lesson 06's board), captioned like a picture."""
    return (f"<figure class='chart html-chart' data-alt='{html.escape(alt)}'>{markup}"
            f"<figcaption>{esc(alt)}</figcaption></figure>")


def stand_in_charts(panels: list, start: int) -> list[str]:
    """The charts of an interactive view at the lesson's own setting (panel ``start``), as the site draws them."""
    if not panels:
        return []
    _label, draw = panels[start]
    charts = []
    for shown in standins.capture(draw):
        if shown.kind == "png":
            charts.append(figure_html(base64.b64encode(standins.smaller_png(shown.data)).decode("ascii"), shown.alt))
        elif shown.kind == "html" and shown.alt:  # a chart drawn in HTML carries its alt text; a table does not
            charts.append(html_figure(shown.data, shown.alt))
    return charts


# ----------------------------------------------------------------------------------------- reading a lesson

def paragraphs(text: str) -> list[str]:
    """Markdown split at blank lines (a list's items stay together when they follow each other)."""
    return [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def list_items(block: str) -> list[str]:
    """The items of a markdown list ("* ", "- " or "1. "), each joined onto one line."""
    items: list[str] = []
    for line in block.splitlines():
        start = re.match(r"^\s{0,3}(?:[*-]|\d+\.)\s+(.*)", line)
        if start:
            items.append(start.group(1).strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def is_list(block: str) -> bool:
    return bool(re.match(r"^\s{0,3}(?:[*-]|\d+\.)\s+", block))


def discussion_questions(text: str) -> list[str]:
    """Each "**Discuss.**" question of a markdown cell: the sentence after it, or each item of the list after it."""
    questions: list[str] = []
    blocks = paragraphs(text)
    for index, block in enumerate(blocks):
        if not DISCUSS.match(block):
            continue
        rest = DISCUSS.sub("", block, count=1).strip()
        if rest and not is_list(rest):
            questions.append(" ".join(rest.split()))
            continue
        following = [rest] if rest else []
        for later in blocks[index + 1:]:
            if not is_list(later):
                break
            following.append(later)
        for chunk in following:
            questions.extend(list_items(chunk))
    return questions


def _literal(node: ast.AST, names: dict[str, ast.AST]):
    """The value of an options= argument when it can be read without running anything, else None."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        pass
    if isinstance(node, ast.Name) and node.id in names:
        return _literal(names[node.id], names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" and node.args:
        value = _literal(node.args[0], names)
        return list(value) if value is not None else None
    return None


def predictions_in(source: str) -> list[Prediction]:
    """The predict(...) calls of a code cell: prompt, kind, options (when written out) and unit."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = {target.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "predict"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        prompt = node.args[1] if len(node.args) > 1 else keywords.get("prompt")
        prompt = _literal(prompt, names) if prompt is not None else None
        if not isinstance(prompt, str):
            continue
        kind = _literal(keywords["kind"], names) if "kind" in keywords else "text"
        options = _literal(keywords["options"], names) if "options" in keywords else None
        unit = _literal(keywords["unit"], names) if "unit" in keywords else ""
        found.append(Prediction(prompt, kind if isinstance(kind, str) else "text",
                                [str(o) for o in options] if isinstance(options, (list, tuple)) else [],
                                unit if isinstance(unit, str) else ""))
    return found


def charts_in(cell) -> list[str]:
    """The saved charts of a code cell, as figures (never a prediction's: its chart is drawn only on Reveal)."""
    figures = []
    for output in cell.get("outputs", []):
        png = output.get("data", {}).get("image/png")
        if png:
            alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
            figures.append(figure_html(png, alt))
    return figures


def title_and_lead(text: str) -> tuple[str, str]:
    blocks = paragraphs(text)
    title = blocks[0].lstrip("#").strip() if blocks and blocks[0].startswith("# ") else ""
    lead = next((b for b in blocks[1:2] if b.startswith("**")), "")
    return title, lead


def objectives(text: str) -> str:
    """The "By the end of this lesson" paragraph and its list (the teacher's time plan left out)."""
    blocks = paragraphs(text)
    kept = [b for b in blocks if OBJECTIVES in b or is_list(b)]
    return "\n\n".join(kept)


def lesson_cells(notebook) -> list[str]:
    """The worksheet's blocks (HTML with markdown inside), in the lesson's order."""
    blocks: list[str] = []
    key_points = ""
    pending: list[str] = []  # headings waiting for something to show under them
    skipping = False
    title_done = False
    answers: list[tuple[int, str, list[str]]] = []  # (prediction's number, prompt, its answer charts)
    numbered = 0  # predictions so far

    def emit(block: str) -> None:
        blocks.extend(pending)
        pending.clear()
        blocks.append(block)

    for cell in notebook.cells:
        source = cell.source
        if cell.cell_type == "markdown":
            if not title_done and source.lstrip().startswith("# "):
                title, lead = title_and_lead(source)
                name = notebook.metadata.get("handout_name", "")
                blocks.append("<div class='handout-header'><span>Name:</span><span>Class:</span>"
                              "<span>Date:</span></div>")
                blocks.append(f"<p class='handout-kind'>Worksheet · lesson {esc(name)}</p>")
                blocks.append(md(f"# {title}"))
                if lead:
                    blocks.append(f"<div class='handout-lead'>{md(lead)}</div>")
                title_done = True
                continue
            if OBJECTIVES in source:
                blocks.append(md(objectives(source)))
                continue
            if re.match(r"^##\s+Key points", source.lstrip()):
                key_points = source
                skipping = True
                continue
            # a cell may hold text, then a new section's heading, then more text: read it in order
            for part in re.split(r"^(#{2,3}\s+.*)$", source, flags=re.M):
                heading = re.match(r"^(#{2,3})\s+(.*)", part)
                if heading:
                    level, text = len(heading.group(1)), heading.group(2).strip()
                    if level == 2:
                        skipping = bool(SKIPPED_SECTIONS.match(text))
                        pending[:] = [] if skipping else [md(f"## {text}")]
                    elif not skipping:
                        pending[:] = [h for h in pending if h.strip().startswith("## ")] + [md(f"### {text}")]
                elif not skipping:
                    for question in discussion_questions(part):
                        emit(discussion_html(question))
        elif cell.cell_type == "code" and not skipping:
            stand_in = standins.cell_stand_in(source, cell.metadata.get("tags", []), cell.get("outputs", []))
            found = predictions_in(source)
            if stand_in is not None and stand_in.kind == "prediction":
                charts = stand_in_charts(stand_in.panels, stand_in.start)
                for prediction in found:
                    numbered += 1
                    prediction.number, prediction.chart_later = numbered, bool(charts)
                    emit(prediction.html())
                if charts:
                    answers.append((numbered, stand_in.prompt, charts))
            elif stand_in is not None and stand_in.kind == "widget":
                for figure in stand_in_charts(stand_in.panels, stand_in.start) or charts_in(cell):
                    emit(figure)
            elif stand_in is None:
                for prediction in found:  # a predict( the stand-ins do not read (a prompt written as a variable)
                    emit(prediction.html())
                if "predict(" not in source:
                    for figure in charts_in(cell):
                        emit(figure)
    if key_points:
        body = re.sub(r"^##\s+Key points\s*\n", "", key_points.lstrip())
        body = re.split(r"^#{1,2}\s", body, flags=re.M)[0]  # not a section that follows in the same cell
        blocks.append(md("## Key points") + "<div class='keypoints'>" + md(body) + "</div>")
    if answers:
        blocks.append("<div class='after-reveal'>" + md("## After the reveal") +
                      "<p class='note'>The charts the lesson reveals after each prediction. Turn to this page (or hand "
                      "it out) only once your guess is written down.</p></div>")
        for number, prompt, charts in answers:
            blocks.append(f"<div class='reveal-for'><p class='box-label'>Prediction {number}: "
                          f"{esc(prompt)}</p>{charts[0]}</div>")
            blocks.extend(charts[1:])
    return blocks


# --------------------------------------------------------------------------------------- reading a homework

def homework_cells(notebook) -> list[str]:
    """The homework's text and questions, a lined box for each answer; no code, no checks."""
    name = notebook.metadata.get("handout_name", "")
    blocks = ["<div class='handout-header'><span>Name:</span><span>Class:</span><span>Date:</span></div>",
              f"<p class='handout-kind'>Homework · printable copy of {esc(name)}.ipynb</p>"]
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            text = re.sub(r"<!--.*?-->", "", cell.source, flags=re.S)
            if "otter_answer_cell" in tags:
                blocks.append(f"<div class='box answer'><p class='box-label'>Your answer:</p>{lines(14)}</div>")
                continue
            text = text.split("## Before you hand in")[0]
            text = re.sub(r"Replace this cell's text with your answer", "Write your answer in the box below", text)
            if text.strip():
                blocks.append(md(text))
        elif cell.cell_type == "code" and "otter_answer_cell" in tags:
            names = [n for n in re.findall(r"^(\w+)\s*=", cell.source, flags=re.M)]
            label = ("Your working and answer" + (f" ({', '.join(names)})" if names else "") + ":")
            blocks.append(f"<div class='box answer'><p class='box-label'>{esc(label)}</p>{lines(5)}</div>")
    blocks.append("<p class='note'>The notebook checks each computed answer when you run it; this paper copy is "
                  "for reading the questions and planning your answers. Hand in what your teacher asks for.</p>")
    return blocks


# ------------------------------------------------------------------------------------------------- building

def has_outputs(notebook) -> bool:
    return any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def execute_copy(path: Path):
    """The lesson run from a fresh kernel, with a private progress file; the committed file is untouched.

    It runs through natocourse.notebook_runner (nbclient polling in short slices), which does not stall on a
    missed reply as nbconvert's own run did here now and then.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from natocourse.notebook_runner import NotebookRunner
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, NATOCOURSE_PROGRESS=str(Path(scratch) / "progress.json"),
                   NATOCOURSE_PRESENTER="1", MPLBACKEND="agg")
        ran = nbformat.read(path, as_version=4)
        runner = NotebookRunner(ran, timeout=CELL_TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            runner.execute(env=env)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            sys.exit(f"{path.name} could not be run: {str(err)[-1500:]}\n"
                     "Run `make notebooks` (or fix the error above) and try again.")
    return ran


def to_html(blocks: list[str], title: str, footer: str) -> str:
    page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(block) for block in blocks])
    page.metadata["title"] = title
    exporter = HTMLExporter(template_name="handout", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input_prompt=True, exclude_output_prompt=True, theme="light")
    css_string = footer.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")  # a CSS string
    body, _ = exporter.from_notebook_node(page, resources={"handout_footer": css_string})
    return body


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    if not CHROMIUM.exists():
        sys.exit(f"no Chromium at {CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set "
                 "CHROMIUM=/path/to/chromium")
    with tempfile.TemporaryDirectory() as profile:
        command = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                   f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        sys.exit(f"Chromium could not print {html_path.name}:\n{done.stderr[-2000:]}")


def build(path: Path, out: Path, execute: str = "auto") -> Path:
    notebook = nbformat.read(path, as_version=4)
    lesson = "homework" not in path.parts
    notebook.metadata["handout_name"] = path.stem[:2] if lesson else path.stem
    if lesson and (execute == "always" or (execute == "auto" and not has_outputs(notebook))):
        print(f"{path.relative_to(ROOT)} has no saved outputs: running a copy to draw its charts", flush=True)
        notebook = execute_copy(path)
        notebook.metadata["handout_name"] = path.stem[:2]
    blocks = lesson_cells(notebook) if lesson else homework_cells(notebook)
    first = next((c.source for c in notebook.cells if c.cell_type == "markdown"), path.stem)
    title = first.strip().splitlines()[0].lstrip("# ").strip()
    footer = f"{title} · {'worksheet' if lesson else 'homework'}"
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / f"{path.stem}.html"
    html_path.write_text(to_html(blocks, title, footer), encoding="utf-8")
    pdf_path = out / f"{path.stem}.pdf"
    print_pdf(html_path, pdf_path)
    print(f"wrote {pdf_path.relative_to(ROOT) if pdf_path.is_relative_to(ROOT) else pdf_path}", flush=True)
    return pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson and homework")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PDFs (default build/handouts)")
    parser.add_argument("--execute", choices=("auto", "always", "never"), default="auto",
                        help="run a lesson first: auto (only if it has no saved outputs), always, never")
    parser.add_argument("--keep-html", action="store_true", help="keep the HTML beside each PDF")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or lesson_notebooks() + homework_notebooks()
    for path in paths:
        pdf = build(path, args.out, args.execute)
        if not args.keep_html:
            pdf.with_suffix(".html").unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
