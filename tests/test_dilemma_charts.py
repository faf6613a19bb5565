"""Notebook 02's charts carry labels from the data, and their summaries come from the models."""
from natocourse.data import load_table
from natocourse.dilemma_charts import fit_chart, game_chart, match_chart, worlds_chart
from natocourse.games import Game
from natocourse.iterated import TitForTat, match_summary, play
from natocourse.richardson import fit_comparison_summary, fit_richardson, load_spending


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_game_chart_names_the_game_and_stars_only_the_equilibria():
    fig = game_chart(Game(T=3, R=4, P=2, S=1))
    assert fig._suptitle.get_text().startswith("Stag Hunt")
    assert texts(fig).count("★") == 2


def test_worlds_chart_shows_the_chosen_worlds_logic():
    worlds = load_table("jervis_worlds")
    assert any(t.startswith("Doubly stable") for t in texts(worlds_chart(worlds, "defence_distinguishable")))


def test_match_summary_counts_what_the_chart_shows():
    match = play(TitForTat(), TitForTat(), rounds=40, noise=0.1, seed=1)
    assert "first misreading in round 2" in match_summary(match, 0.1)
    assert match_chart(match).axes[0].get_xlim()[1] > 40


def test_fit_chart_labels_each_series_with_its_slope():
    fits = {name: fit_richardson(load_spending(load_table(table))) for name, table in
            (("Richardson's figures", "richardson_1909_1913"), ("Correlates of War", "cow_milex_1909_1913"))}
    labels = " ".join(texts(fit_chart(fits)))
    assert "slope 0.73 per year" in labels and "slope 0.83 per year" in labels
    assert fit_comparison_summary(fits).startswith("Richardson's figures: slope 0.73")
