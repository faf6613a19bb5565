"""Charts of notebook 06 (the negotiation role-play): the issue matrix and the zone of possible agreement.

Each function takes a scenario and its standings (``models.negotiation``) and returns a matplotlib Figure in the
projector style; none reads a file. The 0-4 scale runs from blue (0) through white (2) to orange (4): two
colours that every common colour-vision deficiency tells apart, with neither read as "good"; every cell also
carries its number.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.patches import Rectangle

from ..models.negotiation import (Scenario, gap_words, issue_matrix, matrix_changes, starting_standings,
                                  zones)
from .style import GREY, PALETTE, SEQUENCE, projector_chart

SCALE_COLOURS = LinearSegmentedColormap.from_list("scale", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]])
ZONE_COLOUR = PALETTE["bluish green"]
BLANK = "#F2F2F2"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _ink(value: float) -> str:
    """Black or white, whichever reads better on the cell's colour."""
    r, g, b = to_rgb(SCALE_COLOURS(value / 4))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


@projector_chart
def matrix_chart(scenario: Scenario, standings: dict | None = None):
    """Issues (rows) x delegations (columns): each position's number on the issue's 0-4 scale and its acceptable
    range; a blank where a delegation stated none; a thick frame and "was n" where a position has moved."""
    standings = starting_standings(scenario) if standings is None else standings
    matrix = issue_matrix(scenario, standings)
    changes = matrix_changes(scenario, standings)
    issues, delegations = list(scenario.issue_labels()), list(scenario.short_names())
    rows, columns = matrix.shape
    fig = plt.figure(figsize=(13, 2.0 + 0.95 * rows))
    left, top = 0.25, 1 - 1.75 / fig.get_figheight()
    ax = fig.add_axes((left, 0.02, 0.985 - left, top - 0.02))
    ax.set_xlim(0, columns)
    ax.set_ylim(rows, 0)
    ax.axis("off")
    for r, issue in enumerate(issues):
        for c, delegation in enumerate(delegations):
            standing = standings.get((issue, delegation))
            if standing is None or standing.position is None:
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor=BLANK, edgecolor="white", linewidth=2))
                ax.text(c + 0.5, r + 0.5, "none\nstated", ha="center", va="center", fontsize=11, color="#595959")
                continue
            value = standing.position
            moved = (issue, delegation) in changes
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=SCALE_COLOURS(value / 4), edgecolor="#BFBFBF", linewidth=1.5))
            if moved:
                ax.add_patch(Rectangle((c + 0.05, r + 0.06), 0.9, 0.88, facecolor="none",
                                       edgecolor=PALETTE["black"], linewidth=3.5))
            ink = _ink(value)
            ax.text(c + 0.5, r + 0.42, str(value), ha="center", va="center", fontsize=22, fontweight="bold", color=ink)
            span = f"{standing.low}" if standing.low == standing.high else f"{standing.low}-{standing.high}"
            ax.text(c + 0.5, r + 0.8, f"range {span}", ha="center", va="center", fontsize=11, color=ink)
            if moved:
                before = changes[(issue, delegation)]
                ax.text(c + 0.88, r + 0.2, f"was {'-' if before is None else before}", ha="right", va="center",
                        fontsize=11, color=ink, fontstyle="italic")
    for r, label in enumerate(matrix.index):
        fig.text(left - 0.008, ax.transData.transform((0, r + 0.5))[1] / fig.dpi / fig.get_figheight(),
                 _wrap(label, 28), ha="right", va="center", fontsize=13)
    for c, name in enumerate(matrix.columns):
        ax.text(c + 0.5, -0.08, _wrap(name, 10), ha="center", va="bottom", fontsize=13, fontweight="bold")
    moved = len(changes)
    fig.suptitle(f"{scenario.title}: positions on each issue (0-4)" + (f", {moved} moved" if moved else ", at the start"),
                 x=0.01, ha="left", fontsize=18, fontweight="bold")
    fig.text(0.01, 1 - 0.6 / fig.get_figheight(), "0 and 4 are the two ends described under each issue; "
             "the numbers are the course's coding of stated positions, not the governments' own.",
             ha="left", va="top", fontsize=12, color="#404040")
    return fig


@projector_chart
def zone_chart(scenario: Scenario, standings: dict | None = None):
    """One row per issue: each delegation's acceptable range as a bar (same order and colour in every row), the
    overlap shaded green and labelled, or "no overlap" written out with who stands where."""
    standings = starting_standings(scenario) if standings is None else standings
    table = zones(scenario, standings)
    names = scenario.short_names()
    order = list(names)
    colours = {d: (SEQUENCE + [GREY])[n % (len(SEQUENCE) + 1)] for n, d in enumerate(order)}
    rows = len(table)
    fig = plt.figure(figsize=(13, 2.6 + 1.05 * rows))
    left, right = 0.25, 0.62
    top = 1 - 2.2 / fig.get_figheight()
    bottom = 0.25 / fig.get_figheight()
    ax = fig.add_axes((left, bottom, right - left, top - bottom))
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(rows, 0)
    ax.set_xticks(range(5))
    ax.set_xticklabels(["0", "1", "2", "3", "4"])
    ax.tick_params(axis="x", labelsize=13, top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_yticks([])
    ax.grid(axis="x", alpha=0.35)
    ax.grid(axis="y", visible=False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    for r, row in enumerate(table.itertuples()):
        if r:
            ax.axhline(r, color=GREY, linewidth=0.8)
        parties = row.parties
        if not (row.low is None or row.low is np.nan or str(row.low) == "<NA>"):
            ax.add_patch(Rectangle((row.low - 0.45, r + 0.04), row.high - row.low + 0.9, 0.92, facecolor=ZONE_COLOUR,
                                   alpha=0.28, edgecolor=ZONE_COLOUR, linewidth=2.5, zorder=1))
        band = 0.84 / max(len(parties), 1)
        for n, delegation in enumerate(parties):
            s = standings[(row.issue_id, delegation)]
            y = r + 0.08 + n * band
            ax.add_patch(Rectangle((s.low - 0.4, y + band * 0.12), s.high - s.low + 0.8, band * 0.76,
                                   facecolor=colours[delegation], edgecolor="black", linewidth=0.6, zorder=2))
            if s.position is not None:
                ax.plot([s.position], [y + band * 0.5], marker="D", markersize=min(9.0, band * 60),
                        markerfacecolor="white", markeredgecolor="black", markeredgewidth=1.2, zorder=3)
        fig.text(left - 0.008, _fig_y(fig, ax, r + 0.5), _wrap(row.issue, 28), ha="right", va="center", fontsize=13)
        if parties and str(row.low) != "<NA>":
            span = f"{row.low}" if row.low == row.high else f"{row.low}-{row.high}"
            verdict = f"Overlap: {span}"
            detail = f"all {len(parties)} ranges meet there"
            colour = "#00573F"
        elif parties:
            verdict = "No overlap"
            detail = gap_words(scenario, row)
            colour = "black"
        else:
            verdict, detail, colour = "No position stated", "", GREY
        fig.text(right + 0.012, _fig_y(fig, ax, r + 0.08), verdict, ha="left", va="top", fontsize=14,
                 fontweight="bold", color=colour)
        fig.text(right + 0.012, _fig_y(fig, ax, r + 0.36), _wrap(detail, 46), ha="left", va="top", fontsize=11,
                 color="#303030", linespacing=1.15)
    handles = [Rectangle((0, 0), 1, 1, facecolor=colours[d], edgecolor="black", linewidth=0.6) for d in order]
    fig.legend(handles, [names[d] for d in order], loc="upper left",
               bbox_to_anchor=(0.005, 1 - 1.05 / fig.get_figheight()), ncol=min(len(order), 5), fontsize=12,
               frameon=False, handlelength=1.2, columnspacing=1.2,
               title="Bars, top to bottom in each row (a delegation that stated nothing on an issue has no bar there):",
               title_fontsize=12, alignment="left")
    fig.suptitle(f"{scenario.title}: where the acceptable ranges overlap", x=0.01, ha="left", fontsize=18,
                 fontweight="bold")
    fig.text(0.01, 1 - 0.6 / fig.get_figheight(), "Each bar: a delegation's acceptable range on the issue's 0-4 scale; "
             "a white diamond marks its position. Green: the zone of possible agreement.\nThe numbers are the course's coding "
             "of stated positions, not the governments' own.", ha="left", va="top", fontsize=12, color="#404040")
    return fig


def _fig_y(fig, ax, y: float) -> float:
    """A data y of the axes as a fraction of the figure's height."""
    return ax.transData.transform((0, y))[1] / (fig.dpi * fig.get_figheight())



