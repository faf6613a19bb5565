"""Build the course's website (``make site``): every lesson, the glossary, the sources and the teacher guide.

    python tools/site/build.py [--out build/site]

Sphinx with MyST-NB and the Book theme, from the committed notebooks, which are never re-executed. A scratch
source folder (build/site-src) is written first, never touching notebooks/ or docs/:

- each lesson ``notebooks/0*.ipynb`` as a copy whose code is folded behind "Show code" (a prediction's or a quiz's
  code and a cell that shows nothing left out), whose tables lose pandas' row numbers, whose charts become
  files with their alt text, whose prediction cells show the prompt with the chart and the answer behind a
  ``<details>`` reveal, whose quiz cells list the questions with each option's feedback and the answer behind a
  reveal, and whose interactive views become static stand-ins drawn now (``standins.py``);
- the home page (what the course is, the course map), the glossary, the sources and the teacher guide.

Nothing is fetched: the theme's files, the course's CSS and script are served from the site, and no page loads
a math renderer (the lessons hold no math; the build fails if one would be loaded from another host).
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools"), str(HERE)]

import standins

SRC = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
IMG = "img"  # under the site's root: every page sits at the root, so "img/..." works from each
MAX_WIDTH = 1100  # stand-in charts are scaled down to this many pixels wide (phones and projectors alike)


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("0*.ipynb"))


def title_of(notebook: dict, fallback: str) -> str:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


# ---------------------------------------------------------------- images

class Images:
    """PNG files written under the site's img/ folder, named by their content."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def save(self, png: bytes, shrink: bool = False) -> str:
        if shrink:
            png = standins.smaller_png(png, MAX_WIDTH)
        name = hashlib.sha256(png).hexdigest()[:16] + ".png"
        (self.folder / name).write_bytes(png)
        return f"{IMG}/{name}"

    def tag(self, png: bytes, alt: str, shrink: bool = False) -> str:
        src = self.save(png, shrink)  # a tap on the chart opens it full size (a phone's screen is narrow)
        return (f'<a class="course-chart-link" href="{src}"><img class="course-chart" src="{src}" '
                f'alt="{html.escape(alt, quote=True)}" loading="lazy"></a>')


# ---------------------------------------------------------------- drawing stand-ins: the package's display() captured

def captured_html(draw, images: Images) -> str:
    """What ``draw()`` displays (charts, tables, printed summaries) as HTML for the site (standins.capture)."""
    parts = []
    for shown in standins.capture(draw):
        if shown.kind == "png":
            parts.append(images.tag(shown.data, shown.alt, shrink=True))
        elif shown.kind == "html":
            parts.append(f'<div class="course-table">{without_range_index(shown.data)}</div>')
        elif shown.kind == "text":
            parts.append(f"<pre>{html.escape(shown.data)}</pre>")
        else:  # the printed lines are the charts' summaries, already the alt text: shown as captions under them
            parts.append(f'<p class="course-caption">{html.escape(shown.data)}</p>')
    return "\n".join(parts)


def without_range_index(markup: str) -> str:
    """A pandas table without its row numbers (0, 1, 2 ...: the index of a table that has no index of its own).

    An index that names something (a perspective, a year) is kept: only an unnamed index of whole numbers goes."""
    if "dataframe" not in markup:
        return markup
    from bs4 import BeautifulSoup
    page = BeautifulSoup(markup, "html.parser")
    changed = False
    for table in page.select("table.dataframe"):
        head_rows, body_rows = table.select("thead tr"), table.select("tbody tr")
        if len(head_rows) != 1 or not body_rows:
            continue  # a second header row names the index
        corner = head_rows[0].find(["th", "td"])
        firsts = [row.find(["th", "td"]) for row in body_rows]
        if (corner is None or corner.get_text(strip=True) or any(c is None or c.name != "th" for c in firsts)
                or not all(re.fullmatch(r"-?\d+", c.get_text(strip=True)) for c in firsts)):
            continue
        corner.decompose()
        for cell in firsts:
            cell.decompose()
        changed = True
    return str(page) if changed else markup


def gallery(panels, images: Images, what: str, start: int = 0) -> str:
    """One panel as it is; several as a stepped gallery in their order, opening at ``start`` (course.js adds the
    buttons; without it, all are shown)."""
    if len(panels) == 1:
        label, draw = panels[0]
        return f'<div class="course-standin">{captured_html(draw, images)}</div>'
    figures = "\n".join(f'<figure class="course-step" data-label="{html.escape(label, quote=True)}">'
                        f"<figcaption>{html.escape(label)}</figcaption>{captured_html(draw, images)}</figure>"
                        for label, draw in panels)
    return (f'<div class="course-gallery" role="group" aria-label="{html.escape(what, quote=True)}" '
            f'data-start="{start}"><p class="course-gallery-note">{html.escape(what)}</p>{figures}</div>')


# ---------------------------------------------------------------- cells (read by standins, shared with the worksheets)

prediction_of, quiz_of, widget_of = standins.prediction_of, standins.quiz_of, standins.widget_of


def prediction_html(key: str, prompt: str, images: Images) -> str:
    panels, start = standins.reveal_panels(key)
    line = standins.answer_line(key)
    answer = f'<p class="course-answer"><b>{html.escape(line)}</b></p>' if line else ""
    shown = gallery(panels, images, "In the live lesson a slider or a menu moves through every setting; here, a few "
                    "of them in order, opening at the one the lesson reveals:", start)
    return (f'<div class="course-predict" id="predict-{html.escape(key)}">'
            f'<p class="course-predict-prompt"><b>Predict first.</b> {html.escape(prompt)}</p>'
            "<p><i>Write down your guess (or the class's guess), then open the answer.</i></p>"
            f'<details class="course-reveal"><summary>Reveal</summary>{answer}{shown}</details></div>')


def quiz_html(name: str) -> str:
    from natocourse.quiz.model import load_quiz
    from natocourse.sources import cite
    quiz = load_quiz(name)
    parts = [f'<div class="course-quiz"><p class="course-quiz-title"><b>Quiz: {html.escape(quiz.title)}</b> '
             f"({len(quiz.questions)} questions). Answer each on paper, then open its reveal.</p>"]
    for number, q in enumerate(quiz.questions, 1):
        if q.type in ("single", "multiple"):
            how = "Pick one." if q.type == "single" else "Pick every option that fits."
            options = "".join(f"<li>{html.escape(c.text)}</li>" for c in q.choices)
            body = f'<p class="course-quiz-how">{how}</p><ol type="A">{options}</ol>'
        elif q.type == "order":
            items = "".join(f"<li>{html.escape(q.choices[i].text)}</li>" for i in q.shuffled_order())
            body = f'<p class="course-quiz-how">Put these in order.</p><ul>{items}</ul>'
        else:
            body = f'<p class="course-quiz-how">Answer with a number{f" ({html.escape(q.unit)})" if q.unit else ""}.</p>'
        key = "".join(f"<li>{html.escape(text)} <span class='course-cite'>({html.escape(cite(source))})</span></li>"
                      for text, source in q.answer_key())
        parts.append(f'<div class="course-quiz-question"><p><b>{number}.</b> {html.escape(q.prompt)}</p>{body}'
                     f'<details class="course-reveal"><summary>Answer and feedback</summary><ul>{key}</ul></details>'
                     "</div>")
    parts.append("</div>")
    return "".join(parts)


def html_output(markup: str, plain: str = "") -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": markup, "text/plain": plain}}


def convert_outputs(outputs: list, images: Images) -> list:
    """Committed outputs, as the site shows them: charts as files with their alt text, tables without row numbers,
    widget views dropped."""
    kept = []
    for output in outputs:
        data = output.get("data", {})
        if output.get("output_type") not in ("display_data", "execute_result"):
            kept.append(output)
            continue
        data = {k: v for k, v in data.items() if k != "application/vnd.jupyter.widget-view+json"}
        plain = "".join(data.get("text/plain", "")) if isinstance(data.get("text/plain"), list) else data.get("text/plain", "")
        if "image/png" in data:
            png = base64.b64decode("".join(data["image/png"]) if isinstance(data["image/png"], list) else data["image/png"])
            alt = (output.get("metadata", {}).get("image/png") or {}).get("alt")
            alt = alt or plain.removeprefix("[Chart] ")
            kept.append(html_output(images.tag(png, alt), plain))
        elif "text/html" in data:
            markup = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
            kept.append(html_output(without_range_index(markup), plain))
        elif data:
            kept.append({**output, "data": data})
    return kept


def lesson_notebook(path: Path, images: Images, links_html: str, problems: list[str]) -> dict:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook = copy.deepcopy(notebook)
    notebook["metadata"].pop("widgets", None)  # no widget state: MyST-NB would load a widget manager from a CDN
    # the page's description (search results, link previews): what the lesson asks
    notebook["metadata"].setdefault("myst", {})["html_meta"] = {"description": lesson_summary(notebook, path.stem).replace("\\|", "|")}
    first_markdown = True
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and first_markdown:
            first_markdown = False
            cell["source"] = "".join(cell["source"]) + "\n\n" + links_html
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        cell["execution_count"] = None
        stand_in = None
        try:
            stand_in = standins.cell_stand_in(source, tags, cell.get("outputs", []))
            if stand_in is None:
                cell["outputs"] = convert_outputs(cell.get("outputs", []), images)
            elif stand_in.kind == "prediction":
                cell["outputs"] = [html_output(prediction_html(stand_in.name, stand_in.prompt, images), stand_in.prompt)]
            elif stand_in.kind == "quiz":
                cell["outputs"] = [html_output(quiz_html(stand_in.name), f"Quiz: {stand_in.name}")]
            else:
                hint = standins.interactive_hint(cell.get("outputs", []))
                panels = stand_in.panels
                live = (f"In the live lesson: {hint.removeprefix('[Interactive] ').split(' Run the notebook')[0]}"
                        if hint else "In the live lesson you move through every setting with a slider or a menu.")
                what = f"{live} Here, {'at a few marked settings' if len(panels) > 1 else 'as it first appears'}:"
                cell["outputs"] = [html_output(gallery(panels, images, what, stand_in.start), hint)]
        except standins.StandInMissing as missing:
            problems.append(f"{path.name}: {missing}")
        # code folded behind "Show code"; a prediction's code left out (it computes the answer next to the prompt),
        # and a quiz's (one call, nothing to read);
        # a cell that shows nothing (the set-up) left out, not an empty toggle
        fold = ("remove-cell" if not cell.get("outputs") else
                "remove-input" if stand_in is not None and stand_in.kind in ("prediction", "quiz") else "hide-input")
        cell["metadata"]["tags"] = sorted(tags | {fold})
    return notebook


# ---------------------------------------------------------------- the other pages

def run_live_html(notebook: str | None) -> str:
    """The "Run this lesson live" box of a page, from course.toml (tools/links.py)."""
    from links import LinksError, read_links
    try:
        links = read_links()
    except LinksError as err:
        return f'<div class="course-live"><b>Run this lesson live:</b> {html.escape(str(err))}</div>'
    label = "Run this lesson live" if notebook else "Run the course live"
    if not links.repository:
        return (f'<div class="course-live"><b>{label}:</b> the links are not set yet. The teacher puts '
                "the students' repository in <code>course.toml</code> and runs <code>make links</code> "
                "(see the teacher guide, section 2).</div>")
    path = f"notebooks/{notebook}" if notebook else None
    items = [f'<a href="{html.escape(links.binder(*([path] if path else [])))}">in JupyterLab on Binder</a>',
             f'<a href="{html.escape(links.binder(*([path] if path else []), presenter=True))}">presenter view '
             "(Voilà) on Binder</a>"]
    if links.hub:
        items.append(f'<a href="{html.escape(links.hub_link(*([path] if path else [])))}">on the school\'s hub</a>')
    return f'<div class="course-live"><b>{label}:</b> ' + " · ".join(items) + "</div>"


def home_page(titles: list[tuple[str, str, str]]) -> str:
    rows = "\n".join(f"| [{title.replace('[', '(').replace(']', ')')}]({stem}.ipynb) | {summary} |" for stem, title, summary in titles)
    return f"""# NATO enlargement, the security dilemma and diplomacy: a course

A course for school and first-year university classes about NATO's enlargement since 1949, the security dilemma,
arms races, and the record of diplomacy before and during the Russia-Ukraine war. Every fact comes from a source
you can check; every argument is shown with the name of whoever makes it, beside the strongest other views.

This website is the course to **read**: on a phone, on a school computer, with no installation. The charts are
the ones the lessons draw; where a lesson has a slider or a menu, you see it here at a few marked settings. To
move the sliders yourself, answer the quizzes and save your guesses, run a lesson live.

```{{raw}} html
{run_live_html(None)}
```

## The course map

| Lesson | What it asks |
|---|---|
{rows}

Also here: the [glossary](glossary.md) of the terms the lessons use, every [source](sources.md) they cite, and
the [teacher guide](teacher-guide.md).

**Predict first.** The lessons ask you to guess before you see the data. On this site each answer sits behind a
**Reveal**: write your guess down first, then open it.

```{{toctree}}
:hidden:
:caption: Lessons

{chr(10).join(f"{stem}.ipynb" for stem, _t, _s in titles)}
```

```{{toctree}}
:hidden:
:caption: Reference

glossary.md
sources.md
teacher-guide.md
```
"""


def lesson_summary(notebook: dict, stem: str = "") -> str:
    """What the lesson asks: the bold question under its title; for a lesson with none (00), its row in the course
    map of lesson 00 ("what it asks"); else the first sentence under the title."""
    first = next(("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"), "")
    body = re.sub(r"^#.*$", "", first, count=1, flags=re.MULTILINE).strip()
    bold = re.match(r"\*\*(.+?)\*\*", body, re.DOTALL)
    if bold:
        return " ".join(bold.group(1).split()).replace("|", "\\|")
    row = course_map().get(stem[:2])
    if row:
        return row[0].upper() + row[1:]
    sentence = re.split(r"(?<=[.?!])\s", " ".join(body.split()), maxsplit=1)[0]
    return sentence.replace("|", "\\|")


def course_map() -> dict[str, str]:
    """Lesson number -> "what it asks", from the course map table of lesson 00 (empty when there is none)."""
    path = next(iter(sorted((ROOT / "notebooks").glob("00_*.ipynb"))), None)
    if path is None:
        return {}
    rows = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            number = re.match(r"\**(\d\d)\b", cells[0]) if len(cells) >= 2 else None
            if number:
                rows[number.group(1)] = cells[1]
    return rows


def glossary_page() -> str:
    from natocourse.glossary import glossary_html
    glossary = standins.table("glossary")
    return ("# Glossary\n\nThe terms the lessons use, each with the source it rests on. Search the page with your "
            "browser's find (Ctrl+F, or Find in page on a phone).\n\n```{raw} html\n"
            f'<div class="course-table">{glossary_html(glossary)}</div>\n```\n')


def sources_page() -> str:
    sources = standins.table("sources")
    items = []
    for row in sources.fillna("").itertuples():
        url = str(row.url).strip()
        title = html.escape(str(row.title))
        title = f'<a href="{html.escape(url, quote=True)}">{title}</a>' if url else f"<i>{title}</i>"
        notes = f'<br><span class="course-cite">{html.escape(str(row.notes))}</span>' if str(row.notes).strip() else ""
        items.append(f'<li class="course-source" id="{html.escape(str(row.source_id))}">{html.escape(str(row.authors))} '
                     f"({html.escape(str(row.year))}). {title}. {html.escape(str(row.publisher))}. "
                     f"<span class='course-cite'>[{html.escape(str(row.kind))}]</span>{notes}</li>")
    return ("# Sources\n\nEvery source the course cites (data/sources.csv): the five documents the lessons read "
            "closely, and the official, scholarly and reference sources for the facts. Links lead to the publishers' "
            "own sites.\n\n```{raw} html\n<ul class=\"course-sources\">" + "".join(items) + "</ul>\n```\n")


def guide_page(lesson_files: list[Path]) -> str:
    """The teacher guide, its links to lessons pointing at their pages and to other files at plain names."""
    text = (ROOT / "docs" / "teacher-guide.md").read_text(encoding="utf-8")
    stems = {p.name: p.stem for p in lesson_files}

    def relink(match):
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        name = target.split("#")[0].rsplit("/", 1)[-1]
        if name in stems:
            return f"[{label}]({stems[name]}.ipynb)"
        return f"{label} (`{target.lstrip('./')}`)"  # a file of the repository: named, not linked
    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", relink, text)


# ---------------------------------------------------------------- build

def write_sources(src: Path) -> list[str]:
    """Write the scratch Sphinx source folder; returns the problems that stop the build."""
    if src.exists():
        shutil.rmtree(src)
    (src / "_extra").mkdir(parents=True)
    images = Images(src / "_extra" / IMG)
    problems: list[str] = []
    titles = []
    files = lessons()
    for path in files:
        notebook = lesson_notebook(path, images, "```{raw} html\n" + run_live_html(path.name) + "\n```", problems)
        (src / path.name).write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
        titles.append((path.stem, title_of(notebook, path.stem), lesson_summary(notebook, path.stem)))
    (src / "index.md").write_text(home_page(titles), encoding="utf-8")
    (src / "glossary.md").write_text(glossary_page(), encoding="utf-8")
    (src / "sources.md").write_text(sources_page(), encoding="utf-8")
    (src / "teacher-guide.md").write_text(guide_page(files), encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--src", type=Path, default=SRC)
    args = parser.parse_args(argv)
    started = time.monotonic()
    import natocourse
    natocourse.setup()
    problems = write_sources(args.src)  # (two builds at once: give each its own --src)
    if problems:
        print("The site cannot be built:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"sources written to {args.src} in {time.monotonic() - started:.0f} s")
    from sphinx.cmd.build import build_main
    os.environ["COURSE_SITE_SRC"] = str(args.src.resolve())
    # built beside, then put in place: a reader (or a test) never meets a half-written site
    staging = args.out.with_name(f".{args.out.name}-{os.getpid()}")
    doctrees = args.src.parent / f"site-doctrees-{os.getpid()}"
    try:
        code = build_main(["-b", "html", "-q", "-c", str(HERE), "-d", str(doctrees), str(args.src), str(staging)])
        if code:
            return code
        old = args.out.with_name(f".{args.out.name}-old-{os.getpid()}")
        if args.out.exists():
            args.out.rename(old)
        staging.rename(args.out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    foreign = [p.name for p in args.out.glob("*.html") if re.search(r"""(src|href)=["']https?://[^"']*"""
                                                                     r"""(mathjax|jsdelivr|unpkg|cdnjs|googleapis)""",
                                                                     p.read_text(encoding="utf-8"))]
    if foreign:
        print("pages that would load files from another host: " + ", ".join(foreign), file=sys.stderr)
        return 1
    for page in sorted(args.out.glob("0*.html")):
        size = page.stat().st_size + sum((args.out / src).stat().st_size for src in set(
            re.findall(r'src="(img/[^"]+)"', page.read_text(encoding="utf-8"))))
        print(f"  {page.name}: {size / 1e6:.2f} MB with its images")
    print(f"site built in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"in {time.monotonic() - started:.0f} s: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
