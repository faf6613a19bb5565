"""Every notebook, as a student meets it: JupyterLab in a real browser, Run All, then use the widgets.

JupyterLab is started on 127.0.0.1 over a copy of notebooks/, natocourse/ and
data/ (so autosave never touches the committed files) and Debian's Chromium is driven by playwright.
For each notebook the test runs all cells, finds no "Error displaying widget"
and no error output; in every lesson (00-05) it makes a guess in the first prediction, presses Reveal and sees
the chart and the guess beside the answer; it moves a slider and sees the chart change, answers a quiz
question and sees the feedback, and saves a screenshot in tests/screenshots/.

Without Chromium the test is skipped with a message saying how to get it,
unless COURSE_REQUIRE_BROWSER=1 (CI sets it), when it fails instead.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser  # slow: `make check` leaves it out, `make test` runs it

ROOT = Path(__file__).resolve().parent.parent
# the theme notebooks; homework worksheets have no slider or quiz (tests/test_homework.py grades them)
NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks") for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and "homework" not in p.relative_to(ROOT / "notebooks").parts)
LESSONS = {f"0{n}" for n in range(6)}  # 00-05: each asks for predictions (06, the role-play, has its own views)
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOW_TO_GET_CHROMIUM = ("no Chromium at {path}: install it (Debian/Ubuntu: sudo apt-get install chromium; "
                       "or set CHROMIUM=/path/to/chromium) to run the browser test")


def require_chromium():
    if CHROMIUM.exists():
        return
    message = HOW_TO_GET_CHROMIUM.format(path=CHROMIUM)
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a private copy of the notebooks; yields its base URL and token."""
    require_chromium()
    home = tmp_path_factory.mktemp("lab")
    for folder in ("notebooks", "natocourse", "data"):  # a clone in miniature: notebooks/natocourse links to ../natocourse
        shutil.copytree(ROOT / folder, home / folder, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    # start the notebook's own kernel without asking (JupyterLab sometimes asks while its kernel list loads),
    # and draw every cell (by default JupyterLab draws only the cells in view, hiding outputs from the test)
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={home}", f"--IdentityProvider.token={token}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited:\n{(home / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start:\n{(home / 'lab.log').read_text()[-3000:]}")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def wait_for_kernel_idle(page) -> None:
    """Wait until the notebook's own kernel has started and answers: Run All clicked earlier would be lost.

    The status bar's kernel item reads "Python 3 (ipykernel) | Starting" (or "Connecting", "Unknown") until then,
    and "| Idle" once the kernel is ready. (The toolbar's execution indicator is no use here: its data-status
    reads "idle" before any kernel exists.)
    """
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-StatusBar-Widget')]
                    .some(bar => bar.innerText.split('\\n').some(line => / \\| Idle$/.test(line.trim())))""",
        timeout=120_000)


def accept_kernel_dialog(page) -> None:
    """If JupyterLab still asks which kernel to start, choose the notebook's own (the preselected one)."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=3000)
    except Exception:
        return
    dialog.get_by_role("button", name="Select", exact=True).click()
    dialog.wait_for(state="detached")


def run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    # The committed outputs already carry execution numbers: first see the cells queued ([*]) ...
    try:
        page.wait_for_function("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
                               ".some(p => p.textContent.includes('*'))", timeout=15_000)
    except Exception:  # a very fast notebook may finish before we look; the check below still holds
        pass
    # ... then finished when the quiz every notebook ends with is live, every code cell shows a number
    # again and the kernel is idle
    page.wait_for_selector(".jp-Notebook .course-quiz", timeout=120_000)
    wait_for_kernel_idle(page)
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=120_000)


def guess_and_reveal(page, box):
    """In a prediction ``box``: Reveal waits for a guess and no chart shows; type a guess (a number, an option or a
    sentence), then press Reveal. Returns the box."""
    box.wait_for(timeout=30_000)
    box.scroll_into_view_if_needed()
    reveal = box.locator("button", has_text="Reveal")
    assert reveal.is_disabled(), "Reveal must wait for a guess"
    assert box.locator("img, table").count() == 0, "the chart or table is shown before Reveal"
    if box.locator("input[type=radio]").count():
        box.locator("input[type=radio]").first.check()
    elif box.locator("textarea").count():
        box.locator("textarea").first.fill("The class thinks so.")
    else:
        box.locator("input[type=text]").first.fill("10")
    page.wait_for_function("el => !el.disabled", arg=reveal.element_handle(), timeout=10_000)
    reveal.click()
    return box


def reveal_first_prediction(page, notebook) -> None:
    """Guess in the first prediction (a number, an option or a sentence), press Reveal, see the chart (or the
    table: lesson 04's first reveal lists the Minsk events) and the answer."""
    box = guess_and_reveal(page, page.locator(".jp-Notebook .course-predict").first)
    box.locator("img, table").first.wait_for(timeout=60_000)
    if not box.locator("textarea").count():  # the comparison may arrive just after the chart or table
        box.get_by_text("Your guess:").first.wait_for(timeout=30_000)
    assert "Your guess:" in box.inner_text() or box.locator("textarea").count()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(SCREENSHOTS / f"{notebook.stem}-prediction.png"))


@pytest.fixture
def page(browser, request):
    """A browser tab; on failure its screenshot is kept as tests/screenshots/<test>-failed.png."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield tab
    report = getattr(request.node, "rep_call", None)  # set by the hook in conftest.py
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{request.node.callspec.id}-failed.png"), full_page=True)
    tab.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_notebook_runs_and_its_widgets_respond_in_jupyterlab(lab, page, notebook):
    url, token = lab
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if "model not found" in msg.text.lower() else None)
    # a workspace of its own, so that only this notebook's tab is open (no hidden copies of the toolbar)
    page.goto(f"{url}/lab/workspaces/{notebook.stem}/tree/notebooks/{notebook.as_posix()}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    accept_kernel_dialog(page)
    wait_for_kernel_idle(page)

    run_all_cells(page)

    page.wait_for_timeout(1500)  # let the last widgets render

    outputs = " ".join(page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts())
    assert "Error displaying widget" not in outputs
    assert not problems, problems
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator(".jp-Notebook .jupyter-widgets").count() > 0, "no widget rendered"

    if notebook.name[:2] in LESSONS:
        reveal_first_prediction(page, notebook)

    sliders = page.locator(".jp-Notebook .widget-slider")
    if sliders.count():
        box = sliders.first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        chart = box.locator("img").first
        chart.wait_for()
        before = chart.get_attribute("src")
        readout = sliders.first.locator(".widget-readout")
        page.wait_for_function("el => el.textContent.trim() !== ''", arg=readout.element_handle())  # drawn
        start_value = readout.inner_text()
        handle = sliders.first.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _step in range(3):  # three years on, with the arrow key, as the notebook tells students
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([el, old]) => el.textContent.trim() !== old", arg=[readout.element_handle(), start_value])
        # the Output widget replaces its <img> on each redraw, so look the chart up again each time
        deadline = time.monotonic() + 20
        while chart.get_attribute("src") == before:
            assert time.monotonic() < deadline, "the chart did not change when the slider moved"
            page.wait_for_timeout(200)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        box.screenshot(path=str(SCREENSHOTS / f"{notebook.stem}-slider.png"))  # the redrawn chart, to look at


    quiz = page.locator(".jp-Notebook .course-quiz").first
    assert quiz.count(), "every notebook ends its sections with a quiz"
    quiz.scroll_into_view_if_needed()
    quiz.locator(".widget-radio-box input[type=radio]").first.check()
    radio_card = quiz.locator(".widget-radio-box").first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    radio_card.locator("button", has_text="Check answer").click()
    feedback = radio_card.locator(".course-feedback")
    feedback.wait_for(timeout=20_000)
    assert "Source:" in feedback.inner_text()
    assert any(word in feedback.inner_text() for word in ("Correct.", "Not quite."))

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{notebook.stem}.png"), full_page=True)
