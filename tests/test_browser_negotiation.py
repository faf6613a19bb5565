"""Notebook 06 in JupyterLab, in Chromium, for both scenarios: record a round, see the matrix and the overlap chart
redraw, restart the kernel and find the rounds still there.

It reuses the JupyterLab server, browser and page of tests/test_browser.py (skipped the same way without
Chromium). The rounds go to a file of their own ($NATOCOURSE_ROUNDS), set before JupyterLab starts.
"""
from __future__ import annotations

import os
import time

import pytest

from test_browser import (SCREENSHOTS, accept_kernel_dialog, browser, lab, page, run_all_cells,  # noqa: F401
                          wait_for_kernel_idle)

pytestmark = pytest.mark.browser
NOTEBOOK = "06_negotiation.ipynb"
ROUNDS = {  # scenario title -> (proposer, issue, value, words, a delegation that accepts)
    "January 2022: the week of talks": ("Russian Federation", "NATO enlargement", "2", "moratorium-jan2022",
                                        "United States"),
    "A peace conference": ("Türkiye", "Territory", "2", "freeze-peace-conference", "Ukraine"),
}


@pytest.fixture(scope="module", autouse=True)
def private_rounds(tmp_path_factory):
    """A fresh rounds file for this module's JupyterLab (autouse: set before the lab fixture starts the server)."""
    before = os.environ.get("NATOCOURSE_ROUNDS")
    os.environ["NATOCOURSE_ROUNDS"] = str(tmp_path_factory.mktemp("rounds") / "negotiation-rounds.json")
    yield os.environ["NATOCOURSE_ROUNDS"]
    if before is None:
        os.environ.pop("NATOCOURSE_ROUNDS", None)
    else:
        os.environ["NATOCOURSE_ROUNDS"] = before


def chart_source(tab, css: str) -> str | None:
    """The HTML of the matrix or the overlap chart, as the page shows it."""
    chart = tab.locator(f".jp-Notebook .{css}").first
    chart.wait_for(timeout=60_000)
    return chart.inner_html()


def wait_until_changed(tab, css: str, before: str | None, what: str) -> None:
    deadline = time.monotonic() + 60
    while chart_source(tab, css) == before:
        assert time.monotonic() < deadline, f"the {what} did not change"
        tab.wait_for_timeout(250)


def choose_scenario(tab, title: str) -> None:
    before = chart_source(tab, "negotiation-zone")
    menu = tab.locator(".jp-Notebook .negotiation-chooser select").first
    shown = menu.evaluate("select => select.options[select.selectedIndex].text").replace("\xa0", " ")  # nbsp
    if shown != title:
        menu.select_option(label=title)
        wait_until_changed(tab, "negotiation-zone", before, "overlap chart, on choosing a scenario,")


def record_round(tab, proposer: str, issue: str, value: str, words: str, accepting: str) -> None:
    recorder = tab.locator(".jp-Notebook .negotiation-recorder").first
    recorder.scroll_into_view_if_needed()
    recorder.locator(".widget-dropdown", has_text="Proposed by:").locator("select").select_option(label=proposer)
    recorder.locator(".widget-dropdown", has_text="Issue:").locator("select").select_option(label=issue)
    recorder.locator(".widget-toggle-buttons", has_text="Value:").get_by_role("button", name=value, exact=True).click()
    recorder.locator(".widget-text input").fill(words)
    matrix, zone = chart_source(tab, "negotiation-matrix"), chart_source(tab, "negotiation-zone")
    recorder.get_by_role("button", name="Record the proposal").click()
    recorder.get_by_text("Now record the answers below").wait_for(timeout=30_000)
    row = recorder.locator(".widget-hbox", has=tab.locator(f"b:text-is('{accepting}')")).first
    row.get_by_role("button", name="accept", exact=True).click()
    recorder.get_by_role("button", name="Record the answers").click()
    recorder.get_by_text("Recorded and saved: 1 answer").wait_for(timeout=30_000)
    wait_until_changed(tab, "negotiation-matrix", matrix, "issue matrix")
    wait_until_changed(tab, "negotiation-zone", zone, "overlap chart")


def restart_and_run_all(tab) -> None:
    tab.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
    tab.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").first.click()
    dialog = tab.locator(".jp-Dialog")
    dialog.locator("button.jp-mod-accept", has_text="Restart").click()  # beside "Cancel"
    dialog.wait_for(state="detached")
    tab.wait_for_timeout(3000)
    tab.wait_for_selector(".jp-Notebook .course-quiz", timeout=120_000)
    wait_for_kernel_idle(tab)
    tab.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=120_000)


@pytest.mark.parametrize("notebook", [NOTEBOOK])  # the page fixture names its failure screenshot after the parameter
def test_both_scenarios_record_a_round_redraw_and_keep_it_after_a_restart(lab, page, notebook):  # noqa: F811
    url, token = lab
    page.goto(f"{url}/lab/workspaces/negotiation/tree/notebooks/{notebook}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    accept_kernel_dialog(page)
    wait_for_kernel_idle(page)
    run_all_cells(page)
    page.wait_for_timeout(1500)

    for title, (proposer, issue, value, words, accepting) in ROUNDS.items():
        choose_scenario(page, title)
        record_round(page, proposer, issue, value, words, accepting)
        assert words in page.locator(".jp-Notebook .negotiation-record").first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-Notebook .negotiation-board").first.screenshot(path=str(SCREENSHOTS / "06-negotiation-board.png"))

    restart_and_run_all(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    for title, (_, _, _, words, _) in ROUNDS.items():
        choose_scenario(page, title)
        record = page.locator(".jp-Notebook .negotiation-record").first
        record.scroll_into_view_if_needed()
        assert words in record.inner_text(), f"the round of {title!r} was lost in the restart"
    page.screenshot(path=str(SCREENSHOTS / "06-negotiation-after-restart.png"), full_page=True)
