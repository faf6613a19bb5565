"""The course's website (tools/site/, ``make site``): built from the committed notebooks, nothing spoiled.

The build runs once per test session, unless build/site is newer than everything it is made from (the lessons,
the data, the package, the guide, tools/site/). The browser's checks are in tests/test_browser_site.py.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "site"
sys.path[:0] = [str(ROOT / "tools" / "site"), str(ROOT / "tools")]

import standins

import build as site_build

bs4 = pytest.importorskip("bs4")
INPUTS = ["notebooks", "data", "natocourse", "tools/site", "tools/links.py", "docs/teacher-guide.md", "course.toml"]


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("0*.ipynb"))


def code_cells(path: Path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def _newest_input() -> float:
    return max(p.stat().st_mtime for name in INPUTS for p in ([ROOT / name] if (ROOT / name).is_file()
                                                              else (ROOT / name).rglob("*")) if p.is_file())


def ensure_built(scratch: Path) -> Path:
    """build/site, built now unless it is newer than all it is made from (once per session at most)."""
    index = SITE / "index.html"
    if not index.exists() or index.stat().st_mtime < _newest_input():
        # its own scratch source folder: another build (make site, another test run) may be running
        assert site_build.main(["--src", str(scratch / "site-src")]) == 0, "tools/site/build.py failed (see above)"
    return SITE


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    return ensure_built(tmp_path_factory.mktemp("site"))


def soup(name: str):
    return bs4.BeautifulSoup((SITE / name).read_text(encoding="utf-8"), "html.parser")


def outside_details(page) -> str:
    """The page's text with every <details> taken out."""
    page = bs4.BeautifulSoup(str(page), "html.parser")
    for details in page.find_all("details"):
        details.decompose()
    return page.get_text(" ")


def test_every_prediction_of_the_lessons_has_a_stand_in():
    keys = [key for path in lessons() for cell in code_cells(path)
            if (key := (site_build.prediction_of("".join(cell["source"])) or (None,))[0])]
    assert keys, "no predict(...) found in the lessons"
    missing = sorted(set(keys) - set(standins.PREDICTIONS))
    assert not missing, f"predictions with no stand-in in tools/site/standins.py: {missing}"


def test_a_prediction_with_no_stand_in_stops_the_build_naming_it(tmp_path):
    lesson = {"cells": [{"cell_type": "code", "metadata": {"tags": ["widget"]}, "outputs": [], "execution_count": 1,
                         "source": 'predict("99_unknown", "How many?", reveal=lambda: None)'}],
              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "09_test.ipynb"
    path.write_text(json.dumps(lesson), encoding="utf-8")
    problems = []
    site_build.lesson_notebook(path, site_build.Images(tmp_path / "img"), "", problems)
    assert len(problems) == 1 and "99_unknown" in problems[0] and "standins.py" in problems[0]


def test_every_widget_cell_has_a_stand_in():
    for path in lessons():
        for cell in code_cells(path):
            source = "".join(cell["source"])
            if ("widget" in cell["metadata"].get("tags", []) and not site_build.prediction_of(source)
                    and not site_build.quiz_of(source)):
                name, _kwargs = site_build.widget_of(source)
                assert name in standins.WIDGETS, f"{path.name}: {name} has no stand-in in tools/site/standins.py"


def test_the_live_links_say_plainly_when_they_are_not_set(monkeypatch):
    import links
    monkeypatch.setattr(links, "read_links", lambda: links.Links())
    assert "not set yet" in site_build.run_live_html("01_enlargement_timeline.ipynb")
    monkeypatch.setattr(links, "read_links", lambda: links.Links("school/course", "main", "https://hub.example.org"))
    box = site_build.run_live_html("01_enlargement_timeline.ipynb")
    assert "Run this lesson live" in box and "mybinder.org/v2/gh/school/course/main" in box
    assert "voila%2Frender%2Fnotebooks%2F01_enlargement_timeline.ipynb" in box and "hub.example.org" in box


def test_every_lesson_the_glossary_the_sources_and_the_guide_have_a_page(built_site):
    expected = {f"{p.stem}.html" for p in lessons()} | {"index.html", "glossary.html", "sources.html",
                                                         "teacher-guide.html"}
    assert expected <= {p.name for p in built_site.glob("*.html")}
    home = soup("index.html").get_text(" ")
    for path in lessons():
        page = soup(f"{path.stem}.html")
        assert page.select(".course-live"), f"{path.stem}: no 'Run this lesson live' box"
        assert re.sub(r"\s+", " ", site_build.title_of(json.loads(path.read_text()), "")) in home
    assert len(soup("glossary.html").select("table tr")) > 10
    assert len(soup("sources.html").select("li.course-source[id]")) == len(standins.table("sources"))


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        foreign = re.findall(r"""<(?:script|link|img|iframe)[^>]*?(?:src|href)=["'](https?:)?//[^"']+""", text)
        assert not foreign, f"{page.name} loads from another host: {foreign[:3]}"


def test_charts_appear_with_their_alt_text(built_site):
    for path in lessons():
        committed = [(o.get("metadata", {}).get("image/png") or {}).get("alt") for cell in code_cells(path)
                     for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        page = soup(f"{path.stem}.html")
        alts = {img.get("alt") for img in page.select("img.course-chart")}
        assert all(img.get("alt", "").strip() for img in page.select("img.course-chart")), path.stem
        missing = [alt for alt in committed if alt and alt not in alts]
        assert not missing, f"{path.stem}: committed charts not on the page: {missing}"


def test_interactive_views_have_static_stand_ins(built_site):
    for path in lessons():
        widgets = sum(1 for cell in code_cells(path) if "widget" in cell["metadata"].get("tags", [])
                      and not site_build.prediction_of("".join(cell["source"]))
                      and not site_build.quiz_of("".join(cell["source"])))
        page = soup(f"{path.stem}.html")
        assert len(page.select(".course-gallery, .course-standin")) >= widgets, path.stem
        assert "Run the notebook to use it" not in page.get_text(" "), path.stem
    atlas = soup(next(f"{p.stem}.html" for p in lessons() if p.stem.startswith("01_")))
    maps = max((len(g.select("figure.course-step")) for g in atlas.select(".course-gallery")), default=0)
    assert maps >= 10, "the enlargement map should be shown at each enlargement year"
    assert all(img.get("src", "").startswith("img/") and (SITE / img["src"]).exists()
               for img in atlas.select("img.course-chart"))


def test_quiz_answers_and_feedback_sit_behind_a_reveal(built_site):
    from natocourse.quiz.model import load_quiz
    for path in lessons():
        quizzes = [site_build.quiz_of("".join(c["source"])) for c in code_cells(path)]
        page = soup(f"{path.stem}.html")
        visible = outside_details(page)
        for name in filter(None, quizzes):
            quiz = load_quiz(name)
            assert len(page.select(".course-quiz-question details.course-reveal")) >= len(quiz.questions)
            for question in quiz.questions:
                assert question.prompt[:60] in visible, f"{name}: {question.id}'s question is not on the page"
                for text, _source in question.answer_key():
                    assert text[:80] not in visible, f"{name}: {question.id}'s answer shows outside a reveal"


def test_predictions_are_not_spoiled(built_site):
    for path in lessons():
        page = soup(f"{path.stem}.html")
        visible = outside_details(page)
        for cell in code_cells(path):
            found = site_build.prediction_of("".join(cell["source"]))
            if not found:
                continue
            key, prompt = found
            box = page.select_one(f"#predict-{key}")
            assert box is not None and prompt in box.get_text(" "), f"{key}: no prompt on the page"
            reveal = box.select_one("details.course-reveal")
            assert reveal is not None and (reveal.select("img") or reveal.select("table")), f"{key}: nothing to reveal"
            line = standins.answer_line(key)
            if line:
                assert line in reveal.get_text(" ") and line not in visible, f"{key}: the answer shows before Reveal"


def test_no_lesson_page_is_over_3_mb(built_site):
    for path in lessons():
        page = built_site / f"{path.stem}.html"
        images = set(re.findall(r'src="(img/[^"]+)"', page.read_text(encoding="utf-8")))
        size = page.stat().st_size + sum((built_site / src).stat().st_size for src in images)
        assert size <= 3e6, f"{page.name}: {size / 1e6:.1f} MB with its images"
