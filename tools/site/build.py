"""Build the course's website (``make site``): every lesson, the glossary, the sources and the teacher guide.

    python tools/site/build.py [--out build/site]

Sphinx with MyST-NB and the Book theme, from the committed notebooks, which are never re-executed. A scratch
source folder (build/site-src) is written first, never touching notebooks/ or docs/:

- each lesson ``notebooks/0*.ipynb`` as a copy whose code is folded behind "Show code", whose charts become
  files with their alt text, whose prediction cells show the prompt with the chart and the answer behind a
  ``<details>`` reveal, whose quiz cells list the questions with each option's feedback and the answer behind a
  reveal, and whose interactive views become static stand-ins drawn now (``standins.py``);
- the home page (what the course is, the course map), the glossary, the sources and the teacher guide.

Nothing is fetched: the theme's files, the course's CSS and script are served from the site, and no page loads
a math renderer (the lessons hold no math; the build fails if one would be loaded from another host).
"""
from __future__ import annotations

import argparse
import ast
import base64
import copy
import hashlib
import html
import io
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
            png = _smaller(png)
        name = hashlib.sha256(png).hexdigest()[:16] + ".png"
        (self.folder / name).write_bytes(png)
        return f"{IMG}/{name}"

    def tag(self, png: bytes, alt: str, shrink: bool = False) -> str:
        src = self.save(png, shrink)  # a tap on the chart opens it full size (a phone's screen is narrow)
        return (f'<a class="course-chart-link" href="{src}"><img class="course-chart" src="{src}" '
                f'alt="{html.escape(alt, quote=True)}" loading="lazy"></a>')


def _smaller(png: bytes) -> bytes:
    """A stand-in chart at most MAX_WIDTH wide, in 256 colours: a tenth of the bytes, the same to the eye."""
    from PIL import Image
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    if picture.width > MAX_WIDTH:
        picture = picture.resize((MAX_WIDTH, round(picture.height * MAX_WIDTH / picture.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------- drawing stand-ins: the package's display() captured

def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    return InteractiveShell.instance()


def captured_html(draw, images: Images) -> str:
    """What ``draw()`` displays (charts, tables, printed summaries) as HTML for the site."""
    from IPython.utils.capture import capture_output
    _shell()
    with capture_output() as cap:
        draw()
    parts = []
    for output in cap.outputs:
        data, meta = output.data, output.metadata or {}
        if "image/png" in data:
            png = data["image/png"]
            png = base64.b64decode(png) if isinstance(png, str) else png
            alt = (meta.get("image/png") or {}).get("alt") or str(data.get("text/plain", "")).removeprefix("[Chart] ")
            parts.append(images.tag(png, alt, shrink=True))
        elif "text/html" in data:
            parts.append(f'<div class="course-table">{data["text/html"]}</div>')
        elif "text/plain" in data:
            parts.append(f"<pre>{html.escape(data['text/plain'])}</pre>")
    # the printed lines are the charts' summaries, already the alt text: shown as captions under the charts
    for line in filter(None, (cap.stdout or "").splitlines()):
        parts.append(f'<p class="course-caption">{html.escape(line)}</p>')
    return "\n".join(parts)


def gallery(panels, images: Images, what: str) -> str:
    """One panel as it is; several as a stepped gallery (course.js adds the buttons; without it, all are shown)."""
    if len(panels) == 1:
        label, draw = panels[0]
        return f'<div class="course-standin">{captured_html(draw, images)}</div>'
    figures = "\n".join(f'<figure class="course-step" data-label="{html.escape(label, quote=True)}">'
                        f"<figcaption>{html.escape(label)}</figcaption>{captured_html(draw, images)}</figure>"
                        for label, draw in panels)
    return (f'<div class="course-gallery" role="group" aria-label="{html.escape(what, quote=True)}">'
            f'<p class="course-gallery-note">{html.escape(what)}</p>{figures}</div>')


# ---------------------------------------------------------------- cells

def _calls(source: str):
    """Every call in a cell: (function name, literal positional args, literal keyword args)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            kwargs = {k.arg: k.value.value for k in node.keywords if k.arg and isinstance(k.value, ast.Constant)}
            found.append((name, args, kwargs, node))
    return found


def prediction_of(source: str):
    """(key, prompt) of the cell's ``predict(...)``, or None."""
    for name, args, _kwargs, _node in _calls(source):
        if name == "predict" and len(args) >= 2 and isinstance(args[0], str):
            return args[0], args[1]
    return None


def quiz_of(source: str):
    for name, args, _kwargs, _node in _calls(source):
        if name == "show_quiz" and args and isinstance(args[0], str):
            return args[0]
    return None


def widget_of(source: str):
    """(function name, literal keywords) of the last top-level call of a widget cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        kwargs = {k.arg: k.value.value for k in last.value.keywords if k.arg and isinstance(k.value, ast.Constant)}
        return name, kwargs
    return None


def prediction_html(key: str, prompt: str, images: Images) -> str:
    reveal, _answer = standins.prediction(key)
    line = standins.answer_line(key)
    answer = f'<p class="course-answer"><b>{html.escape(line)}</b></p>' if line else ""
    shown = (gallery(reveal.panels(), images, "In the live lesson a slider or a menu moves through every setting; "
                     "here, the setting the lesson reveals first, then a few more:")
             if isinstance(reveal, standins.Gallery) else captured_html(reveal, images))
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
    """Committed outputs, as the site shows them: charts as files with their alt text, widget views dropped."""
    kept = []
    for output in outputs:
        data = output.get("data", {})
        if output.get("output_type") not in ("display_data", "execute_result"):
            kept.append(output)
            continue
        data = {k: v for k, v in data.items() if k != "application/vnd.jupyter.widget-view+json"}
        if "image/png" in data:
            png = base64.b64decode("".join(data["image/png"]) if isinstance(data["image/png"], list) else data["image/png"])
            alt = (output.get("metadata", {}).get("image/png") or {}).get("alt")
            plain = "".join(data.get("text/plain", "")) if isinstance(data.get("text/plain"), list) else data.get("text/plain", "")
            alt = alt or plain.removeprefix("[Chart] ")
            kept.append(html_output(images.tag(png, alt), plain))
        elif data:
            kept.append({**output, "data": data})
    return kept


def lesson_notebook(path: Path, images: Images, links_html: str, problems: list[str]) -> dict:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook = copy.deepcopy(notebook)
    notebook["metadata"].pop("widgets", None)  # no widget state: MyST-NB would load a widget manager from a CDN
    first_markdown = True
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and first_markdown:
            first_markdown = False
            cell["source"] = "".join(cell["source"]) + "\n\n" + links_html
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        cell["metadata"]["tags"] = sorted(tags | {"hide-input"})
        cell["execution_count"] = None
        predicted, quiz = prediction_of(source), quiz_of(source)
        try:
            if predicted:
                cell["outputs"] = [html_output(prediction_html(*predicted, images), predicted[1])]
            elif quiz:
                cell["outputs"] = [html_output(quiz_html(quiz), f"Quiz: {quiz}")]
            elif "widget" in tags or _interactive(cell):
                name, kwargs = widget_of(source) or (None, {})
                hint = _interactive(cell)
                panels = standins.widget_panels(name, kwargs)
                live = (f"In the live lesson: {hint.removeprefix('[Interactive] ').split(' Run the notebook')[0]}"
                        if hint else "In the live lesson you move through every setting with a slider or a menu.")
                what = f"{live} Here, {'at a few marked settings' if len(panels) > 1 else 'as it first appears'}:"
                cell["outputs"] = [html_output(gallery(panels, images, what), hint)]
            else:
                cell["outputs"] = convert_outputs(cell.get("outputs", []), images)
        except standins.StandInMissing as missing:
            problems.append(f"{path.name}: {missing}")
    return notebook


def _interactive(cell) -> str:
    for output in cell.get("outputs", []):
        plain = output.get("data", {}).get("text/plain", "")
        plain = "".join(plain) if isinstance(plain, list) else plain
        if plain.startswith("[Interactive]"):
            return plain
    return ""


# ---------------------------------------------------------------- the other pages

def run_live_html(notebook: str | None) -> str:
    """The "Run this lesson live" box of a page, from course.toml (tools/links.py)."""
    from links import LinksError, read_links
    try:
        links = read_links()
    except LinksError as err:
        return f'<div class="course-live"><b>Run this lesson live:</b> {html.escape(str(err))}</div>'
    if not links.repository:
        return ('<div class="course-live"><b>Run this lesson live:</b> the links are not set yet. The teacher puts '
                "the students' repository in <code>course.toml</code> and runs <code>make links</code> "
                "(see the teacher guide, section 2).</div>")
    path = f"notebooks/{notebook}" if notebook else None
    items = [f'<a href="{html.escape(links.binder(*([path] if path else [])))}">in JupyterLab on Binder</a>',
             f'<a href="{html.escape(links.binder(*([path] if path else []), presenter=True))}">presenter view '
             "(Voilà) on Binder</a>"]
    if links.hub:
        items.append(f'<a href="{html.escape(links.hub_link(*([path] if path else [])))}">on the school\'s hub</a>')
    label = "Run this lesson live" if notebook else "Run the course live"
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


def lesson_summary(notebook: dict) -> str:
    """The lesson's question: the bold line under its title (or its first sentence)."""
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        bold = re.search(r"^\*\*(.+?)\*\*\s*$", text, re.MULTILINE)
        if bold:
            return bold.group(1).replace("|", "\\|")
        body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        if body:
            return body[0].split(". ")[0].replace("|", "\\|")
    return ""


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
        titles.append((path.stem, title_of(notebook, path.stem), lesson_summary(notebook)))
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
