"""Notebook 06 (the negotiation role-play): choose a scenario, read the role cards, record proposals and answers,
watch the issue matrix and the overlap chart change, and debrief; plus the "who argues what" view every lesson
can use.

One ``NegotiationRoom`` holds what the notebook's cells share (the scenario chosen, the saved rounds); each of its
``*_view`` methods returns the controls of one cell, and every view follows the scenario menu and each recorded
round. The computing is in ``models.negotiation``, the drawing in ``charts.negotiation``.
"""
from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..charts.negotiation import board
from ..claims import claims_html
from ..data import DATA_DIR, load_table
from ..errors import choose
from ..models.negotiation import (QUESTIONS, ROUNDS, ROUNDS_FILE, SCALE, SCENARIOS, SECTION_TITLES, Proposal,
                                  RoleCard, RoundsError, agreements, apply_rounds, check_rounds, load_scenario,
                                  question_grid, real_record, role_card, rounds_csv, rounds_json, skipped_proposals)
from ..quiz.progress import SavedFile, file_lock, progress_path, read_if_there, write_atomically
from ..sources import cite
from .base import Interactive

WIDE = widgets.Layout(width="100%")
NO_ANSWER = "no answer yet"
STATUS_COLOURS = {"ok": "#006B4F", "problem": "#A03C00"}


class NegotiationRoom:
    """The scenario, the saved rounds and the views of one notebook; each change refreshes every view."""

    def __init__(self, scenario: str = "jan2022", rounds: SavedRounds | None = None,
                 data_dir: Path | str = DATA_DIR):
        choose(scenario, SCENARIOS, "scenario")
        self.scenarios = {key: load_scenario(key, data_dir) for key in SCENARIOS}
        self.sources = load_table("sources", data_dir)
        self.rounds = SavedRounds() if rounds is None else rounds
        self.chooser = widgets.Dropdown(options=[(title, key) for key, title in SCENARIOS.items()], value=scenario,
                                        description="Scenario:", style={"description_width": "initial"},
                                        layout=widgets.Layout(width="60%"))
        self._views: list = []  # functions that redraw one view: called on a new scenario or a new round
        self.chooser.observe(lambda change: self.refresh(), names="value")

    # ------------------------------------------------------------ state

    @property
    def scenario(self):
        return self.scenarios[self.chooser.value]

    def proposals(self) -> list[Proposal]:
        return self.rounds.proposals(self.chooser.value)

    def standings(self) -> dict:
        return apply_rounds(self.scenario, self.proposals())

    def refresh(self) -> None:
        for redraw in self._views:
            redraw()

    def _view(self, redraw, children, hint: str, css: str) -> Interactive:
        self._views.append(redraw)
        redraw()
        view = Interactive(children, hint)
        view.add_class(css)
        return view

    # ------------------------------------------------------------ the cells' views

    def chooser_view(self) -> Interactive:
        """The scenario menu and the delegations at the table."""
        out = widgets.HTML()

        def redraw():
            s = self.scenario
            names = ", ".join(s.delegation_names().values())
            recorded = len(self.proposals())
            out.value = (f"<p><b>{html.escape(s.title)}</b>: {len(s.delegations)} delegations ({html.escape(names)}); "
                         f"{len(s.issues)} issues. {_recorded(recorded)}</p>"
                         + (f"<p style='color:{STATUS_COLOURS['problem']}'>{html.escape(self.rounds.notice)}</p>"
                            if self.rounds.notice else ""))
        return self._view(redraw, [self.chooser, out], "A menu of the two scenarios.", "negotiation-chooser")

    def cards_view(self) -> Interactive:
        """A delegation menu over its role card, and a button that writes every card of the scenario for print."""
        menu = widgets.Dropdown(description="Delegation:", style={"description_width": "initial"},
                                layout=widgets.Layout(width="60%"))
        card = widgets.HTML(layout=WIDE)
        printed = widgets.HTML()
        button = widgets.Button(description="Printable cards", icon="print",
                                tooltip="Write every card of this scenario to an HTML file, one page per delegation")

        quiet = {"on": False}

        def show_card(*_):
            if not quiet["on"] and menu.value in self.scenario.delegation_names():
                card.value = card_html(role_card(self.scenario, menu.value), self.sources)

        def redraw():
            quiet["on"] = True
            menu.options = [(name, key) for key, name in self.scenario.delegation_names().items()]
            menu.value = next(iter(self.scenario.delegation_names()))
            quiet["on"] = False
            printed.value = ""
            show_card()

        def write(_):
            path = Path.cwd() / f"role-cards-{self.chooser.value}.html"
            path.write_text(cards_document(self.scenario, self.sources), encoding="utf-8")
            printed.value = (f"<p>Written: <code>{html.escape(path.name)}</code>, in the notebook's folder. Open it in "
                             "a browser (in JupyterLab: right-click it in the file browser, <i>Open in New Browser "
                             "Tab</i>) and print it: one page per delegation.</p>")

        button.on_click(write)
        menu.observe(show_card, names="value")
        return self._view(redraw, [widgets.HBox([menu, button]), printed, card],
                          "A menu of the delegations over their role cards.", "negotiation-cards")

    def recorder_view(self) -> Interactive:
        """Record a proposal (round, who, which issue, which value, in words), then each delegation's answer."""
        round_ = widgets.ToggleButtons(options=[(f"Round {n}", n) for n in ROUNDS], value=ROUNDS[0],
                                       description="Round:", style={"button_width": "90px"})
        proposer = widgets.Dropdown(description="Proposed by:", style={"description_width": "initial"})
        issue = widgets.Dropdown(description="Issue:", style={"description_width": "initial"},
                                 layout=widgets.Layout(width="70%"))
        value = widgets.ToggleButtons(options=[str(v) for v in SCALE], value="2", description="Value:",
                                      style={"button_width": "50px"})
        meaning = widgets.HTML()
        words = widgets.Text(placeholder="the proposal in a few words, e.g. a moratorium of 10 years",
                             description="In words:", layout=widgets.Layout(width="90%"))
        propose = widgets.Button(description="Record the proposal", button_style="primary", icon="plus")
        propose.add_class("negotiation-propose")

        which = widgets.Dropdown(description="Answers to:", style={"description_width": "initial"},
                                 layout=widgets.Layout(width="90%"))
        answer_rows = widgets.VBox()
        answer = widgets.Button(description="Record the answers", button_style="primary", icon="check")
        answer.add_class("negotiation-answer")
        status = widgets.HTML()
        answers: dict[str, tuple[widgets.ToggleButtons, widgets.Dropdown]] = {}

        quiet = {"on": False}

        def show_meaning(*_):
            if quiet["on"] or issue.value is None:
                return
            meanings = self.scenario.value_meanings(issue.value)
            chosen = int(value.value)
            bold = " style='font-weight:bold'"
            rows = "".join(f"<li{bold if v == chosen else ''}>{v}: {html.escape(text)}</li>"
                           for v, text in meanings.items())
            meaning.value = f"<ul style='margin:0 0 0 1em;padding:0'>{rows}</ul>"

        def fill_answers(*_):
            if quiet["on"]:
                return
            answers.clear()
            proposal = next((p for p in self.proposals() if p.id == which.value), None)
            if proposal is None:
                answer_rows.children = [widgets.HTML("<p><i>Record a proposal first.</i></p>")]
                return
            names = self.scenario.delegation_names()
            rows = []
            for key, name in names.items():
                if key == proposal.proposer:
                    continue
                given = proposal.responses.get(key)
                toggle = widgets.ToggleButtons(options=[NO_ANSWER, "accept", "reject", "counter"],
                                               value=given.answer if given else NO_ANSWER,
                                               style={"button_width": "100px"})
                counter = widgets.Dropdown(options=[str(v) for v in SCALE],
                                           value=str(given.value) if given and given.value is not None else "2",
                                           description="counter:", layout=widgets.Layout(width="140px"),
                                           style={"description_width": "initial"},
                                           disabled=not (given and given.answer == "counter"))
                toggle.observe(lambda change, c=counter: setattr(c, "disabled", change["new"] != "counter"),
                               names="value")
                answers[key] = (toggle, counter)
                label = widgets.HTML(f"<b>{html.escape(name)}</b>", layout=widgets.Layout(width="230px"))
                rows.append(widgets.HBox([label, toggle, counter]))
            answer_rows.children = rows

        def redraw(keep_status: bool = False):
            s = self.scenario
            quiet["on"] = True
            if proposer.options != tuple((name, key) for key, name in s.delegation_names().items()):
                proposer.options = [(name, key) for key, name in s.delegation_names().items()]
                issue.options = [(label, key) for key, label in s.issue_labels().items()]
            recorded = self.proposals()
            which.options = [(proposal_label(s, p), p.id) for p in reversed(recorded)]
            which.value = recorded[-1].id if recorded else None
            quiet["on"] = False
            show_meaning()
            fill_answers()
            if not keep_status:
                status.value = ""

        def said(saved: bool, what: str):
            text, colour = ((what, STATUS_COLOURS["ok"]) if saved else (self.rounds.problem, STATUS_COLOURS["problem"]))
            notice = f"<br>{html.escape(self.rounds.notice)}" if self.rounds.notice else ""
            return f"<p style='color:{colour}'>{html.escape(text)}{notice}</p>"

        def on_propose(_):
            try:
                proposal = Proposal.new(self.chooser.value, round_.value, proposer.value, issue.value,
                                        int(value.value), words.value)
            except RoundsError as err:
                status.value = f"<p style='color:{STATUS_COLOURS['problem']}'>{html.escape(str(err))}</p>"
                return
            saved = self.rounds.propose(proposal)
            words.value = ""
            self.refresh()
            status.value = said(saved, f"Recorded and saved: {proposal_label(self.scenario, proposal)}. "
                                       "Now record the answers below.")

        def on_answer(_):
            if which.value is None:
                status.value = "<p>Record a proposal first.</p>"
                return
            given = [(key, toggle.value, int(counter.value)) for key, (toggle, counter) in answers.items()
                     if toggle.value != NO_ANSWER]
            if not given:
                status.value = "<p>Choose accept, reject or counter for at least one delegation first.</p>"
                return
            saved = True
            for key, chosen, counter in given:
                saved = self.rounds.respond(which.value, key, chosen, counter if chosen == "counter" else None)
            kept = which.value
            self.refresh()
            which.value = kept
            status.value = said(saved, f"Recorded and saved: {len(given)} answer{'s' if len(given) != 1 else ''}. "
                                       "The matrix and the overlap chart below have been updated.")

        value.observe(show_meaning, names="value")
        issue.observe(show_meaning, names="value")
        which.observe(fill_answers, names="value")
        propose.on_click(on_propose)
        answer.on_click(on_answer)
        form = widgets.VBox([widgets.HTML("<h4>1. A proposal</h4>"), round_, proposer, issue, value, meaning, words,
                             propose, widgets.HTML("<h4>2. The answers</h4>"), which, answer_rows, answer, status],
                            layout=WIDE)
        view = self._view(redraw, [form], "A form to record a proposal and each delegation's answer.",
                          "negotiation-recorder")
        view.controls = {"round": round_, "proposer": proposer, "issue": issue, "value": value, "words": words,
                         "propose": propose, "which": which, "answers": answers, "answer": answer, "status": status}
        return view

    def board_view(self) -> Interactive:
        """The issue matrix and the overlap chart, redrawn after every recorded answer."""
        matrix, zone = widgets.HTML(layout=WIDE), widgets.HTML(layout=WIDE)
        matrix.add_class("negotiation-matrix")
        zone.add_class("negotiation-zone")
        drawn: dict = {}

        def redraw():
            drawn.update(board(self.scenario, self.standings()))
            for out, key in ((matrix, "matrix"), (zone, "zone")):
                chart, summary = drawn[key]
                out.value = f"{chart}<p>{html.escape(summary)}</p>"
        view = self._view(redraw, [matrix, zone], "The issue matrix and the overlap chart, updated after each round.",
                          "negotiation-board")
        view.drawn = drawn  # each chart's HTML and its one-sentence summary, as last drawn
        return view

    def record_view(self) -> Interactive:
        """The rounds recorded so far, with an export to CSV and a fresh start for the next class."""
        table = widgets.HTML(layout=WIDE)
        note = widgets.HTML()
        export = widgets.Button(description="Export as CSV", icon="download")
        fresh = widgets.Button(description="Start a new class", icon="refresh", button_style="warning",
                               tooltip="Clear this scenario's rounds (the saved file is first copied aside)")
        confirming = {"armed": False}

        def redraw():
            table.value = rounds_html(self.scenario, self.proposals())
            confirming["armed"] = False
            fresh.description = "Start a new class"

        def on_export(_):
            path = self.rounds.export_csv(self.scenario, Path.cwd() / f"negotiation-rounds-{self.chooser.value}.csv")
            note.value = (f"<p>Written: <code>{html.escape(path.name)}</code> in the notebook's folder (one row per "
                          "answer; opens in any spreadsheet).</p>")

        def on_fresh(_):
            if not confirming["armed"]:
                confirming["armed"] = True
                fresh.description = "Click again to confirm"
                note.value = ("<p>This clears the rounds of this scenario from the board. The saved file is copied "
                              "aside first, so nothing is deleted. Click again to confirm.</p>")
                return
            try:
                kept = self.rounds.start_over(self.chooser.value)
            except OSError as err:
                note.value = f"<p style='color:{STATUS_COLOURS['problem']}'>Nothing was cleared: {html.escape(str(err))}</p>"
                return
            self.refresh()
            note.value = (f"<p>Cleared. The rounds as they were are kept in <code>{html.escape(str(kept))}</code>.</p>"
                          if kept else "<p>There was nothing to clear.</p>")

        export.on_click(on_export)
        fresh.on_click(on_fresh)
        return self._view(redraw, [table, widgets.HBox([export, fresh]), note],
                          "The recorded rounds, with buttons to export them and to start a new class.",
                          "negotiation-record")

    def debrief_view(self, events: pd.DataFrame) -> Interactive:
        """The class's agreements beside what really happened (events.csv)."""
        out = widgets.HTML(layout=WIDE)

        def redraw():
            out.value = debrief_html(self.scenario, self.proposals(), events, self.sources)
        return self._view(redraw, [out], "The class's outcome beside the record of the real talks.",
                          "negotiation-debrief")


def negotiation_room(scenario: str = "jan2022") -> NegotiationRoom:
    """The room a notebook's cells share (the saved rounds are read from their file)."""
    return NegotiationRoom(scenario)


# ---------------------------------------------------------------- HTML: cards, rounds, debrief

def _recorded(count: int) -> str:
    if not count:
        return "No round recorded yet."
    return f"{count} proposal{'s' if count != 1 else ''} recorded so far (kept after a restart)."


def proposal_label(scenario, proposal: Proposal) -> str:
    """"Round 1 · Türkiye · Territory → 2: the words"."""
    who = scenario.short_names().get(proposal.proposer, proposal.proposer)
    what = scenario.issue_labels().get(proposal.issue, proposal.issue)
    words = f": {proposal.text}" if proposal.text else ""
    return f"Round {proposal.round} · {who} · {what} → {proposal.value}{words}"


def _source(source_id: str, quote: str | None, date: str | None, sources) -> str:
    parts = [html.escape(cite(source_id, sources))]
    if date:
        parts.append(html.escape(date))
    said = f" “{html.escape(quote)}”" if quote else ""
    return f"<span class='source'>— {', '.join(parts)}{said}</span>"


def card_html(card: RoleCard, sources) -> str:
    """One role card: seat, whom it listens to, briefing, each kind of position and the instructions by round."""
    blocks = [f"<h2>{html.escape(card.name)}</h2>",
              f"<p class='meta'>{html.escape(SCENARIOS[card.scenario])}</p>",
              f"<p><b>Your seat.</b> {html.escape(card.seat)}</p>",
              f"<p><b>You listen to.</b> {html.escape(card.listens_to)}</p>",
              f"<p><b>Briefing.</b> {html.escape(card.briefing)} {_source(card.source_id, card.quote, None, sources)}</p>"]
    for kind, lines in card.sections.items():
        if not lines:
            continue
        items = "".join(f"<li><b>{html.escape(line.issue)}</b>"
                        + (f" <span class='stance'>[{html.escape(line.stance)}]</span>" if line.stance else "")
                        + f": {html.escape(line.text)} {_source(line.source_id, line.quote, line.date, sources)}</li>"
                        for line in lines)
        blocks.append(f"<h3>{SECTION_TITLES[kind]}</h3><ul>{items}</ul>")
    rounds = "".join(f"<li><b>Round {n}</b> ({html.escape(line.issue)}): {html.escape(line.text)} "
                     f"{_source(line.source_id, line.quote, line.date, sources)}</li>"
                     for n, lines in card.instructions.items() for line in lines)
    if rounds:
        blocks.append(f"<h3>Instructions from your capital</h3><ul>{rounds}</ul>")
    blocks.append("<p class='meta'>[position n, acceptable a-b]: the course's coding of the aim on the issue's 0-4 "
                  "scale and of the range it could accept, not the government's own words. Instructions are built from "
                  "the statements cited; some were made after the scenario's date.</p>")
    return f"<div class='role-card' style='{CARD_STYLE}'>{''.join(blocks)}</div>"


CARD_STYLE = "border:1px solid #8C8C8C;padding:0.6em 1em;margin:0.5em 0;max-width:60em;line-height:1.4"
PRINT_CSS = """
@page { size: A4; margin: 11mm 13mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.4pt; color: #000; margin: 0; width: 184mm; }
.role-card { border: none !important; padding: 0 !important; margin: 0 !important; max-width: none !important;
             break-after: page; page-break-after: always; line-height: 1.3 !important; }
.role-card:last-child { break-after: auto; page-break-after: auto; }
h2 { font-size: 1.75em; margin: 0 0 2pt 0; } h3 { font-size: 1.2em; margin: 6pt 0 2pt 0; }
p { margin: 3pt 0; } ul { margin: 0; padding-left: 14pt; } li { margin: 1.5pt 0; }
.source, .meta { color: #404040; font-size: 0.86em; } .stance { font-weight: bold; }
"""
# Shrinks the type of a card that would run over its page (A4 less the margins: 275 mm), down to 6.5 pt, so that
# every card prints on one page whatever the data hold (the body is as wide as the printed page: 184 mm).
FIT_SCRIPT = """
document.querySelectorAll('.role-card').forEach(function (card) {
  var page = 272 / 25.4 * 96, size = 9.4;
  card.style.fontSize = size + 'pt';
  while (card.getBoundingClientRect().height > page && size > 6.5) {
    size -= 0.2;
    card.style.fontSize = size + 'pt';
  }
});
"""


def cards_document(scenario, sources) -> str:
    """Every card of a scenario as one HTML page to print: one page per delegation (CSS page breaks)."""
    cards = "".join(card_html(role_card(scenario, key), sources) for key in scenario.delegation_names())
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Role cards: "
            f"{html.escape(scenario.title)}</title><style>{PRINT_CSS}</style></head><body>{cards}"
            f"<script>{FIT_SCRIPT}</script></body></html>")


def rounds_html(scenario, proposals: list[Proposal]) -> str:
    """The rounds recorded so far: one row per proposal, with every answer."""
    if not proposals:
        return "<p><i>No round recorded yet for this scenario.</i></p>"
    names = scenario.short_names()
    rows = []
    for p in proposals:
        answered = "; ".join(f"{html.escape(names.get(d, d))}: {r.answer}" + (f" {r.value}" if r.value is not None else "")
                             for d, r in p.responses.items()) or "<i>no answer yet</i>"
        rows.append(f"<tr><td>{p.round}</td><td>{html.escape(names.get(p.proposer, p.proposer))}</td>"
                    f"<td>{html.escape(scenario.issue_labels().get(p.issue, p.issue))}</td><td>{p.value}</td>"
                    f"<td>{html.escape(p.text)}</td><td>{answered}</td></tr>")
    skipped = skipped_proposals(scenario, proposals)
    note = (f"<p><i>{len(skipped)} saved proposal(s) name an issue or delegation the data no longer have; they are "
            "listed but leave the matrix as it is.</i></p>") if skipped else ""
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in ("Round", "Proposed by", "Issue", "Value",
                                                                     "In words", "Answers"))
    return (f"<table class='negotiation-rounds'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p><i>{_recorded(len(proposals))}</i></p>{note}")


def debrief_html(scenario, proposals: list[Proposal], events: pd.DataFrame, sources) -> str:
    """Two columns: what the class agreed (each value with its meaning) and what the real talks produced."""
    agreed = agreements(scenario, proposals)
    if agreed.empty:
        ours = "<p><i>The class reached no agreement on any issue (or has recorded no round yet).</i></p>"
    else:
        ids = {label: key for key, label in scenario.issue_labels().items()}
        items = "".join(f"<li><b>{html.escape(row.issue)}</b> at {row.value} (round {row.round}): "
                        f"{html.escape(scenario.value_meanings(ids[row.issue])[row.value])}</li>"
                        for row in agreed.itertuples())
        ours = f"<ul>{items}</ul>"
    real = real_record(events, scenario.key)
    items = "".join(f"<li>{row.date:%d %b %Y}: {html.escape(row.title)} <i>({html.escape(row.outcome)})</i> "
                    f"<span style='color:#404040'>{html.escape(cite(row.source_id, sources))}</span></li>"
                    for row in real.itertuples())
    return ("<table style='width:100%'><tr><th style='text-align:left;width:40%'>Your class agreed</th>"
            "<th style='text-align:left'>What really happened (events.csv)</th></tr>"
            f"<tr><td style='vertical-align:top;text-align:left'>{ours}</td>"
            f"<td style='vertical-align:top;text-align:left'><ul>{items}</ul></td></tr></table>")


# ---------------------------------------------------------------- who argues what

def who_argues_what(claims: pd.DataFrame | None = None, sources: pd.DataFrame | None = None) -> Interactive:
    """The contested questions (columns) against the perspectives (rows): each cell counts the claims; a click
    opens them below, each with who argues it and the source."""
    claims = load_table("claims") if claims is None else claims
    sources = load_table("sources") if sources is None else sources
    grid = question_grid(claims)
    shown = widgets.HTML("<p><i>Click a number to read those claims.</i></p>", layout=WIDE)
    cells = [widgets.HTML("<b>Perspective</b>")]
    cells += [widgets.HTML(f"<b>{html.escape(QUESTIONS.get(q, q))}</b>") for q in grid.index]
    for perspective in grid.columns:
        cells.append(widgets.HTML(html.escape(perspective)))
        for question in grid.index:
            count = int(grid.loc[question, perspective])
            button = widgets.Button(description=str(count) if count else "-", disabled=not count,
                                    tooltip=f"{perspective} on: {QUESTIONS.get(question, question)}",
                                    layout=widgets.Layout(width="70px"))

            def open_cell(_, q=question, p=perspective):
                picked = claims[(claims["question"] == q) & (claims["perspective"] == p)]
                shown.value = (f"<h4>{html.escape(QUESTIONS.get(q, q))} · {html.escape(p)}</h4>"
                               + claims_html(picked, sources))
            button.on_click(open_cell)
            cells.append(button)
    table = widgets.GridBox(cells, layout=widgets.Layout(
        grid_template_columns=f"minmax(14em, 1.4fr) repeat({len(grid.index)}, minmax(8em, 1fr))",
        grid_gap="2px 8px", align_items="center", width="100%"))
    view = Interactive([table, shown], "A grid of contested questions and perspectives; each number opens the claims.")
    view.add_class("who-argues-what")
    return view


def show_who_argues_what(claims: pd.DataFrame | None = None) -> None:
    """The grid's counts as a plain table (its static form)."""
    claims = load_table("claims") if claims is None else claims
    grid = question_grid(claims).T
    grid.columns = [QUESTIONS.get(q, q) for q in grid.columns]
    display(HTML(grid.to_html()))


# ---------------------------------------------------------------- the rounds file
# Kept like the quiz answers, with natocourse/quiz/progress.py's functions: written atomically under a lock,
# a damaged file copied aside under a name never reused, nothing recorded in memory lost when a save fails.

def rounds_path() -> Path:
    """Where the rounds are kept: $NATOCOURSE_ROUNDS, else beside the quiz answers (``negotiation-rounds.json`` in
    the folder of ``quiz.progress.progress_path()``: ~/.natocourse/ unless $NATOCOURSE_PROGRESS says otherwise)."""
    if os.environ.get("NATOCOURSE_ROUNDS"):
        return Path(os.environ["NATOCOURSE_ROUNDS"])
    return progress_path().with_name(ROUNDS_FILE)


class SavedRounds(SavedFile):
    """The class's proposals and answers, in memory and in the rounds file.

    Each change is saved at once: under the lock the file is read again (a damaged file is copied aside), this
    session's changes are merged in by proposal id, and the whole is written atomically. A save that fails keeps
    every change in memory, says why in ``problem``, and is tried again with the next change (or ``save()``).
    """

    OWNER, ITEMS = "the", "rounds"

    def __init__(self, path: Path | str | None = None):
        super().__init__(Path(path) if path else rounds_path())
        self._changed: dict[str, Proposal] = {}  # proposals changed here and not yet on disk
        self._proposals = {p.id: p for p in self._open()}

    def check(self, text: bytes | None) -> tuple[list[Proposal], str]:
        return check_rounds(text)

    def dump(self, proposals) -> str:
        return rounds_json(proposals)

    def set_aside_notice(self, damage: str, kept: Path, proposals: list[Proposal]) -> str:
        return (f"The saved rounds file {self.path} could not be read in full ({damage}). The file as it was is "
                f"kept as {kept.name}; {len(proposals)} usable proposal{'s are' if len(proposals) != 1 else ' is'} "
                "kept, and nothing recorded in this notebook is lost.")

    def proposals(self, scenario: str) -> list[Proposal]:
        """The scenario's proposals, in the order they were recorded."""
        return sorted((p for p in self._proposals.values() if p.scenario == scenario), key=lambda p: (p.recorded, p.id))

    def propose(self, proposal: Proposal) -> bool:
        """Record a new proposal and save; whether it reached the disk (see ``problem``)."""
        return self._change(proposal)

    def respond(self, proposal_id: str, delegation: str, answer: str, value: int | None = None) -> bool:
        """Record one delegation's answer to a proposal and save."""
        if proposal_id not in self._proposals:
            raise RoundsError("That proposal is not among the recorded ones: record it first.")
        return self._change(self._proposals[proposal_id].answered(delegation, answer, value))

    def save(self) -> bool:
        """Merge this session's changes into the file under the lock; False (and ``problem``) if that failed."""
        merged = self._rewrite(lambda on_disk: list({**{p.id: p for p in on_disk}, **self._changed}.values()),
                               "The round was recorded but could not be saved: {why}. It is kept while this "
                               "notebook stays open and will be saved with the next change.")
        if merged is None:
            return False
        self._changed.clear()
        self._proposals = {p.id: p for p in merged}
        return True

    def start_over(self, scenario: str) -> Path | None:
        """Clear one scenario's rounds for a new class; the file as it was is first copied beside it (never deleted).

        Returns the copy's path (None when there was nothing to clear); OSError if it could not be done.
        """
        if not self.save():
            raise OSError(self.problem)
        if not self.proposals(scenario):
            return None
        with file_lock(self.path):
            kept = self.path.with_name(f"{self.path.name}.before-new-class-{dt.datetime.now():%Y%m%d-%H%M%S-%f}")
            write_atomically(kept, (read_if_there(self.path) or b"").decode("utf-8"))
            remaining = {p.id: p for p in self._repair() if p.scenario != scenario}
            write_atomically(self.path, rounds_json(remaining.values()))
        self._proposals = remaining
        return kept

    def export_csv(self, scenario, path: Path | str) -> Path:
        """Write one scenario's rounds as CSV (one row per answer), atomically; the path written."""
        path = Path(path)
        write_atomically(path, rounds_csv(scenario, self.proposals(scenario.key)))
        return path

    def _change(self, proposal: Proposal) -> bool:
        self._proposals[proposal.id] = proposal
        self._changed[proposal.id] = proposal
        return self.save()

