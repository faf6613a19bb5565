"""Charts for a projector and for colour-blind readers.

Drawing functions take data and return a matplotlib Figure; they never read a
file. ``show_figure`` displays a figure with its text alternative: ``alt``
metadata on the PNG output, the same sentence as the output's plain-text form,
and printed under the chart for everyone.
"""
from __future__ import annotations

import base64
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


def new_figure(**kwargs):
    """A figure and axes in the projector style (whatever the global settings)."""
    with matplotlib.rc_context(PROJECTOR_STYLE):
        return plt.subplots(figsize=kwargs.pop("figsize", FIGSIZE), layout="constrained", **kwargs)


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


def label_points(ax, xs, ys, labels, **kwargs) -> None:
    """Write each label beside its point, so readers need no legend."""
    for x, y, text in zip(xs, ys, labels):
        ax.annotate(text, (x, y), textcoords="offset points", xytext=kwargs.get("offset", (6, 6)),
                    fontsize=kwargs.get("fontsize", 14), color=kwargs.get("color", PALETTE["black"]))


def membership_chart(per_year, year: int):
    """Step chart of NATO's member count by year, with the chosen year marked and labelled."""
    fig, ax = new_figure()
    ax.step(per_year["year"], per_year["members"], where="post", color=PALETTE["blue"])
    ax.fill_between(per_year["year"], per_year["members"], step="post", color=PALETTE["sky blue"], alpha=0.25)
    for row in per_year[per_year["joined_that_year"] > 0].itertuples():
        ax.annotate(f"{row.year}\n+{row.joined_that_year}", (row.year, row.members), xytext=(0, 10),
                    textcoords="offset points", ha="center", fontsize=12, color=PALETTE["black"])
    count = int(per_year.loc[per_year["year"] == year, "members"].iloc[0])
    ax.axvline(year, color=PALETTE["vermillion"], linewidth=2.5, linestyle="--")
    ax.plot([year], [count], "o", markersize=14, color=PALETTE["vermillion"])
    ax.annotate(f"{year}: {count} members", (year, count), xytext=(-12, -34), textcoords="offset points",
                ha="right" if year > per_year["year"].median() else "left", fontsize=17, fontweight="bold",
                color=PALETTE["vermillion"])
    ax.set(title="NATO members by year", xlabel="Year (membership on 31 December)", ylabel="Members",
           ylim=(0, per_year["members"].max() + 6), xlim=(per_year["year"].min() - 1, per_year["year"].max() + 1))
    return fig
