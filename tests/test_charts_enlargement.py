"""Charts and tables: the labels on the data come from the data, and every chart carries its text alternative."""
import pandas as pd
import pytest

from natocourse.charts.enlargement import MembershipChart, closeness_chart, enlargement_timeline
from natocourse.charts.style import show_figure
from natocourse.claims import claims_html, perspectives, pick_claims
from natocourse.data import DataError, load_table
from natocourse.models.enlargement import enlargement_per_year


@pytest.fixture(scope="module")
def per_year():
    return enlargement_per_year(load_table("members"), last_year=2024)


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_closeness_chart_labels_each_change_with_its_value(per_year):
    labels = texts(closeness_chart(per_year))
    assert "2023: 2,627" in labels  # Finland's accession, computed from the rows
    assert "2004: Vilnius 790" in labels


def test_timeline_numbers_every_turning_point_and_lists_it(per_year):
    points = pd.DataFrame({"date": pd.to_datetime(["2008-04-03", "1997-05-27"]),
                           "label": ["Bucharest summit", "Founding Act"]})
    labels = texts(enlargement_timeline(per_year, points))
    assert {"1", "2"} <= set(labels)
    listing = next(t for t in labels if "Bucharest" in t)
    assert listing.index("Founding Act") < listing.index("Bucharest")  # numbered in date order


def test_show_figure_gives_alt_text_and_prints_the_summary(per_year, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr("natocourse.charts.style.display", lambda data, raw, metadata: shown.append((data, metadata)))
    show_figure(closeness_chart(per_year), "A summary sentence.")
    data, metadata = shown[0]
    assert metadata["image/png"]["alt"] == "A summary sentence."
    assert data["text/plain"] == "[Chart] A summary sentence."
    assert capsys.readouterr().out.strip() == "A summary sentence."


def test_claims_are_always_shown_with_who_makes_them():
    claims, sources = load_table("claims"), load_table("sources")
    picked = pick_claims(claims, ids=["hill_stent_imperial_aims", "essay_bucharest_2008_red_line"])
    assert picked["claim_id"].tolist() == ["hill_stent_imperial_aims", "essay_bucharest_2008_red_line"]
    table = claims_html(picked, sources)
    assert "Fiona Hill &amp; Angela Stent" in table and "Russian aims critique" in table
    assert "“The 2008 Bucharest Summit" in table  # the seed's words, quoted


def test_claims_menu_filters_by_perspective():
    claims = load_table("claims")
    russian = pick_claims(claims, theme="enlargement", perspective="Russian government")
    assert len(russian) > 0 and set(russian["perspective"]) == {"Russian government"}
    assert "Russian government" in perspectives(claims, "enlargement")


def test_unknown_claim_id_is_named():
    with pytest.raises(DataError, match="no_such_claim"):
        pick_claims(load_table("claims"), ids=["no_such_claim"])


def test_membership_chart_marks_the_chosen_year_with_its_count(per_year):
    chart = MembershipChart(per_year)
    first = chart.png(1990)
    assert "1990: 16 members" in texts(chart.figure)
    assert "2004: +7" in texts(chart.figure)  # the wave labels, from the rows
    second = chart.png(2004)
    assert "2004: 26 members" in texts(chart.figure) and "1990: 16 members" not in texts(chart.figure)
    assert first != second and first == chart.png(1990)  # redrawn in place, nothing left behind
