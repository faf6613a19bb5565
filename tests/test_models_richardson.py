"""Richardson's model against analytic results, and his 1909-1913 fit reproduced from the curated data."""
import numpy as np
import pytest

from natocourse.data import DataError, load_table
from natocourse.models.richardson import (RichardsonModel, combined_by_year, fit_comparison_summary, fit_richardson,
                                   leave_one_out, load_spending)


def test_equilibrium_solves_both_equations_and_the_path_reaches_it():
    model = RichardsonModel(k=0.5, l=0.3, a=0.8, b=0.6, g=2, h=1)
    x, y = model.equilibrium()
    assert model.rates(x, y) == pytest.approx((0, 0), abs=1e-12)
    end = model.trajectory(10, 0, years=60).iloc[-1]
    assert (end["x"], end["y"]) == pytest.approx((x, y), rel=1e-6)


def test_trajectory_matches_the_closed_form_solution():
    # k = l, a = b: x + y grows as exp((k - a) t) around its equilibrium; x - y decays as exp(-(k + a) t)
    model = RichardsonModel(k=0.9, l=0.9, a=0.5, b=0.5, g=1, h=1)
    path = model.trajectory(3, 1, years=2, steps=40)
    total_star = (model.g + model.h) / (model.a - model.k)
    expected_total = total_star + (4 - total_star) * np.exp((model.k - model.a) * path["t"])
    expected_gap = 2 * np.exp(-(model.k + model.a) * path["t"])
    assert (path["x"] + path["y"]).to_numpy() == pytest.approx(expected_total.to_numpy(), rel=1e-9)
    assert (path["x"] - path["y"]).to_numpy() == pytest.approx(expected_gap.to_numpy(), rel=1e-9)


@pytest.mark.parametrize("k, l, a, b, stable", [(1, 1, 2, 2, True), (2, 2, 1, 1, False), (1, 4, 2, 2.01, True),
                                                (1, 4, 2, 1.99, False)])
def test_stability_boundary_is_ab_equal_kl(k, l, a, b, stable):
    model = RichardsonModel(k=k, l=l, a=a, b=b, g=1, h=1)
    assert model.is_stable() is stable
    assert max(np.linalg.eigvals(model.matrix).real) < 0 if stable else max(np.linalg.eigvals(model.matrix).real) > 0


def test_richardsons_published_fit_is_reproduced_to_two_significant_figures():
    fit = fit_richardson(load_spending(load_table("richardson_1909_1913")))
    # published (Richardson 1960): change per year = 0.73 (U + V - 194), millions of pounds
    assert f"{fit.slope:.2g}" == "0.73"
    assert f"{fit.zero_change_level:.2g}" == f"{194:.2g}"
    assert round(fit.intercept) == -142  # 0.73 x 194 = 142
    assert fit.r_squared > 0.99 and len(fit.points) == 4


def test_the_correlates_of_war_series_gives_the_same_conclusion():
    richardson = fit_richardson(load_spending(load_table("richardson_1909_1913")))
    cow = fit_richardson(load_spending(load_table("cow_milex_1909_1913")))
    assert round(cow.slope, 2) == 0.83 and round(cow.zero_change_level) == 189
    assert cow.slope > 0 and richardson.slope > 0
    assert "Every series gives a positive slope" in fit_comparison_summary({"R": richardson, "COW": cow})
    assert (leave_one_out(cow)["slope"] > 0).all()


def test_combined_spending_is_the_sum_of_the_four_states():
    totals = combined_by_year(load_spending(load_table("richardson_1909_1913")))
    assert totals["total"].round(1).tolist() == [199.2, 204.8, 214.9, 238.7, 289.0]


def test_a_year_missing_a_country_is_reported_plainly():
    spending = load_spending(load_table("richardson_1909_1913"))
    with pytest.raises(DataError, match="different number of countries per year"):
        combined_by_year(spending.iloc[1:])


@pytest.mark.parametrize("constants, verdict", [
    (dict(k=1, l=1, a=1, b=1, g=1, h=1), "Knife-edge: a·b = k·l = 1.00, so there is no single equilibrium."),
    (dict(k=1, l=1, a=2, b=2, g=1, h=1),
     "Stable: fatigue a·b = 4.00 exceeds reaction k·l = 1.00; both sides settle at x* = 1.0, y* = 1.0."),
    (dict(k=1, l=1, a=2, b=2, g=-1, h=-1),
     "Stable: fatigue a·b = 4.00 exceeds reaction k·l = 1.00; the balance point (x* = -1.0, y* = -1.0) lies below "
     "zero, so in practice both disarm."),
    (dict(k=1, l=1, a=2, b=2, g=-4, h=4),
     "Stable: fatigue a·b = 4.00 exceeds reaction k·l = 1.00; both sides settle at x* = -1.3, y* = 1.3 (below zero: "
     "that side disarms)."),
    (dict(k=2, l=2, a=1, b=1, g=-1, h=-1),
     "Unstable: reaction k·l = 4.00 exceeds fatigue a·b = 1.00; paths run away from x* = 1.0, y* = 1.0: starting "
     "above it, both sides arm without limit (an arms race); below it, both disarm."),
    (dict(k=2, l=2, a=1, b=1, g=1, h=1),
     "Unstable: reaction k·l = 4.00 exceeds fatigue a·b = 1.00. The balance point (x* = -1.0, y* = -1.0) lies below "
     "zero, where no real budget can be, so from any real starting level both sides keep arming, faster and "
     "faster: an arms race."),
], ids=["knife-edge", "stable", "stable below zero", "stable, one side below zero", "runaway",
        "runaway from below zero"])
def test_verdict_under_the_chart_says_stable_or_runaway_with_its_numbers(constants, verdict):
    assert RichardsonModel(**constants).verdict() == verdict
