"""Notebook 02's explorers: each gives the controls the notebook's text names, starting where the cell asks,
and a moved control redraws the chart with a new summary."""
import ipywidgets as widgets
import pytest

from natocourse.widgets import dilemma as dilemma_widgets
from natocourse.data import load_table
from natocourse.models.games import Game
from natocourse.widgets.base import Interactive


def controls(box) -> list:
    """Every control of an explorer, in reading order (rows of controls unpacked), without its output."""
    found = []
    for child in box.children:
        if isinstance(child, widgets.HBox):
            found += controls(child)
        elif not isinstance(child, widgets.Output):
            found.append(child)
    return found


@pytest.fixture
def summaries(monkeypatch):
    """The summary under each chart an explorer draws (the pictures themselves are not kept)."""
    shown = []
    monkeypatch.setattr(dilemma_widgets, "show_png", lambda png, summary: shown.append(summary))
    return shown


def test_worlds_explorer_has_two_toggles_set_to_the_chosen_world(summaries):
    explorer = dilemma_widgets.worlds_explorer(load_table("jervis_worlds"), "defence_distinguishable")
    advantage, apart = controls(explorer)
    assert isinstance(explorer, Interactive) and isinstance(explorer.children[-1], widgets.Output)
    assert (advantage.value, apart.value) == ("defence", "yes")
    advantage.value = "offence"
    assert "offence at an advantage, postures distinguishable" in summaries[-1]


def test_game_explorer_has_the_four_payoff_sliders(summaries):
    explorer = dilemma_widgets.game_explorer(T=5, R=3, P=1, S=0)
    sliders = controls(explorer)
    assert [s.description.split()[0] for s in sliders] == ["T", "R", "P", "S"]
    assert [s.value for s in sliders] == [5, 3, 1, 0]
    assert summaries[-1].startswith("Prisoner's Dilemma")
    sliders[1].value = 6  # a reward above the temptation: a Stag Hunt
    assert summaries[-1].startswith("Stag Hunt")


def test_offence_explorer_has_one_slider_from_defence_to_offence(summaries):
    explorer = dilemma_widgets.offence_explorer(Game(T=3, R=4, P=2, S=1))
    [slider] = controls(explorer)
    assert (slider.min, slider.value, slider.max) == (-2, 0, 2)
    slider.value = 1.5
    assert summaries[-1].startswith("Offence advantage +1.5 (T = 4.5, S = -0.5): ")


def test_match_explorer_has_both_sides_noise_a_seed_and_a_students_own_rule(summaries):
    explorer = dilemma_widgets.match_explorer("tit for tat", "always arm", noise=0.1)
    side_a, side_b, noise, seed, after_restrain, after_arm, first = controls(explorer)
    assert (side_a.value, side_b.value, noise.value) == ("tit for tat", "always arm", 0.1)
    assert dilemma_widgets.OWN_RULE in side_a.options and side_a.options == side_b.options
    assert (first.value, after_restrain.value, after_arm.value) == ("restrain", 1.0, 0.0)
    assert isinstance(seed, widgets.IntSlider)
    side_b.value = dilemma_widgets.OWN_RULE
    assert summaries[-1].startswith("tit for tat against own rule (restrain first; restrain 100% after restraint")


def test_richardson_explorer_has_six_sliders_for_the_constants(summaries):
    explorer = dilemma_widgets.richardson_explorer(k=0.5, l=0.5, a=0.8, b=0.8, g=2, h=2)
    sliders = controls(explorer)
    assert [s.description[0] for s in sliders] == ["k", "l", "a", "b", "g", "h"]
    assert summaries[-1].startswith("Stable")
    sliders[0].value = sliders[1].value = 1.5  # reaction now outweighs fatigue
    assert summaries[-1].startswith("Unstable")


def test_an_explorer_without_a_kernel_reads_as_a_hint():
    assert repr(dilemma_widgets.game_explorer()) == ("[Interactive] Four payoff sliders (T, R, P, S) that redraw the "
                                                     "game table. Run the notebook to use it.")
