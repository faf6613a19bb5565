"""Charts of notebook 02 (the security dilemma): Jervis's worlds, 2x2 games, repeated play, Richardson's model and fit.

Each function takes data or a model and returns a matplotlib Figure in the
projector style; none reads a file. Fixed margins (no automatic layout) keep
redraws fast enough for sliders.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .charts import FIGSIZE, GREY, PALETTE, new_figure, projector_chart
from .games import ARM, MOVES, RESTRAIN

MOVE_COLOUR = {RESTRAIN: PALETTE["blue"], ARM: PALETTE["vermillion"]}


@projector_chart
def worlds_chart(worlds, chosen: str):
    """Jervis's 2x2: offence or defence advantage (columns) by whether postures can be told apart (rows)."""
    fig, ax = new_figure(margins=(0.2, 0.05, 0.62, 0.84))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.axis("off")
    column = {"offence": 0, "defence": 1}
    row = {"no": 1, "yes": 0}
    for world in worlds.itertuples():
        x, y = column[world.advantage], row[world.distinguishable]
        picked = world.world_id == chosen
        ax.add_patch(Rectangle((x + 0.03, y + 0.03), 0.94, 0.94, facecolor=PALETTE["sky blue"] if picked else "white",
                               edgecolor=PALETTE["blue"] if picked else GREY, linewidth=4 if picked else 1.5))
        ax.text(x + 0.5, y + 0.5, "\n".join(textwrap.wrap(world.name, 16)), ha="center", va="center", fontsize=15,
                fontweight="bold" if picked else "normal")
    for label, x in (("Offence has\nthe advantage", 0.5), ("Defence has\nthe advantage", 1.5)):
        ax.text(x, 2.04, label, ha="center", va="bottom", fontsize=14)
    for label, y in (("Postures\ncannot be\ntold apart", 1.5), ("Postures\ncan be\ntold apart", 0.5)):
        ax.text(-0.05, y, label, ha="right", va="center", fontsize=14)
    world = worlds.set_index("world_id").loc[chosen]
    text = (f"{world['name']}\n\n" + "\n".join(textwrap.wrap(world["logic"], 40))
            + "\n\n" + "\n".join(textwrap.wrap(world["example"], 40)))
    fig.text(0.65, 0.86, text, va="top", ha="left", fontsize=12.5, linespacing=1.35)
    fig.suptitle("Jervis's four worlds", x=0.02, ha="left", fontsize=20, fontweight="bold")
    return fig


@projector_chart
def game_chart(game, side_a: str = "Side A", side_b: str = "Side B"):
    """The payoff table of a 2x2 game, pure Nash equilibria outlined and starred, the game named in the title."""
    fig, ax = new_figure(margins=(0.22, 0.06, 0.7, 0.8))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.axis("off")
    equilibria = set(game.pure_nash())
    for i, mine in enumerate(MOVES):
        for j, theirs in enumerate(MOVES):
            x, y = j, 1 - i
            nash = (mine, theirs) in equilibria
            ax.add_patch(Rectangle((x + 0.03, y + 0.03), 0.94, 0.94,
                                   facecolor=PALETTE["yellow"] if nash else "white",
                                   edgecolor=PALETTE["black"] if nash else GREY, linewidth=4 if nash else 1.5))
            ax.text(x + 0.5, y + 0.55, f"{game.payoff(mine, theirs):g}", ha="center", va="center", fontsize=26,
                    color=MOVE_COLOUR[mine], fontweight="bold")
            ax.text(x + 0.5, y + 0.3, f"{side_b}: {game.payoff(theirs, mine):g}", ha="center", va="center",
                    fontsize=14, color=MOVE_COLOUR[theirs])
            if nash:
                ax.text(x + 0.9, y + 0.85, "★", ha="right", va="top", fontsize=22)
    for j, move in enumerate(MOVES):
        ax.text(j + 0.5, 2.04, f"{side_b} {'restrains' if move == RESTRAIN else 'arms'}", ha="center", va="bottom",
                fontsize=15, color=MOVE_COLOUR[move])
        ax.text(-0.04, 1.5 - j, f"{side_a}\n{'restrains' if move == RESTRAIN else 'arms'}", ha="right",
                va="center", fontsize=15, color=MOVE_COLOUR[move])
    fig.suptitle(f"{game.name}   ({game.ordering})", x=0.02, ha="left", fontsize=20, fontweight="bold")
    fig.text(0.72, 0.78, "Big number: payoff of\nthe side on the left.\nSmall: the side on top.\n\n"
             "★ yellow cell: a Nash\nequilibrium (neither side\ngains by changing its\nmove alone).",
             va="top", ha="left", fontsize=13, linespacing=1.4)
    return fig


@projector_chart
def match_chart(match):
    """Round-by-round moves of both sides (blue restrain, vermillion arm), misperceived rounds marked."""
    fig, ax = new_figure(margins=(0.2, 0.2, 0.98, 0.84))
    rounds = np.arange(1, match.rounds + 1)
    for y, moves in ((1, match.moves_a), (0, match.moves_b)):
        colours = [MOVE_COLOUR[m] for m in moves]
        ax.bar(rounds, 0.8, bottom=y - 0.4, width=0.9, color=colours)
    for r in match.misperceptions:
        ax.plot([r], [0.5], marker="v", markersize=12, color=PALETTE["black"])
    ax.set_yticks([1, 0], [f"A: {match.name_a}"[:26], f"B: {match.name_b}"[:26]])
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlim(0.4, match.rounds + 0.6)
    ax.set_xlabel("Round")
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set_title(f"Blue = restrain, red = arm, ▼ = restraint misread as arming", loc="left", fontsize=16)
    return fig


@projector_chart
def noise_chart(noise_levels, curves: dict):
    """Share of rounds with mutual restraint against the noise level, one line per pairing."""
    fig, ax = new_figure(margins=(0.1, 0.15, 0.72, 0.88))
    percent = np.asarray(noise_levels) * 100
    for (label, values), colour in zip(curves.items(), (PALETTE["vermillion"], PALETTE["blue"], PALETTE["bluish green"])):
        ax.plot(percent, np.asarray(values) * 100, color=colour, marker="o")
        ax.annotate(label, (percent[-1], values[-1] * 100), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=14, color=colour, annotation_clip=False)
    ax.set(xlabel="Noise: chance that restraint is misread as arming (%)", ylabel="Rounds of mutual restraint (%)",
           ylim=(0, 105), title="Misperception against cooperation")
    return fig


@projector_chart
def richardson_chart(model, x0: float, y0: float, years: float = 15, limit: float = 40):
    """Left: both sides' arms over time. Right: the phase plane with the two 'no change' lines and the path."""
    fig, (time_ax, phase_ax) = plt.subplots(1, 2, figsize=FIGSIZE)
    fig.subplots_adjust(left=0.09, bottom=0.14, right=0.98, top=0.86, wspace=0.28)
    path = model.trajectory(x0, y0, years=years, steps=150)
    shown = path[(path["x"].abs() <= limit * 3) & (path["y"].abs() <= limit * 3)]
    time_ax.plot(shown["t"], shown["x"], color=PALETTE["blue"], label="x (side A)")
    time_ax.plot(shown["t"], shown["y"], color=PALETTE["orange"], label="y (side B)", linestyle="--")
    time_ax.set(xlabel="Years", ylabel="Arms (any unit)", xlim=(0, years), ylim=(-limit * 0.25, limit * 1.5),
                title="Arms over time")
    time_ax.legend(loc="upper left", frameon=False)
    grid = np.linspace(0, limit, 200)
    if model.k:
        phase_ax.plot(grid, (model.a * grid - model.g) / model.k, color=PALETTE["blue"], linewidth=2)
    if model.b:
        phase_ax.plot(grid, (model.l * grid + model.h) / model.b, color=PALETTE["orange"], linewidth=2,
                      linestyle="--")
    phase_ax.plot(shown["x"], shown["y"], color=PALETTE["black"], linewidth=2.5)
    phase_ax.plot([x0], [y0], "o", color=PALETTE["black"], markersize=10)
    eq = model.equilibrium()
    if eq is not None and 0 <= eq[0] <= limit and 0 <= eq[1] <= limit:
        phase_ax.plot([eq[0]], [eq[1]], marker="*", markersize=24,
                      color=PALETTE["bluish green"] if model.is_stable() else PALETTE["vermillion"])
    phase_ax.set(xlim=(0, limit), ylim=(0, limit), xlabel="x (side A)", ylabel="y (side B)",
                 title="Phase plane")
    phase_ax.text(0.02, 0.97, "solid: A stops changing\ndashed: B stops changing\n★ equilibrium",
                  transform=phase_ax.transAxes, va="top", fontsize=12)
    fig.suptitle("Stable" if model.is_stable() else "Unstable: an arms race (or a slide into disarmament)",
                 x=0.02, ha="left", fontsize=18, fontweight="bold",
                 color=PALETTE["bluish green"] if model.is_stable() else PALETTE["vermillion"])
    return fig


@projector_chart
def fit_chart(fits: dict, unit: str = "£ million"):
    """Richardson's test: yearly change in combined spending against its level, a fitted line per series."""
    fig, ax = new_figure(margins=(0.1, 0.14, 0.7, 0.88))
    colours = (PALETTE["blue"], PALETTE["orange"])
    for (label, fit), colour in zip(fits.items(), colours):
        pts = fit.points
        ax.plot(pts["level"], pts["change"], "o", color=colour, markersize=11)
        xs = np.linspace(185, pts["level"].max() + 5, 50)
        ax.plot(xs, fit.slope * xs + fit.intercept, color=colour, linewidth=2.5,
                linestyle="-" if colour == colours[0] else "--")
        place = 0.8 - 0.2 * list(fits).index(label)
        fig.text(0.73, place, f"{'—' if colour == colours[0] else '- -'} {label}\nslope {fit.slope:.2f} per year\n"
                 f"zero change at {fit.zero_change_level:.0f}", color=colour, fontsize=14, va="top")
    first = next(iter(fits.values())).points
    last = len(first) - 1
    for number, row in enumerate(first.itertuples()):
        right_of_point = number < last  # the last label goes under its point, clear of the key beside the axes
        ax.annotate(row.years, (row.level, row.change), xytext=(10, -6) if right_of_point else (0, -16),
                    textcoords="offset points", fontsize=13, family="sans-serif",
                    ha="left" if right_of_point else "center", va="top")
    ax.axhline(0, color=GREY, linewidth=1)
    ax.set(xlabel=f"Combined defence spending, mean of the two years ({unit})",
           ylabel=f"Change over the year ({unit})", title="Richardson's test, 1909-1913")
    return fig
