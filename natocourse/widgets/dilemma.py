"""Controls of notebook 02 wired to its charts; nothing here computes.

Each ``show_*`` function draws one static chart with its summary (the form
GitHub shows); each ``*_explorer`` adds sliders that redraw it.
"""
from __future__ import annotations

import functools

import ipywidgets as widgets

from ..charts.style import figure_png, show_figure, show_png
from ..charts.dilemma import GameChart, MatchChart, RichardsonChart, fit_chart, noise_chart, worlds_chart
from ..errors import InputError, choose, number
from ..models.games import Game, dilemma_sentence
from ..models.iterated import GenerousTitForTat, Reactive, TitForTat, match_summary, play, restraint_by_noise, strategies
from ..models.richardson import RichardsonModel, fit_comparison_summary
from .base import Interactive

_LAYOUT = widgets.Layout(width="45%")
_STYLE = {"description_width": "initial"}


def _slider(description, value, low, high, step=0.1):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, layout=_LAYOUT, style=_STYLE)


# ---------------------------------------------------------------- Jervis's worlds

def show_world(worlds, world_id: str, drawn: dict | None = None) -> None:
    """Jervis's 2x2 with one world picked, and its one-line summary.

    ``drawn`` keeps each world's picture once made (the explorer passes one: there are only four worlds).
    """
    world = worlds.set_index("world_id").loc[choose(world_id, worlds["world_id"], "world of Jervis's")]
    summary = (f"Jervis's world with the {world['advantage']} at an advantage, postures "
               f"{'distinguishable' if world['distinguishable'] == 'yes' else 'indistinguishable'}: "
               f"{world['name']}.")
    drawn = {} if drawn is None else drawn
    if world_id not in drawn:
        drawn[world_id] = figure_png(worlds_chart(worlds, world_id))
    show_png(drawn[world_id], summary)


def worlds_explorer(worlds, world_id: str) -> Interactive:
    """Two toggles (advantage, distinguishability) that pick one of the four worlds."""
    advantage = widgets.ToggleButtons(options=["offence", "defence"], description="Advantage:", style=_STYLE)
    apart = widgets.ToggleButtons(options=[("cannot be told apart", "no"), ("can be told apart", "yes")],
                                  description="Postures:", style=_STYLE)
    start = worlds.set_index("world_id").loc[world_id]
    advantage.value, apart.value = start["advantage"], start["distinguishable"]
    ids = {(w.advantage, w.distinguishable): w.world_id for w in worlds.itertuples()}
    drawn = {}
    chart = widgets.interactive_output(lambda advantage, apart: show_world(worlds, ids[(advantage, apart)], drawn),
                                       {"advantage": advantage, "apart": apart})
    return Interactive([advantage, apart, chart], "Two toggles that pick one of Jervis's four worlds.")


# ---------------------------------------------------------------- 2x2 games

def show_game(T: float, R: float, P: float, S: float, chart=None) -> None:
    """The payoff table of one game, its name and equilibria, and what it means (``chart``: a GameChart to redraw)."""
    game = Game(T=T, R=R, P=P, S=S)
    show_png((chart or GameChart()).png(game), dilemma_sentence(game))


def game_explorer(T=5.0, R=3.0, P=1.0, S=0.0) -> Interactive:
    """Four payoff sliders above the game table."""
    sliders = {name: _slider(f"{name} ({label})", value, 0, 6, 0.5) for name, label, value in (
        ("T", "temptation: I arm, they restrain", T), ("R", "reward: both restrain", R),
        ("P", "punishment: both arm", P), ("S", "sucker: I restrain, they arm", S))}
    chart = widgets.interactive_output(functools.partial(show_game, chart=GameChart()), sliders)
    return Interactive([widgets.HBox([sliders["T"], sliders["R"]]), widgets.HBox([sliders["P"], sliders["S"]]),
                        chart], "Four payoff sliders (T, R, P, S) that redraw the game table.")


def show_offence_game(base: Game, advantage: float, chart=None) -> None:
    """The game after an offence (or defence) advantage shifts T and S (``chart``: a GameChart to redraw)."""
    game = base.with_offence_advantage(advantage)
    lead = f"Offence advantage {advantage:+.1f} (T = {game.T:g}, S = {game.S:g}): "
    show_png((chart or GameChart()).png(game), lead + dilemma_sentence(game))


def offence_explorer(base: Game, advantage: float = 0.0) -> Interactive:
    """One slider: how much the offence (positive) or the defence (negative) has the advantage."""
    slider = _slider("Offence advantage (negative = defence advantage)", advantage, -2, 2, 0.5)
    slider.layout = widgets.Layout(width="90%")
    drawing = GameChart()
    chart = widgets.interactive_output(lambda advantage: show_offence_game(base, advantage, drawing),
                                       {"advantage": slider})
    return Interactive([slider, chart], "A slider for the offence-defence balance that redraws the game.")


# ---------------------------------------------------------------- repeated play

OWN_RULE = "your own rule"


def _strategy(name: str, first: str, after_restrain: float, after_arm: float):
    if name == OWN_RULE:
        return Reactive(first, after_restrain, after_arm)
    return strategies()[choose(name, [*strategies(), OWN_RULE], "strategy")]


def show_match(name_a: str, name_b: str, noise: float, seed: int = 1, rounds: int = 40,
               first: str = "restrain", after_restrain: float = 1.0, after_arm: float = 0.0, chart=None) -> None:
    """One repeated match between two strategies, drawn round by round, with its summary.

    ``chart`` is a ``MatchChart`` of ``rounds`` rounds to redraw (the explorer keeps one); by default a new one.
    """
    a = _strategy(name_a, first, after_restrain, after_arm)
    b = _strategy(name_b, first, after_restrain, after_arm)
    match = play(a, b, rounds=rounds, noise=noise, seed=seed)
    show_png((chart or MatchChart(rounds)).png(match), match_summary(match, noise))


def match_explorer(name_a: str = "tit for tat", name_b: str = "tit for tat", noise: float = 0.1) -> Interactive:
    """Menus for both strategies, a noise slider, a seed, and the controls of a student's own rule."""
    names = [*strategies(), OWN_RULE]
    side_a = widgets.Dropdown(options=names, value=name_a, description="Side A:", style=_STYLE)
    side_b = widgets.Dropdown(options=names, value=name_b, description="Side B:", style=_STYLE)
    noise_slider = _slider("Noise (restraint misread as arming)", noise, 0, 0.5, 0.05)
    seed = widgets.IntSlider(value=1, min=1, max=20, description="Match no.", continuous_update=False, style=_STYLE)
    first = widgets.ToggleButtons(options=["restrain", "arm"], description="Own rule, first move:", style=_STYLE)
    after_restrain = _slider("Own rule: chance to restrain after seeing restraint", 1.0, 0, 1, 0.1)
    after_arm = _slider("Own rule: chance to restrain after seeing arming", 0.0, 0, 1, 0.1)
    controls = {"name_a": side_a, "name_b": side_b, "noise": noise_slider, "seed": seed, "first": first,
                "after_restrain": after_restrain, "after_arm": after_arm}
    drawing = MatchChart()  # built once: each change recolours the rounds
    chart = widgets.interactive_output(functools.partial(show_match, chart=drawing), controls)
    return Interactive([widgets.HBox([side_a, side_b]), widgets.HBox([noise_slider, seed]),
                        widgets.HBox([after_restrain, after_arm]), first, chart],
                       "Menus for two strategies and a noise slider that replay the match.")


def show_noise_effect(noise_levels=(0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)) -> None:
    """How misperception erodes mutual restraint, for tit for tat with and without forgiveness."""
    if len(noise_levels) < 2:
        raise InputError(f"Give at least two noise levels to draw a curve, e.g. (0, 0.1, 0.2); you gave {noise_levels}.")
    for level in noise_levels:
        number(level, "Each noise level", 0, 1)
    curves = {"tit for tat vs itself": restraint_by_noise(TitForTat(), TitForTat(), noise_levels),
              "generous tit for tat vs itself": restraint_by_noise(GenerousTitForTat(), GenerousTitForTat(),
                                                                   noise_levels)}
    tft, gtft = (curves[k] for k in curves)
    i = list(noise_levels).index(0.1) if 0.1 in noise_levels else 1
    summary = (f"At {noise_levels[i]:.0%} noise, two tit-for-tat players restrain together in {tft[i]:.0%} of "
               f"rounds and two generous ones in {gtft[i]:.0%} (100 rounds, average of 20 random matches).")
    show_figure(noise_chart(noise_levels, curves), summary)


# ---------------------------------------------------------------- Richardson

def show_richardson(k=0.5, l=0.5, a=0.8, b=0.8, g=2.0, h=2.0, x0=5.0, y0=10.0, chart=None) -> None:
    """Trajectories and phase plane of one Richardson model, with the stability verdict.

    ``chart`` is a ``RichardsonChart`` to redraw (the explorer keeps one); by default a new one.
    """
    model = RichardsonModel(k=k, l=l, a=a, b=b, g=g, h=h)
    show_png((chart or RichardsonChart()).png(model, x0, y0), model.verdict())


def richardson_explorer(k=0.5, l=0.5, a=0.8, b=0.8, g=2.0, h=2.0) -> Interactive:
    """Six sliders: reaction (k, l), fatigue (a, b) and grievance (g, h)."""
    sliders = {"k": _slider("k: A reacts to B", k, 0, 2), "l": _slider("l: B reacts to A", l, 0, 2),
               "a": _slider("a: A's fatigue", a, 0, 2), "b": _slider("b: B's fatigue", b, 0, 2),
               "g": _slider("g: A's grievance", g, -5, 5, 0.5), "h": _slider("h: B's grievance", h, -5, 5, 0.5)}
    drawing = RichardsonChart()  # built once: each slider move redraws only what changed
    chart = widgets.interactive_output(functools.partial(show_richardson, chart=drawing), sliders)
    return Interactive([widgets.HBox([sliders["k"], sliders["l"]]), widgets.HBox([sliders["a"], sliders["b"]]),
                        widgets.HBox([sliders["g"], sliders["h"]]), chart],
                       "Six sliders for Richardson's constants that redraw both panels.")


def show_fits(fits: dict) -> None:
    """Richardson's fit for each spending series, with the comparison summary."""
    show_figure(fit_chart(fits), fit_comparison_summary(fits))
