"""Charts for a projector and for colour-blind readers.

Drawing functions take data and return a matplotlib Figure; they never read a
file. ``show_figure`` displays a figure with its text alternative: ``alt``
metadata on the PNG output, the same sentence as the output's plain-text form,
and printed under the chart for everyone.
"""
from __future__ import annotations

import base64
import functools
import io

import matplotlib
import matplotlib.pyplot as plt
from IPython.display import display

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
SEQUENCE = [PALETTE[c] for c in ("blue", "orange", "bluish green", "vermillion", "reddish purple",
                                 "sky blue", "yellow", "black")]
GREY = "#8C8C8C"

FIGSIZE = (11, 5.5)  # inches; at DPI 100 a 1100 x 550 image, readable at the back of a classroom
DPI = 100
PROJECTOR_STYLE = {
    "font.size": 16,
    "axes.titlesize": 20,
    "axes.titleweight": "bold",
    "axes.labelsize": 17,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=SEQUENCE),
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "lines.linewidth": 3,
    "svg.hashsalt": "natocourse",
}


def setup_charts() -> None:
    """Apply the projector style to every chart drawn from now on."""
    matplotlib.rcParams.update(PROJECTOR_STYLE)


def projector_chart(draw):
    """Decorator: draw the chart in the projector style, whatever the global settings."""
    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with matplotlib.rc_context(PROJECTOR_STYLE):
            return draw(*args, **kwargs)
    return drawn


def new_figure(margins=(0.08, 0.14, 0.98, 0.9)):
    """A figure and axes with fixed margins (left, bottom, right, top): faster to redraw than automatic layout."""
    fig, ax = plt.subplots(figsize=FIGSIZE)
    left, bottom, right, top = margins
    fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
    return fig, ax


def figure_png(fig) -> bytes:
    """The figure as PNG bytes; the figure is closed so figures never pile up in memory."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def show_figure(fig, summary: str) -> None:
    """Display the chart with its one-line text alternative, then print that line under it."""
    png = base64.b64encode(figure_png(fig)).decode("ascii")
    display({"image/png": png, "text/plain": f"[Chart] {summary}"}, raw=True,
            metadata={"image/png": {"alt": summary}})
    print(summary)


@projector_chart
def membership_chart(per_year, year: int):
    """Step chart of NATO's member count by year, with the chosen year marked and labelled."""
    fig, ax = new_figure()
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
    count = int(per_year.loc[per_year["year"] == year, "members"].iloc[0])
    ax.plot([year, year], [0, count], color=PALETTE["vermillion"], linewidth=2.5, linestyle="--")
    ax.plot([year], [count], "o", markersize=14, color=PALETTE["vermillion"])
    ax.text(0.02, 0.9, f"{year}: {count} members", transform=ax.transAxes, fontsize=22, fontweight="bold",
            color=PALETTE["vermillion"])
    ax.set(title="NATO members by year", xlabel="Year (membership on 31 December)", ylabel="Members",
           ylim=(0, per_year["members"].max() + 12), xlim=(per_year["year"].min() - 1, per_year["year"].max() + 1))
    return fig
