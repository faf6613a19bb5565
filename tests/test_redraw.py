"""Every chart behind a control redraws fast (a pasted picture, only the changing parts drawn anew): the fast
draw must equal a full draw of the same figure, pixel for pixel, whatever state came before."""
import io

import numpy as np
import pytest
from PIL import Image

from natocourse import load_table
from natocourse.charts.dilemma import GameChart, MatchChart, RichardsonChart
from natocourse.charts.enlargement import MembershipChart
from natocourse.charts.map import EnlargementMap
from natocourse.charts.record import RecordOverview
from natocourse.charts.redraw import full_png
from natocourse.models.enlargement import members_per_year
from natocourse.models.games import Game
from natocourse.models.geo import load_outlines
from natocourse.models.iterated import TitForTat, play, strategies
from natocourse.models.record import filter_events
from natocourse.models.richardson import RichardsonModel


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def membership():
    return MembershipChart(members_per_year(load_table("members"))), {"year": 2004}, {"year": 1990}


def game():
    return GameChart(), {"game": Game(T=5, R=3, P=1, S=0)}, {"game": Game(T=3, R=4, P=2, S=1)}


def match():
    return (MatchChart(), {"match": play(TitForTat(), TitForTat(), rounds=40, noise=0.1, seed=1)},
            {"match": play(strategies()["always arm"], TitForTat(), rounds=40, noise=0.0, seed=1)})


def richardson():
    return (RichardsonChart(), {"model": RichardsonModel(k=0.9, l=0.9, a=0.5, b=0.5, g=2, h=2), "x0": 5, "y0": 10},
            {"model": RichardsonModel(k=0.5, l=0.5, a=0.8, b=0.8, g=2, h=2), "x0": 5, "y0": 10})


def europe():
    europe = EnlargementMap(load_table("members"), load_outlines())
    europe.warm_up()  # as a slider does: the fast path pastes the pictures made here
    return (europe, {"year": 2022, "facts": ["Members: 30"]},
            {"year": 1990, "facts": ["Members: 16", "The Soviet Union still exists."]})


def overview():
    events = load_table("events")
    return (RecordOverview(events), {"picked": filter_events(events, practice="sanctions"), "period": (2014, 2015)},
            {"picked": filter_events(events, actor="Ukraine"), "period": (1995, 2010), "title": "Ukraine"})


@pytest.mark.parametrize("make", [membership, game, match, richardson, europe, overview])
def test_the_fast_draw_equals_a_full_draw(make):
    chart, before, state = make()
    first = pixels(chart.png(**before))
    fast = pixels(chart.png(**state))
    full = pixels(full_png(chart.figure))
    assert fast.shape == full.shape
    assert np.abs(fast - full).max() <= 2  # the same picture, to rounding (a pasted picture's alpha)
    assert np.abs(first - fast).max() > 100  # and the two states really look different
