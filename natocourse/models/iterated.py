"""Repeated play with misperception: two strategies meet round after round, and each sees the other's moves through noise.

Each round both sides choose to restrain or to arm, knowing only what they
*saw* the other do before. With ``noise`` > 0, a restraint is sometimes seen
as arming (a military exercise read as preparation for attack); arming is
always seen for what it is. The same seed always gives the same match.

>>> match = play(TitForTat(), AlwaysArm(), rounds=3)
>>> match.moves_a, match.moves_b
(['restrain', 'arm', 'arm'], ['arm', 'arm', 'arm'])
>>> match.scores
(2, 7)
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..errors import CourseError
from .games import ARM, RESTRAIN, Game

# Axelrod's tournament payoffs (T=5, R=3, P=1, S=0), the course's default repeated game.
AXELROD_GAME = Game(T=5, R=3, P=1, S=0)


class StrategyError(CourseError):
    """A strategy a student defined cannot be played."""


class Strategy:
    """A rule for the next move, from what I did and what I saw the other side do."""

    name = "strategy"

    def move(self, mine: list[str], seen: list[str], rng: random.Random) -> str:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget everything from an earlier match (strategies with memory override it)."""

    def __repr__(self) -> str:
        return self.name


class AlwaysArm(Strategy):
    """Arm every round."""

    name = "always arm"

    def move(self, mine, seen, rng):
        return ARM


class AlwaysRestrain(Strategy):
    """Restrain every round."""

    name = "always restrain"

    def move(self, mine, seen, rng):
        return RESTRAIN


class TitForTat(Strategy):
    """Restrain first, then do what the other side was seen doing last round."""

    name = "tit for tat"

    def move(self, mine, seen, rng):
        return seen[-1] if seen else RESTRAIN


class GenerousTitForTat(Strategy):
    """Tit for tat, but answer an arming with restraint with probability ``generosity``."""

    def __init__(self, generosity: float = 1 / 3):
        if not 0 <= generosity <= 1:
            raise StrategyError(f"Generosity is a probability between 0 and 1; you gave {generosity}.")
        self.generosity = generosity
        self.name = f"generous tit for tat ({generosity:.0%} forgiving)"

    def move(self, mine, seen, rng):
        if not seen or seen[-1] == RESTRAIN:
            return RESTRAIN
        return RESTRAIN if rng.random() < self.generosity else ARM


class GrimTrigger(Strategy):
    """Restrain until the other side is seen arming once, then arm for ever."""

    name = "grim trigger"

    def move(self, mine, seen, rng):
        return ARM if ARM in seen else RESTRAIN


class Reactive(Strategy):
    """A strategy a student defines: the first move, and the chance of restraining after each thing seen.

    >>> Reactive(first="restrain", after_restrain=1.0, after_arm=0.0).name
    'own rule (restrain first; restrain 100% after restraint, 0% after arming)'
    """

    def __init__(self, first: str = RESTRAIN, after_restrain: float = 1.0, after_arm: float = 0.0):
        if first not in (RESTRAIN, ARM):
            raise StrategyError(f'The first move is "restrain" or "arm"; you gave "{first}".')
        for label, p in (("after_restrain", after_restrain), ("after_arm", after_arm)):
            if not 0 <= p <= 1:
                raise StrategyError(f"{label} is the chance of restraining, between 0 and 1; you gave {p}.")
        self.first, self.after_restrain, self.after_arm = first, after_restrain, after_arm
        self.name = (f"own rule ({first} first; restrain {after_restrain:.0%} after restraint, "
                     f"{after_arm:.0%} after arming)")

    def move(self, mine, seen, rng):
        if not seen:
            return self.first
        chance = self.after_restrain if seen[-1] == RESTRAIN else self.after_arm
        if chance in (0, 1):  # no random draw: a deterministic rule stays deterministic
            return RESTRAIN if chance == 1 else ARM
        return RESTRAIN if rng.random() < chance else ARM


def strategies() -> dict[str, Strategy]:
    """The course's ready-made strategies, by name (for menus)."""
    return {s.name: s for s in (AlwaysArm(), AlwaysRestrain(), TitForTat(), GenerousTitForTat(), GrimTrigger())}


@dataclass
class Match:
    """What happened: moves, what each side saw, payoffs per round and the totals."""

    name_a: str
    name_b: str
    moves_a: list[str] = field(default_factory=list)
    moves_b: list[str] = field(default_factory=list)
    seen_by_a: list[str] = field(default_factory=list)  # what A saw B do
    seen_by_b: list[str] = field(default_factory=list)  # what B saw A do
    payoffs_a: list[float] = field(default_factory=list)
    payoffs_b: list[float] = field(default_factory=list)

    @property
    def rounds(self) -> int:
        return len(self.moves_a)

    @property
    def scores(self) -> tuple[float, float]:
        return sum(self.payoffs_a), sum(self.payoffs_b)

    @property
    def misperceptions(self) -> list[int]:
        """Rounds (counted from 1) in which either side saw arming where there was restraint."""
        return [i + 1 for i in range(self.rounds)
                if self.seen_by_a[i] != self.moves_b[i] or self.seen_by_b[i] != self.moves_a[i]]

    def share(self, a: str, b: str) -> float:
        """Share of rounds in which A played ``a`` and B played ``b``."""
        hits = sum(1 for x, y in zip(self.moves_a, self.moves_b) if (x, y) == (a, b))
        return hits / self.rounds if self.rounds else 0.0

    def longest_spiral(self) -> int:
        """The longest run of consecutive rounds in which both sides armed."""
        best = run = 0
        for x, y in zip(self.moves_a, self.moves_b):
            run = run + 1 if x == y == ARM else 0
            best = max(best, run)
        return best


def play(a: Strategy, b: Strategy, rounds: int = 50, noise: float = 0.0, seed: int = 1,
         game: Game = AXELROD_GAME) -> Match:
    """Play ``rounds`` rounds; with probability ``noise`` each side sees the other's restraint as arming."""
    if not 0 <= noise <= 1:
        raise StrategyError(f"Noise is a probability between 0 and 1; you gave {noise}.")
    if rounds < 1:
        raise StrategyError(f"A match needs at least one round; you asked for {rounds}.")
    # separate random streams: noise, and each side's own choices, so one never shifts the others
    noise_rng, rng_a, rng_b = (random.Random(f"{seed}-{part}") for part in ("noise", "a", "b"))
    a.reset()
    b.reset()
    match = Match(a.name, b.name)
    for _ in range(rounds):
        move_a = a.move(match.moves_a, match.seen_by_a, rng_a)
        move_b = b.move(match.moves_b, match.seen_by_b, rng_b)
        match.moves_a.append(move_a)
        match.moves_b.append(move_b)
        draw_a, draw_b = noise_rng.random(), noise_rng.random()  # two draws every round, used or not
        match.seen_by_a.append(ARM if move_b == ARM or draw_a < noise else RESTRAIN)
        match.seen_by_b.append(ARM if move_a == ARM or draw_b < noise else RESTRAIN)
        match.payoffs_a.append(game.payoff(move_a, move_b))
        match.payoffs_b.append(game.payoff(move_b, move_a))
    return match


def restraint_by_noise(a: Strategy, b: Strategy, noise_levels, rounds: int = 100, seeds=range(20),
                       game: Game = AXELROD_GAME) -> list[float]:
    """Average share of rounds with mutual restraint at each noise level (over several seeds)."""
    return [sum(play(a, b, rounds, noise, seed, game).share(RESTRAIN, RESTRAIN) for seed in seeds) / len(seeds)
            for noise in noise_levels]


def match_summary(match: Match, noise: float) -> str:
    """One sentence on what happened in a match (the chart's text alternative)."""
    first = match.misperceptions[0] if match.misperceptions else None
    misread = f"first misreading in round {first}" if first else "no misreading"
    a, b = match.scores
    return (f"{match.name_a} against {match.name_b}, {noise:.0%} noise, {match.rounds} rounds: both restrained in "
            f"{match.share(RESTRAIN, RESTRAIN):.0%} of rounds, both armed in {match.share(ARM, ARM):.0%}; "
            f"longest run of mutual arming {match.longest_spiral()} rounds; {misread}; scores {a:g} to {b:g}.")
