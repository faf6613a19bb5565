"""Repeated play: deterministic for a seed, noise turns tit for tat into a spiral, and scores agree with Axelrod."""
import itertools

import pytest

from natocourse.models.games import ARM, RESTRAIN
from natocourse.models.iterated import (AlwaysArm, AlwaysRestrain, GenerousTitForTat, GrimTrigger, Reactive,
                                 StrategyError, TitForTat, match_summary, play, restraint_by_noise)


def test_tit_for_tat_against_always_arm_loses_only_the_first_round():
    match = play(TitForTat(), AlwaysArm(), rounds=10)
    assert match.moves_a == [RESTRAIN] + [ARM] * 9
    assert match.scores == (9, 14)  # S + 9 P against T + 9 P


def test_without_noise_tit_for_tat_restrains_with_itself_for_ever():
    match = play(TitForTat(), TitForTat(), rounds=50, noise=0)
    assert match.share(RESTRAIN, RESTRAIN) == 1 and match.misperceptions == []


def test_the_same_seed_gives_the_same_match_and_another_seed_may_not():
    one = play(GenerousTitForTat(), TitForTat(), rounds=60, noise=0.2, seed=7)
    two = play(GenerousTitForTat(), TitForTat(), rounds=60, noise=0.2, seed=7)
    assert one.moves_a == two.moves_a and one.seen_by_b == two.seen_by_b
    others = [play(GenerousTitForTat(), TitForTat(), rounds=60, noise=0.2, seed=s).moves_a for s in range(8, 12)]
    assert any(moves != one.moves_a for moves in others)


def test_noise_turns_tit_for_tat_into_a_spiral_and_forgiveness_limits_it():
    plain, generous = (restraint_by_noise(s, s, [0.0, 0.1]) for s in (TitForTat(), GenerousTitForTat()))
    assert plain[0] == generous[0] == 1.0
    assert plain[1] < 0.5 < generous[1]  # measured: about 0.2 against about 0.7
    assert play(TitForTat(), TitForTat(), rounds=40, noise=0.1, seed=1).longest_spiral() > 20


def test_grim_trigger_never_returns_to_restraint():
    match = play(GrimTrigger(), TitForTat(), rounds=30, noise=0.1, seed=3)
    first = match.moves_a.index(ARM)
    assert set(match.moves_a[first:]) == {ARM}


def test_a_students_rule_with_certain_choices_is_tit_for_tat():
    for seed in range(5):
        own = play(Reactive("restrain", 1.0, 0.0), AlwaysArm(), rounds=20, noise=0.3, seed=seed)
        tft = play(TitForTat(), AlwaysArm(), rounds=20, noise=0.3, seed=seed)
        assert own.moves_a == tft.moves_a


def test_bad_settings_get_plain_messages():
    with pytest.raises(StrategyError, match="Noise is a probability between 0 and 1; you gave 1.5"):
        play(TitForTat(), TitForTat(), noise=1.5)
    with pytest.raises(StrategyError, match='first move is "restrain" or "arm"'):
        Reactive(first="attack")


# ---------------------------------------------------------------- cross-check with the Axelrod library

@pytest.fixture(scope="module")
def axl():
    """The Axelrod library, imported when its cross-check runs, not when tests are collected: its import takes
    seconds (it reads the source of each of its strategies), paid by every pytest-xdist worker that collects."""
    return pytest.importorskip("axelrod", reason="the Axelrod library is not installed "
                               "(pip install -r requirements-test.txt)")

PAIRS = {"always arm": (AlwaysArm, "Defector"), "always restrain": (AlwaysRestrain, "Cooperator"),
         "tit for tat": (TitForTat, "TitForTat"), "grim trigger": (GrimTrigger, "Grudger")}


@pytest.mark.parametrize("first, second", list(itertools.combinations_with_replacement(PAIRS, 2)))
def test_deterministic_strategies_score_as_in_the_axelrod_library(axl, first, second):
    ours = play(PAIRS[first][0](), PAIRS[second][0](), rounds=30)
    theirs = axl.Match((getattr(axl, PAIRS[first][1])(), getattr(axl, PAIRS[second][1])()), turns=30,
                       game=axl.Game(r=3, s=0, t=5, p=1))
    theirs.play()
    assert ours.scores == tuple(theirs.final_score())
    translate = {RESTRAIN: axl.Action.C, ARM: axl.Action.D}
    assert [(translate[a], translate[b]) for a, b in zip(ours.moves_a, ours.moves_b)] == theirs.result


def test_match_summary_tells_the_match_in_one_sentence():
    match = play(TitForTat(), AlwaysArm(), rounds=3)
    assert match_summary(match, 0) == (
        "tit for tat against always arm, 0% noise, 3 rounds: both restrained in 0% of rounds, both armed in 67%; "
        "longest run of mutual arming 2 rounds; no misreading; scores 2 to 7.")
