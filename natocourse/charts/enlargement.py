"""Charts of lesson 01 (and 00): NATO's members year by year, the waves, and how close the alliance came to Russia."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt

from .redraw import PrerenderedFigure
from .style import FIGSIZE, GREY, PALETTE, new_figure, projector_chart, redrawable_figure


class MembershipChart:
    """Step chart of NATO's member count by year, with one chosen year marked and labelled.

    The steps and the wave labels are drawn once; ``png(year)`` moves only the marker, so that a
    year slider redraws quickly (see ``PrerenderedFigure``).
    """

    def __init__(self, per_year):
        self.per_year = per_year
        with redrawable_figure((0.08, 0.14, 0.98, 0.9)) as (fig, ax):
            _draw_membership_steps(ax, per_year)
            self._line, = ax.plot([], [], color=PALETTE["vermillion"], linewidth=2.5, linestyle="--")
            self._dot, = ax.plot([], [], "o", markersize=14, color=PALETTE["vermillion"])
            self._label = ax.text(0.02, 0.9, "", transform=ax.transAxes, fontsize=22, fontweight="bold",
                                  color=PALETTE["vermillion"])
            self._picture = PrerenderedFigure(fig, [self._line, self._dot, self._label])
        self.figure = fig

    def png(self, year: int) -> bytes:
        """The chart with ``year`` marked, as PNG bytes."""
        count = int(self.per_year.loc[self.per_year["year"] == year, "members"].iloc[0])
        self._line.set_data([year, year], [0, count])
        self._dot.set_data([year], [count])
        self._label.set_text(f"{year}: {count} members")
        return self._picture.png()


def _draw_membership_steps(ax, per_year) -> None:
    """The parts of the members-by-year chart that do not depend on the chosen year."""
    ax.step(per_year["year"], per_year["members"], where="post", color=PALETTE["blue"])
    ax.fill_between(per_year["year"], per_year["members"], step="post", color=PALETTE["sky blue"], alpha=0.25)
    level, previous = 0, None
    for row in per_year[per_year["joined_that_year"] > 0].itertuples():
        # waves a few years apart get stacked labels with a leader line, so none overlaps on a projector
        level = level + 1 if previous is not None and row.year - previous < 6 else 0
        previous = row.year
        founders = row.year == per_year["year"].min()
        label_y = row.members - 1.2 if founders else row.members + 1.2 + 2.6 * level
        if level:
            ax.plot([row.year, row.year], [row.members, label_y - 0.3], color=GREY, linewidth=1)
        ax.text(row.year + 0.5 * founders, label_y, f"{row.year}: +{row.joined_that_year}", fontsize=13,
                ha="left" if founders else "center", va="top" if founders else "baseline")
    ax.set(title="NATO members by year", xlabel="Year (membership on 31 December)", ylabel="Members",
           ylim=(0, per_year["members"].max() + 12), xlim=(per_year["year"].min() - 1, per_year["year"].max() + 1))


@projector_chart
def closeness_chart(per_year, year: int | None = None):
    """Two panels: members' land border with the USSR/Russia, and Moscow's distance to the nearest member capital."""
    fig, (border_ax, distance_ax) = plt.subplots(1, 2, figsize=FIGSIZE)
    fig.subplots_adjust(left=0.08, bottom=0.1, right=0.97, top=0.86, wspace=0.3)
    soviet = per_year["neighbour"] == "the USSR"
    for part, colour, label in ((soviet, PALETTE["orange"], "with the USSR"),
                                (~soviet, PALETTE["blue"], "with Russia")):
        rows = per_year[part]
        border_ax.step(rows["year"], rows["border_km"], where="post", color=colour, label=label)
    distance_ax.step(per_year["year"], per_year["moscow_km"], where="post", color=PALETTE["bluish green"])
    _label_changes(border_ax, per_year, "border_km", lambda r: f"{r.year}: {r.border_km:,.0f}")
    _label_changes(distance_ax, per_year, "moscow_km", lambda r: f"{r.year}: {r.nearest_capital} {r.moscow_km:,.0f}")
    border_ax.set_title("Members' land border with\nthe USSR / Russia (km)", fontsize=17, loc="left")
    distance_ax.set_title("Moscow to the nearest\nmember capital (km)", fontsize=17, loc="left")
    border_ax.set_ylim(0, per_year["border_km"].max() * 1.25)
    distance_ax.set_ylim(0, per_year["moscow_km"].max() * 1.25)
    border_ax.legend(loc="upper left", frameon=False)
    for ax in (border_ax, distance_ax):
        ax.set_xlim(per_year["year"].min() - 2, per_year["year"].max() + 2)
        ax.set_xticks(range(1950, int(per_year["year"].max()) + 1, 20))
        if year is not None:
            ax.axvline(year, color=PALETTE["vermillion"], linestyle="--", linewidth=2)
    return fig


def _label_changes(ax, per_year, column, text):
    """Label the first year and every change on the line; late changes are labelled to their left."""
    changed = per_year[per_year[column].diff().fillna(1) != 0]
    for row in changed.itertuples():
        late = row.year > 1990
        ax.annotate(text(row), (row.year, getattr(row, column)), xytext=(-6 if late else 6, 8),
                    textcoords="offset points", fontsize=13, va="bottom", ha="right" if late else "left")


@projector_chart
def enlargement_timeline(per_year, turning_points):
    """NATO's members by year, each wave labelled, with numbered turning points listed beside the chart.

    ``turning_points`` has a ``date`` and a short ``label`` per row.
    """
    fig, ax = new_figure(margins=(0.07, 0.12, 0.56, 0.88))
    ax.step(per_year["year"], per_year["members"], where="post", color=PALETTE["blue"])
    ax.fill_between(per_year["year"], per_year["members"], step="post", color=PALETTE["sky blue"], alpha=0.25)
    waves = per_year[per_year["joined_that_year"] > 0]
    for row in waves.itertuples():
        # single accessions a few years from another wave stay unlabelled: the step shows them, labels would collide
        crowded = ((waves["year"] - row.year).abs().between(1, 5)).any()
        if row.joined_that_year == 1 and crowded:
            continue
        founders = row.year == waves["year"].min()
        early = row.year < 1970  # labels to the right, clear of the axis
        ax.annotate(f"{row.joined_that_year} founders" if founders else f"+{row.joined_that_year}",
                    (row.year, row.members), xytext=(4, -20) if founders else ((-4, 14) if early else (-3, 3)),
                    textcoords="offset points", ha="left" if early else "right", fontsize=13,
                    color=PALETTE["blue"], fontweight="bold")
    top = per_year["members"].max() + 12
    ax.set(ylim=(0, top), xlim=(per_year["year"].min() - 1, per_year["year"].max() + 1), ylabel="Members",
           xlabel="Year (membership on 31 December)", title="Enlargement waves and turning points")
    lines, placed = [], []  # placed: (x, height step) of the numbers drawn so far
    for number, row in enumerate(turning_points.sort_values("date").itertuples(), start=1):
        x = row.date.year + (row.date.day_of_year - 1) / 366
        # each number takes the highest step no number within three years has taken, so neighbours stay readable
        taken = {step for other, step in placed if x - other < 3}
        step = min(set(range(4)) - taken, default=0)
        placed.append((x, step))
        height = 0.95 - 0.08 * step
        ax.axvline(x, color=GREY, linestyle=":", linewidth=1.5, ymax=height)
        ax.text(x, top * height, str(number), ha="center", va="center", fontsize=12 if number < 10 else 10.5,
                fontweight="bold", color="white", bbox={"boxstyle": "circle,pad=0.25", "color": PALETTE["vermillion"]})
        entry = f"{number}.  {row.date.day} {row.date:%b %Y}:  {row.label}"
        lines += textwrap.wrap(entry, width=44, subsequent_indent="      ")
    fig.text(0.585, 0.88, "\n".join(lines), va="top", ha="left", fontsize=13.5, linespacing=1.6)
    return fig
