"""Show the diplomacy record, and wire its controls: the notebook's entry points for notebook 03.

``show_*`` functions draw a chart or a table with its summary (the static forms);
``*_explorer`` functions put controls above them with ``interactive_output``.
Nothing here computes: the numbers come from ``models.record``, the drawings from
``charts.record``.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..models import record
from ..charts.style import show_figure
from ..charts.record import OUTCOME_LEGEND, RecordOverview, outcome_chart, record_timeline
from ..data import load_table
from ..errors import choose
from ..sources import cite
from ..html import html_table
from .base import Interactive, built_once

# For each kind of finding the schema allows (findings.kind): the menu's label, naming the source document.
FINDING_KINDS = {"practice": "Enyichukwu et al. (2023): NATO's diplomatic practices", "challenge": "Enyichukwu et al. (2023): the four challenges",
                 "recommendation": "Enyichukwu et al. (2023): the seven recommendations",
                 "strategic response": "Hussain and Ali (2025): NATO's strategic responses",
                 "hypothesis": "Hussain and Ali (2025): hypotheses H1-H8"}


def show_agreements(events: pd.DataFrame) -> None:
    """The treaties, agreements and ceasefires of the record, one row each, and how they turned out."""
    agreements = events[events["type"].isin(record.AGREEMENT_TYPES)]
    counts = record.agreement_record(events)
    summary = (f"{len(agreements)} treaties, agreements and ceasefires: "
               + ", ".join(f"{int(n)} {outcome}" for outcome, n in counts.items()) + ".")
    show_figure(record_timeline(agreements, "Treaties, agreements and ceasefires"), summary)


LONGEST_OPEN_TABLE = 12  # events listed open under the overview; more are folded under a summary line


def show_overview(events: pd.DataFrame, forum: str = record.NO_FILTER, practice: str = record.NO_FILTER,
                  actor: str = record.NO_FILTER, years: tuple[int, int] | None = None, table: bool = True) -> None:
    """The whole record with the events that match the filters marked, the summary, and the matching events listed."""
    _show_overview(built_once(RecordOverview, events), events, forum, practice, actor, years, table)


def _show_overview(overview: RecordOverview, events: pd.DataFrame, forum: str, practice: str, actor: str,
                   years: tuple[int, int] | None, table: bool = True) -> None:
    years = tuple(years) if years is not None else (overview.first_year, overview.last_year)
    picked = record.filter_events(events, forum, practice, actor, years)
    title = f"{len(picked)} of {len(events)} events, {years[0]}-{years[1]}"
    show_figure(overview.draw(picked, years, title), record.record_summary(picked))
    if table:
        listed = events_html(picked)
        if len(picked) > LONGEST_OPEN_TABLE:  # a long list stays folded, so the chart stays on the projector
            listed = f"<details><summary>The {len(picked)} events, one per row (click to open)</summary>{listed}</details>"
        display(HTML(listed))


def record_explorer(events: pd.DataFrame) -> Interactive:
    """A period slider and menus for forum, practice and actor above the record overview."""
    overview = built_once(RecordOverview, events)
    first, last = overview.first_year, overview.last_year
    period = widgets.IntRangeSlider(value=(first, last), min=first, max=last, step=1, description="Period",
                                    continuous_update=False, layout=widgets.Layout(width="90%"),
                                    style={"description_width": "initial"})
    wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="32%")}
    forum = widgets.Dropdown(options=[record.NO_FILTER, *events["forum"].value_counts().index], description="Forum",
                             **wide)
    practice = widgets.Dropdown(options=[record.NO_FILTER, *[p for p in record.practices() if p in set(events["practice"])]],
                                description="Practice", **wide)
    actor = widgets.Dropdown(options=[record.NO_FILTER, *record.actors_in(events)], description="Actor", **wide)
    chart = widgets.interactive_output(
        lambda years, forum, practice, actor: _show_overview(overview, events, forum, practice, actor, years),
        {"years": period, "forum": forum, "practice": practice, "actor": actor})
    return Interactive([period, widgets.HBox([forum, practice, actor]), chart],
                       f"A period slider ({first}-{last}) and menus for forum, practice and actor above the record.")


def show_outcomes(events: pd.DataFrame, by: str) -> None:
    """The outcomes of the diplomatic acts counted by forum or by period, with the summary underneath."""
    tally = record.outcome_tally(events, by=by)
    show_figure(outcome_chart(tally, f"What came of the negotiations, by {by}"), record.tally_summary(tally))


def show_close_up(events: pd.DataFrame) -> None:
    """December 2021 to February 2022, one row per event, with the summary underneath."""
    show_figure(record_timeline(record.close_up(events), "December 2021 to February 2022", period=record.CLOSE_UP),
                record.record_summary(record.close_up(events)))


def show_standoff(claims: pd.DataFrame, sources: pd.DataFrame | None = None) -> None:
    """What each side asked for in December 2021 and the answer it got, each attributed, as a table."""
    rows = []
    for row in record.standoff(claims).itertuples():
        rows.append([f"<b>{html.escape(row.issue)}</b>",
                     _attributed(row.demand, row.demand_by, row.demand_source, row.demand_quote, sources),
                     _attributed(row.answer, row.answer_by, row.answer_source, row.answer_quote, sources)])
    display(HTML(html_table(["Issue", "Demand (December 2021)", "Answer (January-February 2022)"], rows, "issue")))


def show_findings(findings: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame | None = None,
                  kind: str = record.NO_FILTER) -> None:
    """The source documents' findings of one kind, each beside the events that bear on it and what they show."""
    picked = record.findings_of(findings, kind)
    links = record.linked_events(picked, events)
    rows = []
    for row in picked.itertuples():
        mine = links[links["finding_id"] == row.finding_id]
        bearing = "<br>".join(f"{_day(e.date)}: {html.escape(e.short_title)} <i>({_outcome(e.outcome)})</i>"
                              for e in mine.itertuples()) or "<i>no event in the record</i>"
        name = f"H{row.number}" if row.kind == "hypothesis" else f"{row.kind.capitalize()} {row.number}"
        rows.append([f"<b>{html.escape(name)}</b><br>{html.escape(row.label)}",
                     _attributed(row.finding, None, row.source_id, row.quote, sources), bearing,
                     html.escape(row.record)])
    display(HTML(html_table(["Finding", "What the document says", "Events that bear on it", "What the record shows"],
                            rows, "finding")))


def findings_explorer(findings: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame | None = None,
                      kind: str = "recommendation") -> Interactive:
    """A menu of the source documents' kinds of finding above the findings and the events that bear on them."""
    options = [(FINDING_KINDS.get(k, k), k) for k in dict.fromkeys(findings["kind"])]
    menu = widgets.Dropdown(options=options, value=kind, description="Show:", style={"description_width": "initial"},
                            layout=widgets.Layout(width="60%"))
    table = widgets.interactive_output(lambda kind: show_findings(findings, events, sources, kind), {"kind": menu})
    return Interactive([menu, table], "A menu of the source documents' findings beside the events that bear on them.")


def show_events(events: pd.DataFrame, event_ids: list[str]) -> None:
    """Chosen events of the record, in date order, as a table with their outcome and its reason.

    An id the record lacks gets a sentence naming it, not a traceback.
    """
    for event_id in event_ids:
        choose(event_id, events["event_id"], "event id")
    display(HTML(events_html(events[events["event_id"].isin(event_ids)].sort_values("date"))))


def events_html(events: pd.DataFrame) -> str:
    """The events as an HTML table: date, event, forum, practice, outcome and why."""
    rows = [[_day(e.date), html.escape(e.title), html.escape(e.forum), html.escape(e.practice),
             f"<b>{_outcome(e.outcome)}</b><br><small>{html.escape(e.outcome_why)}</small>"]
            for e in events.itertuples()]
    return html_table(["Date", "Event", "Forum", "Practice", "Outcome, and why"], rows, "event")


def _attributed(text, holder, source_id, quote, sources) -> str:
    cell = html.escape(text)
    if isinstance(quote, str) and quote:
        cell += f"<br><small>“{html.escape(quote)}”</small>"
    who = f"{html.escape(holder)}; " if holder else ""
    return cell + f"<br><small>({who}{html.escape(short_citation(source_id, sources))})</small>"


def short_citation(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """Author (year); news reports by their publisher, e.g. 'CBS News (2022)', since their byline is often an agency."""
    sources = load_table("sources") if sources is None else sources
    row = sources.loc[sources["source_id"] == source_id]
    if len(row) and row.iloc[0]["kind"] == "news":
        return f"{row.iloc[0]['publisher']} ({row.iloc[0]['year']})"
    return cite(source_id, sources)


def _outcome(outcome: str) -> str:
    return OUTCOME_LEGEND.get(outcome, outcome)


def _day(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%b %Y}"
