"""Presenter mode: every lesson in Voilà (code hidden, widgets live), in a real browser.

Voilà is started on 127.0.0.1 over a copy of notebooks/, natocourse/ and data/, with NATOCOURSE_PRESENTER=1
and a private progress file, as `make present` runs it; Debian's Chromium is driven by playwright. For each
lesson (notebooks/0*.ipynb) the view must render with no error (no traceback, no failed cell, no
"Error displaying widget"), show no code, let a guess be typed and revealed (a chart appears) where the lesson
predicts, redraw when a slider moves (or a menu or toggle changes), and give feedback to a quiz answer. Nothing may be
saved in presenter mode. One more test opens a lesson through the Voilà server extension at the path that the
Binder presenter link uses (tools/links.py: voila/render/notebooks/...).

Without Chromium the tests are skipped with a message saying how to get it, unless COURSE_REQUIRE_BROWSER=1
(CI sets it), when they fail instead.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_browser import CHROMIUM, CHROMIUM_FLAGS, free_port, guess_and_reveal, require_chromium

pytestmark = pytest.mark.browser  # slow: `make check` leaves it out, `make test` runs it

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import present  # noqa: E402 - Voilà started as `make present` starts it

LESSONS = sorted(path.name for path in (ROOT / "notebooks").glob("0*.ipynb"))
SCREENSHOTS = ROOT / "tests" / "screenshots"
ERRORS = ("Traceback", "There was an error when executing cell", "Error displaying widget")


def copy_course(home: Path) -> None:
    for folder in ("notebooks", "natocourse", "data"):  # notebooks/natocourse links to ../natocourse
        shutil.copytree(ROOT / folder, home / folder, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))


def serve(command: list[str], home: Path, ready_url: str, log_name: str):
    """Start a server, wait until ``ready_url`` answers; returns the process and its log file."""
    env = dict(os.environ, NATOCOURSE_PRESENTER="1", NATOCOURSE_PROGRESS=str(home / "progress.json"),
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               MPLBACKEND="agg")
    log = (home / log_name).open("w")
    server = subprocess.Popen(command, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(ready_url, timeout=2)
            return server, log
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.terminate()
    log.close()
    pytest.fail(f"{command[2]} did not start:\n{(home / log_name).read_text()[-3000:]}")


def stop(server, log) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà serving a private copy of notebooks/ as `make present` does; yields its URL and the course copy."""
    require_chromium()
    home = tmp_path_factory.mktemp("voila")
    copy_course(home)
    port = free_port()
    command = [*present.VOILA, str(home / "notebooks"), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--theme=light", "--show_tracebacks=True",
               f"--VoilaExecutor.timeout={present.CELL_TIMEOUT}"]
    server, log = serve(command, home, f"http://127.0.0.1:{port}/", "voila.log")
    yield f"http://127.0.0.1:{port}", home
    stop(server, log)


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A browser tab; on failure its screenshot is kept as tests/screenshots/presenter-<test>-failed.png."""
    tab = browser.new_page(viewport={"width": 1280, "height": 800})  # a projector's size
    yield tab
    report = getattr(request.node, "rep_call", None)  # set by the hook in conftest.py
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = request.node.callspec.id if hasattr(request.node, "callspec") else request.node.name
        tab.screenshot(path=str(SCREENSHOTS / f"presenter-{name}-failed.png"), full_page=True)
    tab.close()


STALL_SECONDS = 100  # a lesson renders in 10-30 s here; longer means Voilà's run of the cells has stalled
ATTEMPTS = 3


def open_rendered(page, url: str, problems: list[str], attempts: int = ATTEMPTS) -> None:
    """Open a Voilà page and wait until every cell has run and the lesson's last widgets are drawn.

    Voilà's own client sometimes misses a cell's reply and waits for good at "Executing n of m" (compare
    voila-dashboards/voila#1395 and #1446); tools/present.py starts it with a client that does not
    (natocourse/notebook_runner.py), as this test does. Should a lesson still not render in STALL_SECONDS, a teacher
    reloads the page, which starts a fresh kernel; the test does the same, at most twice, and says so. A lesson
    that stalls three times fails.
    """
    page.on("console", lambda msg: problems.append(msg.text) if "model not found" in msg.text.lower() else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for attempt in range(1, attempts + 1):
        page.goto(url, timeout=300_000, wait_until="commit")  # Voila runs every cell before the page finishes
        try:
            # Voilà shows its spinner while it runs the cells; then the widgets connect to the kernel
            page.wait_for_selector(".course-quiz", timeout=STALL_SECONDS * 1000)
            break
        except Exception:  # playwright's TimeoutError
            stuck = page.locator("#loading").inner_text() if page.locator("#loading").count() else "?"
            print(f"{url}: Voilà stalled at {stuck!r} (attempt {attempt} of {attempts}); reloading")
            if attempt == attempts:
                raise
    page.wait_for_function("() => !document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display === 'none'"
                           " || document.querySelector('#loading').offsetParent === null", timeout=120_000)
    page.wait_for_timeout(1500)  # let the last widgets render


def assert_no_error(page, problems: list[str]) -> None:
    outputs = " ".join(page.locator(".jp-OutputArea").all_inner_texts())
    for sign in ERRORS:
        assert sign not in outputs, f'"{sign}" in the presenter view:\n{outputs[outputs.find(sign) - 300:][:1500]}'
    assert not problems, problems
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator(".jupyter-widgets").count() > 0, "no widget rendered"
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor").count() == 0, "code is shown"


def reveal_first_prediction(page, stem: str) -> None:
    """Type a guess in the first prediction (a number, an option or a sentence), press Reveal, see the chart."""
    box = guess_and_reveal(page, page.locator(".course-predict").first)
    box.locator("img, table, .course-claims, .jp-RenderedHTMLCommon").first.wait_for(timeout=60_000)
    assert box.locator("button", has_text="Revealed").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(SCREENSHOTS / f"presenter-{stem}-prediction.png"))


def move_a_slider(page, stem: str) -> bool:
    """Move the first slider three steps with the arrow key and see its chart redrawn; False if there is none."""
    sliders = page.locator(".widget-slider")
    if not sliders.count():
        return False
    box = sliders.first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    chart = box.locator("img").first
    chart.wait_for(timeout=30_000)
    before = chart.get_attribute("src")
    readout = sliders.first.locator(".widget-readout")
    page.wait_for_function("el => el.textContent.trim() !== ''", arg=readout.element_handle())
    start_value = readout.inner_text()
    handle = sliders.first.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _step in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.textContent.trim() !== old", arg=[readout.element_handle(), start_value])
    deadline = time.monotonic() + 20
    while chart.get_attribute("src") == before:  # the Output widget replaces its <img>: look it up each time
        assert time.monotonic() < deadline, "the chart did not change when the slider moved"
        page.wait_for_timeout(200)
    box.screenshot(path=str(SCREENSHOTS / f"presenter-{stem}-slider.png"))
    return True


def change_a_menu(page, stem: str) -> bool:
    """Choose another option in the first menu and see what is under it change; False if there is none."""
    menus = page.locator(".widget-dropdown select")
    if not menus.count():
        return False
    menu = menus.first
    box = menu.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    menu.scroll_into_view_if_needed()
    before = box.inner_text()
    options = menu.locator("option").all_inner_texts()
    current = menu.evaluate("el => el.options[el.selectedIndex] ? el.options[el.selectedIndex].text : ''")
    other = next(option for option in options if option != current)
    menu.select_option(label=other)
    deadline = time.monotonic() + 20
    while box.inner_text() == before:
        assert time.monotonic() < deadline, f'nothing changed when the menu was set to "{other}"'
        page.wait_for_timeout(200)
    box.screenshot(path=str(SCREENSHOTS / f"presenter-{stem}-menu.png"))
    return True


def press_a_toggle(page, stem: str) -> bool:
    """Press the first toggle button that is off and see the widget around it change; False if there is none."""
    toggles = page.locator(".widget-toggle-button:not(.mod-active)")
    if not toggles.count():
        return False
    toggle = toggles.first
    box = toggle.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
    toggle.scroll_into_view_if_needed()
    state = "el => el.innerText + [...el.querySelectorAll('img')].map(img => img.src).join()"
    before = box.evaluate(state)
    toggle.click()
    deadline = time.monotonic() + 20
    while box.evaluate(state) == before:
        assert time.monotonic() < deadline, "nothing changed when a toggle was pressed"
        page.wait_for_timeout(200)
    box.screenshot(path=str(SCREENSHOTS / f"presenter-{stem}-toggle.png"))
    return True


def answer_a_quiz_question(page) -> None:
    quiz = page.locator(".course-quiz").first
    quiz.scroll_into_view_if_needed()
    quiz.locator(".widget-radio-box input[type=radio]").first.check()
    card = quiz.locator(".widget-radio-box").first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    card.locator("button", has_text="Check answer").click()
    feedback = card.locator(".course-feedback")
    feedback.wait_for(timeout=20_000)
    assert "Source:" in feedback.inner_text()
    assert any(word in feedback.inner_text() for word in ("Correct.", "Not quite."))


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_presenter_mode_renders_and_responds(voila, page, lesson):
    url, home = voila
    problems: list[str] = []
    open_rendered(page, f"{url}/voila/render/{lesson}", problems)
    assert_no_error(page, problems)
    stem = Path(lesson).stem
    if "predict(" in (ROOT / "notebooks" / lesson).read_text(encoding="utf-8"):
        reveal_first_prediction(page, stem)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert move_a_slider(page, stem) or change_a_menu(page, stem) or press_a_toggle(page, stem), \
        "no slider, menu or toggle to try"
    answer_a_quiz_question(page)
    assert_no_error(page, problems)
    page.screenshot(path=str(SCREENSHOTS / f"presenter-{stem}.png"), full_page=True)
    assert not (home / "progress.json").exists(), "presenter mode saved an answer"


def test_binder_presenter_path_opens_a_lesson(tmp_path, browser):
    """The path of the Binder presenter link (voila/render/notebooks/<lesson>) under a Jupyter server, as on Binder,
    with the package's server extension loaded (the config file that installing the package puts in place)."""
    import links

    link = links.Links(repository="school/course").binder(notebook=f"notebooks/{LESSONS[0]}", presenter=True)
    path = urllib.parse.unquote(link.split("urlpath=")[1])
    assert path == f"voila/render/notebooks/{LESSONS[0]}"
    copy_course(tmp_path)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={tmp_path}", f"--IdentityProvider.token={token}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    server, log = serve(command, tmp_path, f"http://127.0.0.1:{port}/api/status?token={token}", "server.log")
    try:
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        problems: list[str] = []
        open_rendered(tab, f"http://127.0.0.1:{port}/{path}?token={token}", problems)
        assert_no_error(tab, problems)
        # the server loaded the package's extension, so Voilà's pages poll the kernel in short slices: lesson 04,
        # which stalled in one rendering in four to seven before, renders three times with no reload
        assert "natocourse: Voilà's pages wait for the kernel in short slices" in (tmp_path / "server.log").read_text()
        for _ in range(3):
            open_rendered(tab, f"http://127.0.0.1:{port}/voila/render/notebooks/04_diplomacy_1990_2021.ipynb"
                               f"?token={token}", problems, attempts=1)
            assert_no_error(tab, problems)
        tab.close()
    finally:
        stop(server, log)
