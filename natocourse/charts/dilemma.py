"""Charts of notebook 02 (the security dilemma): Jervis's worlds, 2x2 games, repeated play, Richardson's model and fit.

Each function takes data or a model and returns a matplotlib Figure in the
projector style; none reads a file. Fixed margins (no automatic layout) keep
redraws fast enough for sliders.
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory

from .redraw import PrerenderedFigure
from .style import GREY, PALETTE, new_figure, projector_chart, redrawable_figure
from ..models.games import ARM, MOVES, RESTRAIN

MOVE_COLOUR = {RESTRAIN: PALETTE["blue"], ARM: PALETTE["vermillion"]}


@projector_chart
def worlds_chart(worlds, chosen: str):
    """Jervis's 2x2: offence or defence advantage (columns) by whether postures can be told apart (rows)."""
    fig, ax = new_figure(margins=(0.2, 0.04, 0.62, 0.78))
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
    text = (f"{world['name']}\n\n" + "\n".join(textwrap.wrap(world["logic"], 36))
            + "\n\n" + "\n".join(textwrap.wrap(world["example"], 36)))
    fig.text(0.65, 0.86, text, va="top", ha="left", fontsize=14, linespacing=1.3)
    fig.suptitle("Jervis's four worlds", x=0.02, ha="left", fontsize=20, fontweight="bold")
    return fig


class GameChart:
    """The payoff table of a 2x2 game, pure Nash equilibria outlined and starred, the game named in the title.

    The move labels and the key are drawn once; ``png(game)`` rewrites the payoffs, the equilibria and
    the title, so that the payoff sliders redraw quickly (see ``charts.PrerenderedFigure``).
    """

    def __init__(self, side_a: str = "Side A", side_b: str = "Side B"):
        self.side_b = side_b
        with redrawable_figure((0.22, 0.06, 0.7, 0.8)) as (fig, ax):
            ax.set_xlim(0, 2)
            ax.set_ylim(0, 2)
            ax.axis("off")
            self._cells = {}  # (my move, their move) -> (box, my payoff, their payoff, star)
            for i, mine in enumerate(MOVES):
                for j, theirs in enumerate(MOVES):
                    x, y = j, 1 - i
                    self._cells[mine, theirs] = (
                        ax.add_patch(Rectangle((x + 0.03, y + 0.03), 0.94, 0.94)),
                        ax.text(x + 0.5, y + 0.55, "", ha="center", va="center", fontsize=26,
                                color=MOVE_COLOUR[mine], fontweight="bold"),
                        ax.text(x + 0.5, y + 0.3, "", ha="center", va="center", fontsize=14,
                                color=MOVE_COLOUR[theirs]),
                        ax.text(x + 0.9, y + 0.85, "★", ha="right", va="top", fontsize=22))
            for j, move in enumerate(MOVES):
                ax.text(j + 0.5, 2.04, f"{side_b} {'restrains' if move == RESTRAIN else 'arms'}", ha="center",
                        va="bottom", fontsize=15, color=MOVE_COLOUR[move])
                ax.text(-0.04, 1.5 - j, f"{side_a}\n{'restrains' if move == RESTRAIN else 'arms'}", ha="right",
                        va="center", fontsize=15, color=MOVE_COLOUR[move])
            self._title = fig.suptitle("", x=0.02, ha="left", fontsize=20, fontweight="bold")
            fig.text(0.72, 0.78, "Big number: payoff of\nthe side on the left.\nSmall: the side on top.\n\n"
                     "★ yellow cell: a Nash\nequilibrium (neither side\ngains by changing its\nmove alone).",
                     va="top", ha="left", fontsize=13, linespacing=1.4)
            changing = [artist for cell in self._cells.values() for artist in cell] + [self._title]
            self._picture = PrerenderedFigure(fig, changing)
        self.figure = fig

    def png(self, game) -> bytes:
        """The table of one game, as PNG bytes."""
        equilibria = set(game.pure_nash())
        for (mine, theirs), (box, my_payoff, their_payoff, star) in self._cells.items():
            nash = (mine, theirs) in equilibria
            box.set_facecolor(PALETTE["yellow"] if nash else "white")
            box.set_edgecolor(PALETTE["black"] if nash else GREY)
            box.set_linewidth(4 if nash else 1.5)
            my_payoff.set_text(f"{game.payoff(mine, theirs):g}")
            their_payoff.set_text(f"{self.side_b}: {game.payoff(theirs, mine):g}")
            star.set_visible(nash)
        self._title.set_text(f"{game.name}   ({game.ordering})")
        return self._picture.png()


class MatchChart:
    """Round-by-round moves of both sides (blue restrain, vermillion arm), misperceived rounds marked.

    Built once for a number of rounds; ``png(match)`` recolours the rounds and moves the marks, so that
    the explorer's controls redraw quickly (see ``charts.PrerenderedFigure``).
    """

    def __init__(self, rounds: int = 40):
        self.rounds = rounds
        with redrawable_figure((0.2, 0.2, 0.98, 0.84)) as (fig, ax):
            cells = [[(r - 0.45, row - 0.4), (r + 0.45, row - 0.4), (r + 0.45, row + 0.4), (r - 0.45, row + 0.4)]
                     for row in (1, 0) for r in range(1, rounds + 1)]  # side A's rounds, then side B's
            self._cells = ax.add_collection(PolyCollection(cells, edgecolors="none"))
            self._misread, = ax.plot([], [], linestyle="none", marker="v", markersize=12, color=PALETTE["black"])
            beside_axes = blended_transform_factory(ax.transAxes, ax.transData)
            self._names = [ax.text(-0.01, row, "", transform=beside_axes, ha="right", va="center", fontsize=15)
                           for row in (1, 0)]
            ax.set_yticks([])
            ax.set_ylim(-0.6, 1.6)
            ax.set_xlim(0.4, rounds + 0.6)
            ax.set_xlabel("Round")
            ax.grid(False)
            ax.spines["left"].set_visible(False)
            ax.set_title("Blue = restrain, red = arm, ▼ = restraint misread as arming", loc="left", fontsize=16)
            self._picture = PrerenderedFigure(fig, [self._cells, self._misread, *self._names])
        self.figure = fig

    def png(self, match) -> bytes:
        """The chart of one match (of this chart's number of rounds), as PNG bytes."""
        if match.rounds != self.rounds:
            raise ValueError(f"this chart shows {self.rounds} rounds, the match has {match.rounds}")
        self._cells.set_facecolor([MOVE_COLOUR[move] for move in (*match.moves_a, *match.moves_b)])
        self._misread.set_data(match.misperceptions, [0.5] * len(match.misperceptions))
        for label, side, name in zip(self._names, "AB", (match.name_a, match.name_b)):
            label.set_text(f"{side}: {name}"[:26])
        return self._picture.png()


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


class RichardsonChart:
    """Left: both sides' arms over time. Right: the phase plane with the two 'no change' lines and the path.

    Built once; ``png(model, x0, y0)`` moves only the lines, the star and the verdict, so that a
    slider redraws quickly (see ``charts.PrerenderedFigure``).
    """

    def __init__(self, years: float = 15, limit: float = 40):
        self.years, self.limit = years, limit
        with redrawable_figure((0.09, 0.14, 0.98, 0.86), columns=2, wspace=0.28) as (fig, (time_ax, phase_ax)):
            self._x, = time_ax.plot([], [], color=PALETTE["blue"], label="x (side A)")
            self._y, = time_ax.plot([], [], color=PALETTE["orange"], label="y (side B)", linestyle="--")
            time_ax.set(xlabel="Years", ylabel="Arms (any unit)", xlim=(0, years), ylim=(-limit * 0.25, limit * 1.5),
                        title="Arms over time")
            time_ax.legend(loc="upper left", frameon=False)
            self._a_still, = phase_ax.plot([], [], color=PALETTE["blue"], linewidth=2)
            self._b_still, = phase_ax.plot([], [], color=PALETTE["orange"], linewidth=2, linestyle="--")
            self._path, = phase_ax.plot([], [], color=PALETTE["black"], linewidth=2.5)
            self._start, = phase_ax.plot([], [], "o", color=PALETTE["black"], markersize=10)
            self._star, = phase_ax.plot([], [], marker="*", markersize=24, linestyle="none")
            phase_ax.set(xlim=(0, limit), ylim=(0, limit), xlabel="x (side A)", ylabel="y (side B)",
                         title="Phase plane")
            phase_ax.text(0.02, 0.97, "solid: A stops changing\ndashed: B stops changing\n★ equilibrium",
                          transform=phase_ax.transAxes, va="top", fontsize=12)
            self._verdict = fig.suptitle("", x=0.02, ha="left", fontsize=18, fontweight="bold")
            self._picture = PrerenderedFigure(fig, [self._x, self._y, self._a_still, self._b_still, self._path,
                                                    self._start, self._star, self._verdict])
        self.figure = fig

    def png(self, model, x0: float, y0: float) -> bytes:
        """The chart of one model started from (x0, y0), as PNG bytes."""
        path = model.trajectory(x0, y0, years=self.years, steps=150)
        shown = path[(path["x"].abs() <= self.limit * 3) & (path["y"].abs() <= self.limit * 3)]
        self._x.set_data(shown["t"], shown["x"])
        self._y.set_data(shown["t"], shown["y"])
        grid = np.linspace(0, self.limit, 200)
        no_line = ([], [])  # with no reaction (k = 0) or no fatigue (b = 0) that side's line is not a function of x
        self._a_still.set_data(*((grid, (model.a * grid - model.g) / model.k) if model.k else no_line))
        self._b_still.set_data(*((grid, (model.l * grid + model.h) / model.b) if model.b else no_line))
        self._path.set_data(shown["x"], shown["y"])
        self._start.set_data([x0], [y0])
        stable = model.is_stable()
        colour = PALETTE["bluish green"] if stable else PALETTE["vermillion"]
        eq = model.equilibrium()
        on_map = eq is not None and 0 <= eq[0] <= self.limit and 0 <= eq[1] <= self.limit
        self._star.set_data(*(([eq[0]], [eq[1]]) if on_map else no_line))
        self._star.set_color(colour)
        self._verdict.set_text("Stable" if stable else "Unstable: an arms race (or a slide into disarmament)")
        self._verdict.set_color(colour)
        return self._picture.png()


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
