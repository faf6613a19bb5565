"""Derived enlargement series: computed from the member rows, checked by hand-made cases."""
import pandas as pd
import pytest

from natocourse.data import load_table
from natocourse.models.enlargement import (capitals_on, closeness_summary, enlargement_per_year, enlargement_summary,
                                    members_per_year, membership_summary, timeline_summary, turning_points,
                                    year_facts)
from natocourse.models.geo import MOSCOW, great_circle_km


def member(iso3, joined, lat, lon, russia_km=0.0, ussr_km=0.0):
    return {"iso3": iso3, "country": iso3.title(), "joined": pd.Timestamp(joined), "capital": f"{iso3} city",
            "capital_lat": lat, "capital_lon": lon,
            "borders_russia_today": russia_km > 0, "russia_border_km": russia_km,
            "bordered_ussr_as_member": ussr_km > 0, "ussr_border_km": ussr_km}


@pytest.fixture
def toy_members():
    """Three members: a founder on the Soviet border only, a 1990s joiner on Russia's, a far one."""
    return pd.DataFrame([member("AAA", "1949-08-24", 40.0, 30.0, ussr_km=500),   # like Türkiye
                         member("BBB", "1949-08-24", 52.0, 0.0),
                         member("CCC", "1999-03-12", 55.0, 25.0, russia_km=200)])


def test_members_are_counted_on_31_december(toy_members):
    per_year = members_per_year(toy_members, last_year=2000)
    assert per_year.set_index("year").loc[[1949, 1998, 1999], "members"].tolist() == [2, 2, 3]


def test_border_switches_from_ussr_to_russia_after_december_1991(toy_members):
    per_year = enlargement_per_year(toy_members, last_year=2000).set_index("year")
    assert per_year.loc[1990, ["neighbour", "border_km"]].tolist() == ["the USSR", 500.0]
    assert per_year.loc[1991, ["neighbour", "border_km"]].tolist() == ["Russia", 0.0]
    assert per_year.loc[1999, ["border_km", "bordering"]].tolist() == [200.0, "Ccc"]


def test_nearest_capital_is_the_closest_member_capital_that_year(toy_members):
    per_year = enlargement_per_year(toy_members, last_year=2000).set_index("year")
    to_a = great_circle_km(MOSCOW["lat"], MOSCOW["lon"], 40.0, 30.0)
    to_c = great_circle_km(MOSCOW["lat"], MOSCOW["lon"], 55.0, 25.0)
    assert to_c < to_a
    assert per_year.loc[1998, "nearest_capital"] == "AAA city"
    assert per_year.loc[1998, "moscow_km"] == pytest.approx(to_a)
    assert per_year.loc[1999, "nearest_capital"] == "CCC city"
    assert per_year.loc[1999, "moscow_km"] == pytest.approx(to_c)


def test_a_member_counts_with_the_capital_it_had_that_year(toy_members):
    """Like West Germany (Bonn until 3 October 1990, then Berlin): the earlier capital counts before the change."""
    moved = toy_members.assign(earlier_capital=[None, "BBB old", None], earlier_capital_lat=[None, 56.0, None],
                               earlier_capital_lon=[None, 30.0, None],
                               capital_since=pd.to_datetime([None, "1990-10-03", None]))
    assert capitals_on(moved, "1989-12-31")["capital"].tolist() == ["AAA city", "BBB old", "CCC city"]
    assert capitals_on(moved, "1990-12-31")["capital"].tolist() == ["AAA city", "BBB city", "CCC city"]
    per_year = enlargement_per_year(moved, last_year=1991).set_index("year")
    assert per_year.loc[1989, "nearest_capital"] == "BBB old"  # 56N 30E is nearer Moscow than AAA's capital
    assert per_year.loc[1989, "moscow_km"] == pytest.approx(great_circle_km(MOSCOW["lat"], MOSCOW["lon"], 56.0, 30.0))
    assert per_year.loc[1990, "nearest_capital"] == "AAA city"


def test_west_germany_counts_with_bonn_until_reunification():
    members = load_table("members")
    germany = {year: capitals_on(members, f"{year}-12-31").set_index("iso3").loc["DEU"] for year in (1989, 1990)}
    assert germany[1989]["capital"] == "Bonn" and germany[1990]["capital"] == "Berlin"
    assert round(great_circle_km(MOSCOW["lat"], MOSCOW["lon"], germany[1989]["capital_lat"],
                                 germany[1989]["capital_lon"]), -1) == 2090


def test_real_data_today():
    members = load_table("members")
    per_year = enlargement_per_year(members, last_year=2024).set_index("year")
    today = per_year.loc[2024]
    assert today["members"] == 32
    expected_border = members.loc[members["borders_russia_today"].fillna(False), "russia_border_km"].sum()
    assert today["border_km"] == pytest.approx(expected_border)
    assert today["bordering"] == "Estonia, Finland, Latvia, Lithuania, Norway, Poland"
    assert per_year.loc[1999, "nearest_capital"] == "Warsaw"
    assert per_year.loc[2004, "nearest_capital"] == "Vilnius"


def test_facts_and_summary_agree_with_the_series():
    per_year = enlargement_per_year(load_table("members"), last_year=2024)
    row = per_year.set_index("year").loc[2004]
    facts = year_facts(per_year, 2004)
    assert facts[0] == f"Members: {row['members']}"
    assert f"{row['border_km']:,.0f} km" in facts[1] and f"{row['border_km']:,.0f} km" in enlargement_summary(per_year, 2004)
    assert "Vilnius" in facts[2]


def test_turning_points_are_the_marked_events_in_date_order_with_short_labels():
    events = load_table("events")
    points = turning_points(events)
    assert len(points) == events["turning_point"].sum() >= 9
    assert points["date"].is_monotonic_increasing
    assert (points["label"].str.len() <= 50).all()
    assert {"1990-09-12", "2008-04-03", "2024-03-07"} <= set(points["date"].dt.strftime("%Y-%m-%d"))


# ---------------------------------------------------------------- the sentences under the charts (their alt text)

@pytest.fixture
def toy_years(toy_members):
    return enlargement_per_year(toy_members, last_year=2000)


def test_map_summary_names_the_border_and_the_nearest_capital(toy_years):
    assert enlargement_summary(toy_years, 1990) == (
        "At the end of 1990 NATO had 2 members, a 500 km land border with the USSR (Aaa); the member capital "
        "nearest to Moscow was AAA city (Aaa), 1,839 km away.")
    assert "2 members, no land border with Russia;" in enlargement_summary(toy_years, 1991)


def test_the_last_year_is_so_far_not_the_end_of_the_year(toy_years):
    assert enlargement_summary(toy_years, 2000).startswith("In 2000 (so far) NATO had 3 members, a 200 km land "
                                                           "border with Russia (Ccc)")
    assert membership_summary(toy_years, 2000) == "In 2000 (so far) NATO had 3 members, 1 more than the 2 of 1949."


def test_membership_summary_compares_with_the_founders_and_today(toy_years):
    assert membership_summary(toy_years, 1999) == ("At the end of 1999 NATO had 3 members, 1 more than the 2 of "
                                                   "1949; by 2000 it had 3.")
    assert membership_summary(toy_years, 1949) == "At the end of 1949 NATO had 2 members, its founders; by 2000 it had 3."
    assert membership_summary(toy_years, 1990).startswith("At the end of 1990 NATO had 2 members, as many as in 1949;")


def test_timeline_summary_counts_the_waves_after_the_founding(toy_years):
    points = pd.DataFrame({"date": pd.to_datetime(["2008-04-03", "1997-05-27"]), "label": ["b", "a"]})
    assert timeline_summary(toy_years, points) == (
        "NATO grew from 2 founders in 1949 to 3 members in 2000, in 1 wave of enlargement; 2 turning points are "
        "marked, from 1997 to 2008.")


def test_closeness_summary_compares_the_first_and_last_year(toy_years):
    assert closeness_summary(toy_years) == (
        "Members' land border with the USSR or Russia: 500 km in 1949, 200 km in 2000. Nearest member capital to "
        "Moscow: AAA city (1,839 km) in 1949, CCC city (800 km) in 2000.")
