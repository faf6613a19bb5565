"""Charts of the diplomacy track record: the record as a timeline, and its outcomes counted.

Drawing functions take data and return a matplotlib Figure; they never read a
file. Each outcome has a colour from the Okabe-Ito palette *and* a marker shape,
so the chart reads without colour too; the outcomes themselves are the
schema's, and an outcome the schema allows without a style here is a plain
error naming what to add (``outcome_styles``).

The timeline gives every event its own row: the label (date and short title)
sits at the left of its row and the marker on the time axis to the right, so
labels cannot overlap however many events are shown. Margins are fixed in
inches, never computed by a layout engine, so a redraw stays fast.
"""
from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .redraw import Snapshot
from .style import DPI, GREY, PALETTE, PROJECTOR_STYLE, figure_png, projector_chart
from ..data import in_order
from ..models.record import outcomes, practices

# For each outcome the schema allows: colour, marker, label colour inside a bar
OUTCOME_STYLE = {
    "implemented": (PALETTE["bluish green"], "o", "white"),
    "partially implemented": (PALETTE["sky blue"], "h", "black"),
    "adopted": (PALETTE["blue"], "s", "white"),
    "signed": (PALETTE["yellow"], "D", "black"),
    "ongoing": (PALETTE["orange"], ">", "black"),
    "no agreement": (PALETTE["reddish purple"], "X", "black"),
    "collapsed": (PALETTE["vermillion"], "v", "white"),
    "rejected": (PALETTE["black"], "P", "white"),
    "not applicable": ("#D9D9D9", "o", "black"),
}
OUTCOME_LEGEND = {"not applicable": "no outcome to judge"}


def outcome_styles() -> dict:
    """``OUTCOME_STYLE``, once checked to style every outcome data/datapackage.json allows (a DataError if not)."""
    in_order("events", "outcome", OUTCOME_STYLE, "OUTCOME_STYLE in natocourse/charts/record.py")
    return OUTCOME_STYLE


WIDTH = 11.0          # inches, as every course chart
ROW = 0.34            # inches per event row: 13-point labels (0.18 in) never touch
TOP, BOTTOM = 1.45, 0.75   # inches above and below the rows: title and legend; time axis
LABEL_FONT = 13
LABEL_LEFT = 0.012    # figure fraction where the labels start
AXES_LEFT, AXES_RIGHT = 0.49, 0.975
LABEL_CHARS = 40      # longest label shown in full; longer short titles are cut with an ellipsis


@projector_chart
def record_timeline(events: pd.DataFrame, title: str, period: tuple | None = None):
    """One row per event, labelled on the left, with a marker on the time axis shaped and coloured by outcome.

    ``period`` is the (start, end) shown on the time axis, as years (ints) or dates; by default the events' span.
    """
    styles = outcome_styles()
    rows = max(len(events), 1)
    height = TOP + BOTTOM + ROW * rows
    fig = plt.figure(figsize=(WIDTH, height))
    ax = fig.add_axes((AXES_LEFT, BOTTOM / height, AXES_RIGHT - AXES_LEFT, ROW * rows / height))
    start, end = _span(events, period)
    days = (end - start).days
    margin = max(1.0, 0.02 * days)  # so a marker on the first or last day is drawn whole
    ax.set_xlim(mdates.date2num(start) - margin, mdates.date2num(end) + margin)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.spines[["left", "top", "right"]].set_visible(False)
    _time_axis(ax, days)
    x = mdates.date2num(events["date"]) if len(events) else []
    for row, (when, outcome) in enumerate(zip(x, events["outcome"])):
        colour, marker, _ = styles[outcome]
        ax.plot([ax.get_xlim()[0], when], [row, row], color=GREY, linewidth=0.8, linestyle=":", zorder=1)
        ax.plot([when], [row], marker=marker, markersize=11, color=colour, markeredgecolor="black",
                markeredgewidth=0.8, linestyle="none", zorder=3)
    for row, event in enumerate(events.itertuples()):
        y = (BOTTOM + ROW * (rows - row - 0.5)) / height
        fig.text(LABEL_LEFT, y, _day(event.date), fontsize=LABEL_FONT, va="center", ha="left", color="#444444",
                 family="DejaVu Sans Mono")
        fig.text(LABEL_LEFT + 0.125, y, _fit(event.short_title), fontsize=LABEL_FONT, va="center", ha="left")
    if events.empty:
        ax.text(0.5, 0.5, "No event matches these filters", transform=ax.transAxes, ha="center", va="center",
                fontsize=16, color=GREY)
    fig.text(LABEL_LEFT, 1 - 0.18 / height, title, fontsize=20, fontweight="bold", va="top", ha="left")
    present = [o for o in outcomes() if o in set(events["outcome"])] or outcomes()[:1]
    fig.legend(handles=[_handle(o) for o in present], loc="upper left", ncol=5, frameon=False, fontsize=13,
               bbox_to_anchor=(LABEL_LEFT, 1 - 0.62 / height), handletextpad=0.3, columnspacing=1.0,
               borderaxespad=0)
    return fig


@projector_chart
def outcome_chart(tally: pd.DataFrame, title: str):
    """Horizontal stacked bars: for each forum or period, its diplomatic acts split by outcome, counts on the bars."""
    styles = outcome_styles()
    rows = len(tally)
    height = max(4.5, 2.3 + 0.55 * rows)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    fig.subplots_adjust(left=0.25, right=0.95, bottom=0.9 / height, top=1 - 1.5 / height)
    left = pd.Series(0.0, index=tally.index)
    for outcome in tally.columns:
        colour, _, ink = styles[outcome]
        counts = tally[outcome]
        ax.barh(range(rows), counts, left=left, color=colour, edgecolor="white", linewidth=1.5, height=0.7,
                label=OUTCOME_LEGEND.get(outcome, outcome))
        for row, (count, start) in enumerate(zip(counts, left)):
            if count:
                ax.text(start + count / 2, row, str(int(count)), ha="center", va="center", fontsize=14,
                        fontweight="bold", color=ink)
        left = left + counts
    for row, total in enumerate(left):
        ax.text(total + 0.15, row, f"= {int(total)}", va="center", ha="left", fontsize=14, color="#444444")
    ax.set_yticks(range(rows), [_wrap(str(name)) for name in tally.index])
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xlim(0, left.max() * 1.12 + 0.5)
    ax.set_xlabel("Number of negotiated acts in data/events.csv")
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.legend(loc="upper left", ncol=4, frameon=False, fontsize=13, bbox_to_anchor=(0.012, 1 - 0.62 / height),
               handlelength=1.2, columnspacing=1.0, borderaxespad=0)
    fig.text(0.012, 1 - 0.18 / height, title, fontsize=20, fontweight="bold", va="top", ha="left")
    return fig


def _span(events: pd.DataFrame, period) -> tuple[pd.Timestamp, pd.Timestamp]:
    if period is not None:
        start, end = period
        if isinstance(start, int):
            return pd.Timestamp(year=start, month=1, day=1), pd.Timestamp(year=end, month=12, day=31)
        return pd.Timestamp(start), pd.Timestamp(end)
    if events.empty:
        return pd.Timestamp("1990-01-01"), pd.Timestamp("2025-12-31")
    return (pd.Timestamp(year=events["date"].min().year, month=1, day=1),
            pd.Timestamp(year=events["date"].max().year, month=12, day=31))


def _time_axis(ax, days: int) -> None:
    """Ticks that suit the span: days and months for a few months, years otherwise."""
    if days <= 200:
        ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b\n%Y"))
    elif days <= 800:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    else:
        step = next(s for s in (1, 2, 5, 10) if days / 365.25 / s <= 8)
        ax.xaxis.set_major_locator(mdates.YearLocator(step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=13)
    ax.grid(axis="x", alpha=0.3)


def _handle(outcome: str) -> Line2D:
    colour, marker, _ = OUTCOME_STYLE[outcome]
    return Line2D([], [], marker=marker, color=colour, markeredgecolor="black", markeredgewidth=0.8,
                  markersize=11, linestyle="none", label=OUTCOME_LEGEND.get(outcome, outcome))


def _day(day: pd.Timestamp) -> str:
    return f"{day.day:>2} {day:%b %Y}"


def _fit(text: str, width: int = LABEL_CHARS) -> str:
    """The label cut to ``width`` characters (with an ellipsis), so it stays clear of the time axis."""
    return text if len(text) <= width else text[: width - 1].rstrip(" ,:;") + "…"


def _wrap(text: str, width: int = 22) -> str:
    if len(text) <= width or " " not in text:
        return text
    cut = text.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else text.find(" ")
    return text[:cut] + "\n" + text[cut + 1:]


# Lane labels where the practice's own name (from the schema) is too long for one line.
LANE_LABELS = {"none (military action)": "military action\n(not diplomacy)",
               "none (other unilateral act)": "other unilateral act\n(not diplomacy)",
               "partnership and cooperation": "partnership and\ncooperation", "dialogue and backchannel": "dialogue and\nbackchannel"}
SLOT = 0.165          # inches per stacked marker within a lane
LANE_GAP = 0.55       # slots of space between lanes
OVERVIEW_LEFT, OVERVIEW_RIGHT = 0.215, 0.975
OVERVIEW_TOP, OVERVIEW_BOTTOM = 1.35, 0.95  # inches: title and legend above, time axis below
MIN_SLOTS = 2         # every lane is tall enough for a two-line label
MARKER_PX = 15        # a marker's width in pixels, for stacking markers that would touch


class RecordOverview:
    """The whole record on one chart: a lane per diplomatic practice, a marker per event, stacked where dates crowd.

    The lanes, labels, axis and legend never change, so they are drawn once (``background``); each redraw only
    adds the chosen period's band and the chosen events' markers on top: fast enough for a slider.

    >>> from natocourse import load_table
    >>> from natocourse.models.record import filter_events
    >>> events = load_table("events")
    >>> overview = RecordOverview(events)
    >>> sanctions = filter_events(events, practice="sanctions")
    >>> fig = overview.draw(sanctions, (2014, 2015))
    >>> fig.texts[-1].get_text() == f"{len(sanctions)} of {len(events)} events"
    True
    """

    def __init__(self, events: pd.DataFrame, first_year: int | None = None, last_year: int | None = None):
        outcome_styles()
        self.events = events.sort_values("date", kind="stable").reset_index(drop=True)
        self.first_year = first_year or int(self.events["date"].dt.year.min())
        self.last_year = last_year or int(self.events["date"].dt.year.max())
        self.start = pd.Timestamp(year=self.first_year, month=1, day=1)
        self.end = pd.Timestamp(year=self.last_year, month=12, day=31)
        self.x = mdates.date2num(self.events["date"])
        self._stack()
        self.height = OVERVIEW_TOP + OVERVIEW_BOTTOM + SLOT * self.units
        self.rect = (OVERVIEW_LEFT, OVERVIEW_BOTTOM / self.height, OVERVIEW_RIGHT - OVERVIEW_LEFT,
                     SLOT * self.units / self.height)
        self._figure = None  # built by the first draw, then reused

    def draw(self, picked: pd.DataFrame, period: tuple[int, int] | None = None, title: str | None = None):
        """The overview with ``picked`` events (a subset of the events) marked by outcome, zoomed to ``period``.

        The figure is built on the first call and reused: each call moves the time axis, refills the markers
        and rewrites the title (about 15 ms less per slider step than building a new figure each time).
        """
        first, last = period if period is not None else (self.first_year, self.last_year)
        start, end = pd.Timestamp(year=first, month=1, day=1), pd.Timestamp(year=last, month=12, day=31)
        fig = self.figure
        ax = fig.axes[0]
        ax.set_xlim(mdates.date2num(start), mdates.date2num(end))
        with matplotlib.rc_context(PROJECTOR_STYLE):
            _time_axis(ax, (end - start).days)
        chosen = self.events["event_id"].isin(set(picked["event_id"])).to_numpy()
        self._grey.set_data(self.x[~chosen], self.y[~chosen])
        for outcome, line in self._marks.items():
            shown = chosen & (self.events["outcome"] == outcome).to_numpy()
            line.set_data(self.x[shown], self.y[shown])
        self._title.set_text(title or f"{int(chosen.sum())} of {len(self.events)} events")
        return fig

    @property
    def figure(self) -> Figure:
        """The figure that ``draw`` refills (built on first use)."""
        if self._figure is None:
            self._figure = self._markers_figure()
        return self._figure

    def png(self, picked: pd.DataFrame, period: tuple[int, int] | None = None, title: str | None = None) -> bytes:
        """``draw`` as PNG bytes: the lanes pasted as a picture, the markers and axis drawn on top."""
        return figure_png(self.draw(picked, period, title))

    def _markers_figure(self) -> Figure:
        """The figure that ``draw`` refills: the lanes as a picture (``Snapshot``), a line of markers per outcome."""
        with matplotlib.rc_context(PROJECTOR_STYLE):
            fig = Figure(figsize=(WIDTH, self.height), dpi=DPI)
            FigureCanvasAgg(fig)
            fig.add_artist(Snapshot(self._lanes(fig), zorder=0))
            ax = fig.add_axes(self.rect, zorder=1)  # above the lanes
            ax.patch.set_alpha(0)
            ax.set_ylim(self.units, 0)
            ax.set_yticks([])
            ax.grid(axis="y", visible=False)
            ax.spines[["left", "top", "right"]].set_visible(False)
            (self._grey,) = ax.plot([], [], "o", markersize=5, color="#BDBDBD", zorder=2)
            self._marks = {}
            for outcome in dict.fromkeys(self.events["outcome"]):  # in the order of the record, as before
                colour, marker, _ = OUTCOME_STYLE[outcome]
                (self._marks[outcome],) = ax.plot([], [], marker=marker, markersize=10.5, color=colour,
                                                  markeredgecolor="black", markeredgewidth=0.8, linestyle="none",
                                                  zorder=3)
            self._title = fig.text(0.012, 1 - 0.18 / self.height, "", fontsize=20, fontweight="bold", va="top",
                                   ha="left")
        return fig

    def _stack(self) -> None:
        """Give each event a slot in its lane: the lowest slot whose last marker is at least a marker's width away."""
        px_per_day = (OVERVIEW_RIGHT - OVERVIEW_LEFT) * WIDTH * DPI / (self.end - self.start).days
        gap_days = MARKER_PX / px_per_day
        slot_of = pd.Series(0, index=self.events.index)
        self.lanes = []  # (practice, first unit, depth)
        unit = 0.0
        for practice in [p for p in practices() if p in set(self.events["practice"])]:
            lane = self.events[self.events["practice"] == practice]
            last_x: list[float] = []
            for index in lane.index:
                x = self.x[index]
                slot = next((s for s, seen in enumerate(last_x) if x - seen >= gap_days), len(last_x))
                if slot == len(last_x):
                    last_x.append(x)
                last_x[slot] = x
                slot_of[index] = slot
            depth = max(len(last_x), MIN_SLOTS)
            self.lanes.append((practice, unit, depth))
            offset = (depth - len(last_x)) / 2  # a shallow lane's markers sit in its middle
            for index in lane.index:
                self.events.loc[index, "_y"] = unit + offset + slot_of[index] + 0.5
            unit += depth + LANE_GAP
        self.units = unit - LANE_GAP
        self.y = self.events.pop("_y").to_numpy()

    def _lanes(self, fig: Figure) -> list:
        """What never changes, as artists for one ``Snapshot``: the lanes on axes of their own (not added to the
        figure, so only the picture draws them), the lane labels, the caption and the legend."""
        lanes = Axes(fig, self.rect)
        lanes.set_xlim(mdates.date2num(self.start), mdates.date2num(self.end))
        lanes.set_ylim(self.units, 0)
        labels = []
        for number, (practice, first, depth) in enumerate(self.lanes):
            if number % 2 == 0:
                lanes.axhspan(first - LANE_GAP / 2, first + depth + LANE_GAP / 2, color="#F2F2F2", zorder=0,
                              linewidth=0)
            labels.append(Text(OVERVIEW_LEFT - 0.01, self.rect[1] + self.rect[3] * (1 - (first + depth / 2) / self.units),
                               LANE_LABELS.get(practice, practice), ha="right", va="center", fontsize=14,
                               linespacing=1.1, transform=fig.transFigure))
        lanes.set_yticks([])
        lanes.set_xticks([])
        lanes.grid(False)
        lanes.spines[["left", "top", "right", "bottom"]].set_visible(False)
        caption = Text(0.5, 0.12 / self.height,
                       "Lanes: practices after Enyichukwu et al. (2023), with the course's additions. Grey dots: events not chosen.",
                       fontsize=13, color="#444444", ha="center", va="bottom", transform=fig.transFigure)
        handles = [_handle(o) for o in outcomes() if o in set(self.events["outcome"])]
        legend = Legend(fig, handles, [h.get_label() for h in handles], loc="upper left", ncol=5, frameon=False,
                        fontsize=13, bbox_to_anchor=(0.012, 1 - 0.62 / self.height), handletextpad=0.3,
                        columnspacing=1.0, borderaxespad=0, bbox_transform=fig.transFigure)
        return [lanes, *labels, caption, legend]
