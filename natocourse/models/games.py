"""Two-sided games of arming and restraint: name the game from its payoffs, find its pure Nash equilibria.

Both sides choose to **restrain** or to **arm**. The payoffs are those of a
symmetric 2x2 game, written as the letters game theorists use:

- ``R`` (reward): both restrain;
- ``T`` (temptation): I arm while the other restrains;
- ``S`` (sucker's payoff): I restrain while the other arms;
- ``P`` (punishment): both arm.

>>> pd = Game(T=5, R=3, P=1, S=0)
>>> pd.name
"Prisoner's Dilemma"
>>> pd.pure_nash()
[('arm', 'arm')]
>>> Game(T=3, R=4, P=2, S=1).pure_nash()
[('restrain', 'restrain'), ('arm', 'arm')]
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import CourseError

RESTRAIN, ARM = "restrain", "arm"
MOVES = (RESTRAIN, ARM)

# Each named game: its defining ordering of the payoffs, and what it means for two states.
GAME_STORIES = {
    "Prisoner's Dilemma": "Arming is each side's best reply whatever the other does, yet both arming (P) is worse "
                          "for both than both restraining (R): the security dilemma in its starkest form.",
    "Stag Hunt": "Mutual restraint is best for both, but a side that expects the other to arm should arm too: "
                 "whether restraint survives depends on trust, so reassurance can work.",
    "Chicken": "Each side wants to arm if the other backs down, but both arming is the worst outcome: "
               "a game of nerve, where each hopes the other swerves.",
    "Harmony": "Restraint is each side's best reply whatever the other does: no dilemma at all.",
    "Deadlock": "Both sides prefer mutual arming to mutual restraint: no dilemma, because neither wants restraint.",
}


class GameError(CourseError):
    """Payoffs that cannot make a game (not numbers)."""


@dataclass(frozen=True)
class Game:
    """A symmetric 2x2 game of arming and restraint, from the row side's point of view."""

    T: float
    R: float
    P: float
    S: float

    def __post_init__(self):
        for letter in "TRPS":
            value = getattr(self, letter)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise GameError(f'The payoff {letter} must be a number, such as 3; you gave "{value}".')

    def payoff(self, mine: str, theirs: str) -> float:
        """My payoff when I play ``mine`` and the other side plays ``theirs``."""
        table = {(RESTRAIN, RESTRAIN): self.R, (RESTRAIN, ARM): self.S,
                 (ARM, RESTRAIN): self.T, (ARM, ARM): self.P}
        try:
            return table[(mine, theirs)]
        except KeyError:
            raise GameError(f'A move is "restrain" or "arm"; got "{mine}" and "{theirs}".') from None

    def best_replies(self, theirs: str) -> list[str]:
        """My best replies to the other side's move (two when I am indifferent)."""
        best = max(self.payoff(m, theirs) for m in MOVES)
        return [m for m in MOVES if self.payoff(m, theirs) == best]

    def pure_nash(self) -> list[tuple[str, str]]:
        """Pairs of moves (row, column) where each side's move is a best reply to the other's."""
        return [(a, b) for a in MOVES for b in MOVES
                if a in self.best_replies(b) and b in self.best_replies(a)]

    @property
    def name(self) -> str:
        """The textbook name of the game, from the order of its payoffs."""
        return name_game(self.T, self.R, self.P, self.S)

    @property
    def ordering(self) -> str:
        """The payoffs from largest to smallest, e.g. 'T > R > P > S'."""
        items = sorted(zip("TRPS", (self.T, self.R, self.P, self.S)), key=lambda kv: -kv[1])
        text = items[0][0]
        for (_, previous), (letter, value) in zip(items, items[1:]):
            text += (" = " if value == previous else " > ") + letter
        return text

    def with_offence_advantage(self, advantage: float) -> "Game":
        """The same game when the offence has an advantage (Jervis 1978).

        An offence advantage makes it pay more to strike a side that has not armed
        (``T`` rises) and costs more to be caught unarmed (``S`` falls); a defence
        advantage (a negative value) does the reverse.
        """
        return replace(self, T=self.T + advantage, S=self.S - advantage)


def name_game(T: float, R: float, P: float, S: float) -> str:
    """Name a symmetric 2x2 game from its payoffs (ties allowed where the textbooks allow them)."""
    if T > R > P > S:
        return "Prisoner's Dilemma"
    if R > T >= P > S:
        return "Stag Hunt"
    if T > R > S > P:
        return "Chicken"
    if R > T and S > P and R >= S:
        return "Harmony"
    if T > P > R > S or P > T > R > S:
        return "Deadlock"
    return "unnamed game"


def dilemma_sentence(game: Game) -> str:
    """A plain sentence on what the game means for two states deciding whether to arm."""
    story = GAME_STORIES.get(game.name, "This ordering has no textbook name; look at the best replies.")
    equilibria = game.pure_nash()
    if equilibria:
        listed = " and ".join(f"both {a}" if a == b else "one arms, one restrains" for a, b in equilibria)
        listed = " and ".join(dict.fromkeys(listed.split(" and ")))
    else:
        listed = "none in pure moves"
    return f"{game.name} ({game.ordering}). {story} Equilibria: {listed}."
