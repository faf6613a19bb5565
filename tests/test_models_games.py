"""2x2 games: textbook names from payoff orders, and the pure Nash equilibria every textbook lists."""
import pytest

from natocourse.models.games import ARM, RESTRAIN, Game, GameError, dilemma_sentence, name_game

BOTH_ARM, BOTH_RESTRAIN = (ARM, ARM), (RESTRAIN, RESTRAIN)


@pytest.mark.parametrize("payoffs, name, equilibria", [
    ((5, 3, 1, 0), "Prisoner's Dilemma", [BOTH_ARM]),
    ((3, 4, 2, 1), "Stag Hunt", [BOTH_RESTRAIN, BOTH_ARM]),
    ((4, 3, 1, 2), "Chicken", [(RESTRAIN, ARM), (ARM, RESTRAIN)]),
    ((2, 4, 1, 3), "Harmony", [BOTH_RESTRAIN]),
    ((3, 1, 2, 0), "Deadlock", [BOTH_ARM]),
])
def test_textbook_games_are_named_and_their_equilibria_found(payoffs, name, equilibria):
    game = Game(*payoffs)
    assert game.name == name
    assert game.pure_nash() == equilibria


def test_prisoners_dilemma_equilibrium_is_worse_for_both_than_restraint():
    game = Game(T=5, R=3, P=1, S=0)
    assert game.payoff(ARM, ARM) < game.payoff(RESTRAIN, RESTRAIN)
    assert game.best_replies(RESTRAIN) == [ARM] and game.best_replies(ARM) == [ARM]
    assert "Prisoner's Dilemma (T > R > P > S)" in dilemma_sentence(game)


def test_offence_advantage_turns_a_stag_hunt_into_a_prisoners_dilemma():
    stag = Game(T=3, R=4, P=2, S=1)
    assert stag.with_offence_advantage(2).name == "Prisoner's Dilemma"
    assert stag.with_offence_advantage(-1.5).name == "Harmony"


def test_ties_are_shown_in_the_ordering_and_indifference_gives_two_best_replies():
    game = Game(T=3, R=4, P=3, S=1)
    assert game.ordering == "R > T = P > S"
    assert name_game(3, 4, 3, 1) == "Stag Hunt"
    assert Game(T=2, R=2, P=1, S=0).best_replies(RESTRAIN) == [RESTRAIN, ARM]


def test_a_payoff_that_is_not_a_number_gets_a_plain_message():
    with pytest.raises(GameError, match='payoff T must be a number, such as 3; you gave "five"'):
        Game(T="five", R=3, P=1, S=0)
