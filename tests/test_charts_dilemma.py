"""Notebook 02's charts carry labels from the data, and their summaries come from the models."""
from natocourse.data import load_table
from natocourse.charts.dilemma import GameChart, MatchChart, fit_chart, worlds_chart
from natocourse.models.games import Game
from natocourse.models.iterated import TitForTat, match_summary, play
from natocourse.models.richardson import fit_comparison_summary, fit_richardson, load_spending


def texts(fig):
    """The texts a reader sees: the visible ones, on the axes and on the figure (its title too)."""
    return [t.get_text() for t in [*(t for ax in fig.axes for t in ax.texts), *fig.texts] if t.get_visible()]


def test_game_chart_names_the_game_and_stars_only_the_equilibria():
    chart = GameChart()
    chart.png(Game(T=3, R=4, P=2, S=1))
    assert any(t.startswith("Stag Hunt") for t in texts(chart.figure))
    assert texts(chart.figure).count("★") == 2  # both restrain, both arm
    chart.png(Game(T=5, R=3, P=1, S=0))
    assert any(t.startswith("Prisoner's Dilemma") for t in texts(chart.figure))
    assert not any(t.startswith("Stag Hunt") for t in texts(chart.figure))
    assert texts(chart.figure).count("★") == 1  # only both arm


def test_worlds_chart_shows_the_chosen_worlds_logic():
    worlds = load_table("jervis_worlds")
    assert any(t.startswith("Doubly stable") for t in texts(worlds_chart(worlds, "defence_distinguishable")))


def test_match_summary_counts_what_the_chart_shows():
    match = play(TitForTat(), TitForTat(), rounds=40, noise=0.1, seed=1)
    assert "first misreading in round 2" in match_summary(match, 0.1)
    chart = MatchChart(40)
    chart.png(match)
    assert [t.get_text() for t in chart.figure.axes[0].texts] == ["A: tit for tat", "B: tit for tat"]
    assert chart.figure.axes[0].get_xlim()[1] > 40


def test_fit_chart_labels_each_series_with_its_slope():
    fits = {name: fit_richardson(load_spending(load_table(table))) for name, table in
            (("Richardson's figures", "richardson_1909_1913"), ("Correlates of War", "cow_milex_1909_1913"))}
    labels = " ".join(texts(fit_chart(fits)))
    assert "slope 0.73 per year" in labels and "slope 0.83 per year" in labels
    assert fit_comparison_summary(fits).startswith("Richardson's figures: slope 0.73")


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_richardson_chart_redraws_the_model_it_is_given():
    from natocourse.charts.dilemma import RichardsonChart
    from natocourse.models.richardson import RichardsonModel

    chart = RichardsonChart()
    stable = _pixels(chart.png(RichardsonModel(k=0.5, l=0.5, a=0.8, b=0.8, g=2, h=2), 5, 10))
    runaway = _pixels(chart.png(RichardsonModel(k=0.9, l=0.9, a=0.5, b=0.5, g=2, h=2), 5, 10))
    again = _pixels(chart.png(RichardsonModel(k=0.5, l=0.5, a=0.8, b=0.8, g=2, h=2), 5, 10))
    assert stable.shape == (550, 1100, 3)
    assert abs(stable - runaway).mean() > 1  # a different chart
    assert (stable == again).all()  # nothing of the previous model is left behind
