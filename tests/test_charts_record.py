"""Charts of the diplomacy record: nothing overlaps on a projector, the labels come from the data, controls redraw."""
import itertools
import json

import ipywidgets as widgets
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from natocourse import data
from natocourse.models import record
from natocourse.charts import record as record_charts
from natocourse.widgets import record as record_widgets
from natocourse.charts.style import figure_png
from natocourse.data import DataError, vocabulary, vocabulary_gaps
from natocourse.charts.record import LABEL_CHARS, LABEL_FONT, MARKER_PX, RecordOverview, outcome_chart, record_timeline
from natocourse.widgets.record import events_html, record_explorer


@pytest.fixture(scope="module")
def overview(events):
    return RecordOverview(events)


def boxes(fig, artists):
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in artists]


def row_labels(fig):
    """The timeline's row labels as drawn: a date and a short title per event, top row first."""
    return [t for t in fig.texts if t.get_fontsize() == LABEL_FONT]


def test_timeline_labels_never_overlap_with_every_event(events):
    fig = record_timeline(events, "The record")
    labels = boxes(fig, row_labels(fig))
    assert len(labels) == 2 * len(events)  # a date and a title per event
    clashes = [(a, b) for a, b in itertools.combinations(labels, 2) if a.overlaps(b)]
    assert not clashes


def test_timeline_labels_stay_clear_of_the_time_axis(events):
    fig = record_timeline(events, "The record")
    axis_left = fig.axes[0].get_window_extent(fig.canvas.get_renderer()).x0
    assert max(box.x1 for box in boxes(fig, row_labels(fig))) < axis_left


def test_timeline_rows_follow_the_events_in_date_order(events):
    picked = record.close_up(events)
    fig = record_timeline(picked, "Close-up", period=record.CLOSE_UP)
    titles = [t.get_text() for t in row_labels(fig)[1::2]]
    assert titles == picked["short_title"].tolist()
    assert row_labels(fig)[0].get_text() == " 7 Dec 2021"  # the Biden-Putin video call


def test_long_titles_are_cut_with_an_ellipsis(events):
    fig = record_timeline(events[events["event_id"] == "bucharest_summit_2008"], "One")
    title = row_labels(fig)[1].get_text()
    assert len(title) == LABEL_CHARS and title.endswith("…")


def test_timeline_legend_lists_only_the_outcomes_shown(events):
    picked = events[events["outcome"].isin(["collapsed", "implemented"])]
    fig = record_timeline(picked, "Two outcomes")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["implemented", "collapsed"]


def test_overview_markers_in_a_lane_never_touch(overview):
    fig = overview.draw(overview.events)
    ax = fig.axes[0]
    points = ax.transData.transform(np.column_stack([overview.x, overview.y]))
    for a, b in itertools.combinations(range(len(points)), 2):
        apart = abs(points[a] - points[b])
        assert apart[0] >= MARKER_PX - 0.5 or apart[1] >= MARKER_PX - 0.5, (overview.events.loc[a, "event_id"],
                                                                              overview.events.loc[b, "event_id"])


def test_overview_lanes_are_the_practices_in_seed_order(overview):
    assert [lane[0] for lane in overview.lanes] == [p for p in record.practices() if p in set(overview.events["practice"])]


def test_overview_marks_only_the_chosen_events(overview, events):
    picked = record.filter_events(events, practice="sanctions")
    fig = overview.draw(picked, (2014, 2014))
    lines = fig.axes[0].lines
    marked = sum(len(line.get_xdata()) for line in lines if line.get_markersize() > 6)
    grey = sum(len(line.get_xdata()) for line in lines if line.get_markersize() <= 6)
    assert 0 < marked == len(picked) < len(events) and grey == len(events) - len(picked)
    assert fig.texts[-1].get_text() == f"{len(picked)} of {len(events)} events"


def test_overview_zooms_to_the_period(overview, events):
    fig = overview.draw(events, (2021, 2022))
    start, end = fig.axes[0].get_xlim()
    assert (start, end) == (mdates.date2num(pd.Timestamp("2021-01-01")), mdates.date2num(pd.Timestamp("2022-12-31")))


def test_overview_changes_when_the_period_moves(overview, events):
    first = figure_png(overview.draw(record.filter_events(events, years=(1990, 2025)), (1990, 2025)))
    later = figure_png(overview.draw(record.filter_events(events, years=(1993, 2025)), (1993, 2025)))
    assert first != later


def test_outcome_chart_labels_every_segment_and_total(events):
    tally = record.outcome_tally(events, by="period")
    fig = outcome_chart(tally, "By period")
    labels = [t.get_text() for t in fig.axes[0].texts]
    segments = int((tally.to_numpy() > 0).sum())
    assert len(labels) == segments + len(tally)
    assert [l for l in labels if l.startswith("=")] == [f"= {n}" for n in tally.sum(axis=1)]


def test_empty_selection_draws_a_message_not_an_error(events):
    fig = record_timeline(events.iloc[0:0], "Nothing")
    assert "No event matches these filters" in [t.get_text() for t in fig.axes[0].texts]


def test_explorer_puts_the_period_slider_and_the_chart_in_one_box(events):
    explorer = record_explorer(events)
    slider, menus, chart = explorer.children
    assert isinstance(slider, widgets.IntRangeSlider)
    assert slider.value == (1990, events["date"].max().year)
    assert isinstance(chart, widgets.Output)
    assert [m.description for m in menus.children] == ["Forum", "Practice", "Actor"]


def test_events_table_escapes_text_and_counts_rows():
    table = events_html(pd.DataFrame({"date": [pd.Timestamp("2022-01-12")], "title": ["A <b>talk</b>"],
                                      "forum": ["OSCE"], "practice": ["dialogue and backchannel"],
                                      "outcome": ["no agreement"], "outcome_why": ["none"]}))
    assert "A &lt;b&gt;talk&lt;/b&gt;" in table and "1 event." in table


def test_a_long_list_under_the_overview_is_folded_and_a_short_one_open(events, monkeypatch):
    shown = []
    monkeypatch.setattr(record_widgets, "display", shown.append)
    monkeypatch.setattr(record_widgets, "show_figure", lambda fig, summary: None)
    for years, folded in (((1990, 2026), True), ((2008, 2008), False)):
        record_widgets.show_overview(events, years=years)
        picked = record.filter_events(events, years=years)
        assert (len(picked) > record_widgets.LONGEST_OPEN_TABLE) is folded
        assert shown[-1].data.startswith("<details>") is folded


# ---------------------------------------------------------------- the schema's vocabularies, styled here

@pytest.mark.parametrize("module, name, table, column", [
    (record_charts, "OUTCOME_STYLE", "events", "outcome"), (record_widgets, "FINDING_KINDS", "findings", "kind")])
def test_each_style_table_names_exactly_the_values_the_schema_allows(module, name, table, column):
    gaps = vocabulary_gaps(table, column, getattr(module, name), f"{name} in {module.__name__.replace('.', '/')}.py")
    assert not gaps, "\n".join(map(str, gaps))


@pytest.mark.parametrize("labels, column", [(record_charts.LANE_LABELS, "practice"),
                                            (record_charts.OUTCOME_LEGEND, "outcome")])
def test_each_relabelled_value_is_one_the_schema_allows(labels, column):
    unknown = [value for value in labels if value not in vocabulary("events", column)]
    assert not unknown, f"natocourse/charts/record.py relabels {unknown}, which events.{column} does not allow"


def test_an_outcome_added_to_the_schema_is_named_where_to_add_it_never_dropped(tmp_path, monkeypatch, events):
    """A teacher adds "withdrawn" to the schema and to one event: a sentence says what to add in the code; once added,
    the new outcome is counted and drawn."""
    descriptor = json.loads((data.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    outcome = next(f for r in descriptor["resources"] if r["name"] == "events"
                   for f in r["schema"]["fields"] if f["name"] == "outcome")
    outcome["constraints"]["enum"].append("withdrawn")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "data")
    changed = events.copy()
    changed.loc[changed["event_id"] == "minsk_ii", "outcome"] = "withdrawn"

    with pytest.raises(DataError) as caught:
        record.outcome_tally(changed)
    assert str(caught.value) == ('data/datapackage.json, column "outcome": the events table allows "withdrawn", '
                                 "but OUTCOME_ORDER in natocourse/models/record.py does not name it: add it there.")
    for draw in (lambda: record_timeline(changed, "Minsk"), lambda: RecordOverview(changed)):
        with pytest.raises(DataError, match='allows "withdrawn", but OUTCOME_STYLE in natocourse/charts/record.py '
                                            "does not name it: add it there"):
            draw()

    monkeypatch.setattr(record, "OUTCOME_ORDER", [*record.OUTCOME_ORDER, "withdrawn"])
    monkeypatch.setitem(record_charts.OUTCOME_STYLE, "withdrawn", ("#FFFFFF", "*", "black"))
    assert record.outcome_tally(changed, by="period").loc["2014-2021", "withdrawn"] == 1
    fig = record_timeline(changed[changed["event_id"] == "minsk_ii"], "Minsk")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["withdrawn"]


def test_overview_redrawn_in_place_equals_a_fresh_drawing(overview, events):
    """The reused figure must show exactly what a new one would, pixel for pixel, whatever came before."""
    overview.draw(record.filter_events(events, practice="sanctions"), (2014, 2014))  # leave another state behind
    picked = record.filter_events(events, actor="Ukraine", years=(1995, 2010))
    again = figure_png(overview.draw(picked, (1995, 2010)))
    fresh = figure_png(RecordOverview(events).draw(picked, (1995, 2010)))
    assert again == fresh
