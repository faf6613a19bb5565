"""Richardson's arms-race model: two sides react to each other's arms, tire of the cost, and carry grievances.

    dx/dt = k*y - a*x + g        dy/dt = l*x - b*y + h

``k``, ``l``: reaction (how strongly each side arms in answer to the other's arms);
``a``, ``b``: fatigue (the burden of one's own arms, which slows arming);
``g``, ``h``: grievance (arming that would happen even if the other had none; negative = goodwill).

The model settles at an equilibrium when fatigue outweighs reaction, ``a*b > k*l``;
otherwise it runs away (Richardson 1960).

>>> model = RichardsonModel(k=1, l=1, a=2, b=2, g=1, h=1)
>>> model.equilibrium()
(1.0, 1.0)
>>> model.is_stable()
True
>>> RichardsonModel(k=2, l=2, a=1, b=1, g=1, h=1).is_stable()
False
>>> print(RichardsonModel(k=2, l=2, a=1, b=1, g=1, h=1).verdict())
Unstable: reaction k·l = 4.00 exceeds fatigue a·b = 1.00. The balance point (x* = -1.0, y* = -1.0) lies below zero, where no real budget can be, so from any real starting level both sides keep arming, faster and faster: an arms race.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import DataError, Problem
from ..errors import number


@dataclass(frozen=True)
class RichardsonModel:
    """The two linear equations with their six constants."""

    k: float
    l: float  # noqa: E741 (Richardson's own letter)
    a: float
    b: float
    g: float
    h: float

    def __post_init__(self):
        for letter in "klabgh":
            number(getattr(self, letter), letter)

    @property
    def matrix(self) -> np.ndarray:
        return np.array([[-self.a, self.k], [self.l, -self.b]], dtype=float)

    def determinant(self) -> float:
        """``a*b - k*l``: positive when fatigue outweighs reaction."""
        return self.a * self.b - self.k * self.l

    def equilibrium(self) -> tuple[float, float] | None:
        """The arms levels (x*, y*) at which neither side changes, or None when the lines are parallel."""
        det = self.determinant()
        if abs(det) < 1e-12:
            return None
        return ((self.b * self.g + self.k * self.h) / det, (self.l * self.g + self.a * self.h) / det)

    def is_stable(self) -> bool:
        """Whether every path settles at the equilibrium: ``a*b > k*l`` (with positive fatigue)."""
        return self.a > 0 and self.b > 0 and self.determinant() > 0

    def rates(self, x, y):
        """dx/dt and dy/dt at the given arms levels (numbers or arrays)."""
        return self.k * y - self.a * x + self.g, self.l * x - self.b * y + self.h

    def trajectory(self, x0: float, y0: float, years: float = 20, steps: int = 200) -> pd.DataFrame:
        """The exact path from (x0, y0): columns t, x, y (the linear equations solved with a matrix exponential)."""
        t = np.linspace(0, years, steps + 1)
        A = self.matrix
        forcing = np.array([self.g, self.h], dtype=float)
        # state z' = A z + f; augment to a 3x3 homogeneous system and use the eigen-decomposition when possible
        augmented = np.zeros((3, 3))
        augmented[:2, :2] = A
        augmented[:2, 2] = forcing
        step = _expm(augmented * (t[1] - t[0]))  # one exact step, applied again and again
        path = np.empty((len(t), 3))
        path[0] = (x0, y0, 1.0)
        for i in range(1, len(t)):
            path[i] = step @ path[i - 1]
        return pd.DataFrame({"t": t, "x": path[:, 0], "y": path[:, 1]})

    def verdict(self) -> str:
        """One sentence: stable or runaway, with the numbers that decide it.

        A balance point below zero is no arms level a country can have; the sentence says what it
        means for real budgets instead of leaving a student with "x* = -20".
        """
        ab, kl = self.a * self.b, self.k * self.l
        eq = self.equilibrium()
        if eq is None:
            return f"Knife-edge: a·b = k·l = {ab:.2f}, so there is no single equilibrium."
        point = f"x* = {eq[0]:.1f}, y* = {eq[1]:.1f}"
        below_zero = max(eq) < 0
        if self.is_stable():
            where = (f"the balance point ({point}) lies below zero, so in practice both disarm" if below_zero
                     else f"both sides settle at {point}" + (" (below zero: that side disarms)" if min(eq) < 0 else ""))
            return f"Stable: fatigue a·b = {ab:.2f} exceeds reaction k·l = {kl:.2f}; {where}."
        if below_zero:
            return (f"Unstable: reaction k·l = {kl:.2f} exceeds fatigue a·b = {ab:.2f}. The balance point ({point}) "
                    "lies below zero, where no real budget can be, so from any real starting level both sides "
                    "keep arming, faster and faster: an arms race.")
        return (f"Unstable: reaction k·l = {kl:.2f} exceeds fatigue a·b = {ab:.2f}; paths run away from {point}: "
                "starting above it, both sides arm without limit (an arms race); below it, both disarm.")


def _expm(matrix: np.ndarray, terms: int = 30) -> np.ndarray:
    """Matrix exponential by scaling and squaring with a Taylor series (small matrices, no SciPy needed)."""
    norm = np.abs(matrix).sum(axis=1).max()
    squarings = max(0, int(np.ceil(np.log2(norm))) + 1) if norm > 0.5 else 0
    scaled = matrix / 2 ** squarings
    result = np.eye(len(matrix))
    term = np.eye(len(matrix))
    for n in range(1, terms):
        term = term @ scaled / n
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


# ---------------------------------------------------------------- fitting the 1909-1913 race

@dataclass(frozen=True)
class Fit:
    """A straight line through (level, yearly change) points, with what it says about stability."""

    slope: float
    intercept: float
    points: pd.DataFrame  # columns: years, level, change
    r_squared: float
    slope_standard_error: float

    @property
    def zero_change_level(self) -> float:
        """The combined level at which spending would stop changing: -intercept / slope."""
        return -self.intercept / self.slope

    def summary(self, unit: str = "£ million") -> str:
        word = "runaway (unstable)" if self.slope > 0 else "self-limiting (stable)"
        return (f"Change per year = {self.slope:.2f} × level {self.intercept:+.0f} "
                f"(zero change at {self.zero_change_level:.0f} {unit}); slope > 0 means {word}; "
                f"R² = {self.r_squared:.3f} from {len(self.points)} points.")


def combined_by_year(spending: pd.DataFrame) -> pd.DataFrame:
    """Total spending of both alliances per year (columns year, total), from one row per country and year."""
    required = {"year", "amount"}
    if not required <= set(spending.columns):
        missing = ", ".join(sorted(required - set(spending.columns)))
        raise DataError([Problem("spending table", f"needs the column(s) {missing}")])
    totals = spending.groupby("year", as_index=False)["amount"].sum().rename(columns={"amount": "total"})
    counts = spending.groupby("year")["amount"].count()
    if counts.nunique() != 1:
        uneven = ", ".join(f"{y}: {n}" for y, n in counts.items())
        raise DataError([Problem("spending table", f"has a different number of countries per year ({uneven})")])
    return totals.sort_values("year").reset_index(drop=True)


def increments(totals: pd.DataFrame) -> pd.DataFrame:
    """Richardson's points: the change from one year to the next against the mean level of the two years."""
    years = totals["year"].to_numpy()
    if (np.diff(years) != 1).any():
        raise DataError([Problem("spending table", "years must follow one another without gaps")])
    total = totals["total"].to_numpy(dtype=float)
    return pd.DataFrame({"years": [f"{a}-{b}" for a, b in zip(years[:-1], years[1:])],
                         "level": (total[:-1] + total[1:]) / 2,
                         "change": np.diff(total)})


def fit_line(points: pd.DataFrame) -> Fit:
    """Least-squares line change = slope * level + intercept, with R² and the slope's standard error."""
    x, y = points["level"].to_numpy(dtype=float), points["change"].to_numpy(dtype=float)
    if len(x) < 3:
        raise DataError([Problem("spending table", f"needs at least four years to fit a line (got {len(x) + 1})")])
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (slope * x + intercept)
    total = ((y - y.mean()) ** 2).sum()
    r_squared = 1 - (residuals ** 2).sum() / total
    se = np.sqrt((residuals ** 2).sum() / (len(x) - 2) / ((x - x.mean()) ** 2).sum())
    return Fit(float(slope), float(intercept), points, float(r_squared), float(se))


def fit_richardson(spending: pd.DataFrame) -> Fit:
    """Fit Richardson's line to a spending table with one row per country and year (column ``amount``)."""
    return fit_line(increments(combined_by_year(spending)))


def leave_one_out(fit: Fit) -> pd.DataFrame:
    """The slope refitted without each point in turn: how much one year carries the result."""
    rows = []
    for i, years in enumerate(fit.points["years"]):
        rest = fit.points.drop(index=fit.points.index[i])
        x, y = rest["level"].to_numpy(), rest["change"].to_numpy()
        slope, intercept = np.polyfit(x, y, 1)
        rows.append({"left out": years, "slope": float(slope), "zero change at": float(-intercept / slope)})
    return pd.DataFrame(rows)


def load_spending(table: pd.DataFrame) -> pd.DataFrame:
    """A spending table in £ million (column ``amount``) from either curated series."""
    if "amount_gbp_million" in table.columns:
        amount = table["amount_gbp_million"].astype(float)
    else:
        amount = table["milex_thousand_gbp"].astype(float) / 1000
    return pd.DataFrame({"year": table["year"].astype(int), "country": table["country"],
                         "alliance": table["alliance"], "amount": amount})


def fit_comparison_summary(fits: dict) -> str:
    """One sentence comparing fits of several series (the chart's text alternative)."""
    parts = [f"{label}: slope {fit.slope:.2f} per year, zero change at {fit.zero_change_level:.0f}"
             for label, fit in fits.items()]
    same = all(fit.slope > 0 for fit in fits.values())
    verdict = ("every series gives a positive slope, so the race was running away"
               if same else "the series disagree about the sign of the slope")
    return "; ".join(parts) + f" (£ million). {verdict.capitalize()}."
