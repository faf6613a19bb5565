"""Series derived from the members table: computed from the rows, never typed in.

Every series counts membership on 31 December of each year, the convention
of the members-by-year chart.

>>> from natocourse import load_table
>>> members = load_table("members")
>>> members_per_year(members, last_year=2024).tail(1)
    year  members  joined_that_year
75  2024       32                 1
"""
from __future__ import annotations

import pandas as pd

from ..errors import InputError, number
from .geo import MOSCOW, great_circle_km

FIRST_YEAR = 1949
# The USSR was dissolved on 26 December 1991 (the date data/datapackage.json gives for
# "bordered_ussr_as_member"): on 31 December 1991 the neighbour to the east is Russia.
USSR_DISSOLVED = pd.Timestamp("1991-12-26")


def members_per_year(members: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """Members on 31 December of each year, and how many joined that year.

    The years run to ``last_year``, by default the year the data were last checked
    (so the committed outputs do not change on New Year's Day).
    """
    joined_year = members["joined"].dt.year
    years = _years(members, last_year)
    joined = joined_year.value_counts().reindex(years, fill_value=0)
    return pd.DataFrame({"year": years, "members": joined.cumsum().to_numpy(),
                         "joined_that_year": joined.to_numpy()})


def enlargement_per_year(members: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """For each year: members, the eastern neighbour, the members' land border with it,
    and the member capital nearest to Moscow.

    Columns: year, members, joined_that_year, neighbour ("the USSR" or "Russia"),
    border_km, bordering (the members on that border, by name), nearest_capital,
    nearest_country, moscow_km (great-circle distance from Moscow to that capital).
    Each member counts with the capital it had on 31 December (see ``capitals_on``).
    """
    per_year = members_per_year(members, last_year)
    since = pd.to_datetime(members["capital_since"]) if "capital_since" in members else None
    rows, last_state, row = [], None, None
    for year in per_year["year"]:
        year_end = pd.Timestamp(year=year, month=12, day=31)
        joined = members["joined"] <= year_end
        # the row changes only when a member joins, a capital moves or the USSR ends: computed then, else repeated
        state = (tuple(joined), year_end < USSR_DISSOLVED, None if since is None else tuple(since.gt(year_end)))
        if state != last_state:
            row, last_state = _year_row(members[joined], year_end), state
        rows.append(row)
    return pd.concat([per_year, pd.DataFrame(rows, index=per_year.index)], axis=1)


def _year_row(joined: pd.DataFrame, year_end: pd.Timestamp) -> dict:
    """The neighbour, border and nearest capital of the members ``joined`` by ``year_end``."""
    current = capitals_on(joined, year_end)
    current = current.assign(moscow_km=great_circle_km(MOSCOW["lat"], MOSCOW["lon"],
                                                       current["capital_lat"], current["capital_lon"]))
    soviet = year_end < USSR_DISSOLVED
    on_border = current[current["bordered_ussr_as_member" if soviet else "borders_russia_today"].fillna(False)]
    nearest = current.loc[current["moscow_km"].idxmin()]
    return {"neighbour": "the USSR" if soviet else "Russia",
            "border_km": float(on_border["ussr_border_km" if soviet else "russia_border_km"].sum()),
            "bordering": ", ".join(on_border.sort_values("country")["country"]),
            "nearest_capital": nearest["capital"], "nearest_country": nearest["country"],
            "moscow_km": float(nearest["moscow_km"])}


def capitals_on(members: pd.DataFrame, day) -> pd.DataFrame:
    """The members with the capital each had on ``day``: before ``capital_since`` the earlier capital
    (West Germany's Bonn until reunification on 3 October 1990) replaces ``capital``, ``capital_lat``
    and ``capital_lon``. Tables without the earlier-capital columns are returned unchanged."""
    if "capital_since" not in members:
        return members
    since = pd.to_datetime(members["capital_since"])
    earlier = since.gt(pd.Timestamp(day))  # an empty capital_since (NaT) is never later
    if not earlier.any():
        return members
    members = members.copy()
    for column in ("capital", "capital_lat", "capital_lon"):
        members.loc[earlier, column] = members.loc[earlier, f"earlier_{column}"]
    return members


def waves_table(members: pd.DataFrame) -> pd.DataFrame:
    """One row per enlargement wave: when membership took effect, how many joined, and who."""
    waves = (members.sort_values(["joined", "country"])
             .groupby("wave", sort=False)
             .agg(took_effect=("joined", "min"), members_added=("iso3", "size"), countries=("country", ", ".join)))
    waves["took_effect"] = [f"{day.day} {day:%B %Y}" for day in waves["took_effect"]]
    waves["members_after"] = waves["members_added"].cumsum()
    return waves.reset_index()


def turning_points(events: pd.DataFrame) -> pd.DataFrame:
    """The events marked as turning points, in date order, with a short label for charts."""
    points = events[events["turning_point"].fillna(False)].sort_values("date")
    label = points["short_title"].fillna(points["title"]) if "short_title" in points else points["title"]
    return points[["event_id", "date", "source_id"]].assign(label=label).reset_index(drop=True)


def year_facts(per_year: pd.DataFrame, year: int) -> list[str]:
    """Three short lines for the map's side panel: members, border, nearest capital."""
    row = _row(per_year, year)
    return [f"Members: {row['members']}",
            f"Land border with {row['neighbour']}: {row['border_km']:,.0f} km",
            f"Nearest member capital to Moscow: {row['nearest_capital']}, {row['moscow_km']:,.0f} km"]


def enlargement_summary(per_year: pd.DataFrame, year: int) -> str:
    """One sentence for the map's text alternative, computed from the series."""
    row = _row(per_year, year)
    border = (f"a {row['border_km']:,.0f} km land border with {row['neighbour']} ({row['bordering']})"
              if row["border_km"] else f"no land border with {row['neighbour']}")
    return (f"{_when(per_year, year)} NATO had {row['members']} members, {border}; the member capital nearest "
            f"to Moscow was {row['nearest_capital']} ({row['nearest_country']}), {row['moscow_km']:,.0f} km away.")


def membership_summary(per_year: pd.DataFrame, year: int) -> str:
    """One sentence for the members-by-year chart's text alternative, computed from the series."""
    row = _row(per_year, year)
    first = per_year.iloc[0]
    latest = per_year.iloc[-1]
    change = int(row["members"] - first["members"])
    if year == int(first["year"]):
        since = "its founders"
    elif change:
        since = f"{change} more than the {first['members']} of {int(first['year'])}"
    else:
        since = f"as many as in {int(first['year'])}"
    sentence = f"{_when(per_year, year)} NATO had {row['members']} members, {since}"
    if year != int(latest["year"]):
        sentence += f"; by {int(latest['year'])} it had {latest['members']}"
    return sentence + "."


def timeline_summary(per_year: pd.DataFrame, turning_points: pd.DataFrame) -> str:
    """One sentence for the timeline's text alternative."""
    first, last = per_year.iloc[0], per_year.iloc[-1]
    waves = int((per_year["joined_that_year"] > 0).sum()) - 1  # the founding is not an enlargement
    return (f"NATO grew from {first['members']} founders in {int(first['year'])} to {last['members']} members in "
            f"{int(last['year'])}, in {waves} wave{'' if waves == 1 else 's'} of enlargement; "
            f"{len(turning_points)} turning points are marked, from {turning_points['date'].min():%Y} "
            f"to {turning_points['date'].max():%Y}.")


def closeness_summary(per_year: pd.DataFrame) -> str:
    """One sentence for the border-and-distance chart's text alternative."""
    first, last = per_year.iloc[0], per_year.iloc[-1]
    return (f"Members' land border with the USSR or Russia: {first['border_km']:,.0f} km in {int(first['year'])}, "
            f"{last['border_km']:,.0f} km in {int(last['year'])}. Nearest member capital to Moscow: "
            f"{first['nearest_capital']} ({first['moscow_km']:,.0f} km) in {int(first['year'])}, "
            f"{last['nearest_capital']} ({last['moscow_km']:,.0f} km) in {int(last['year'])}.")


def _years(members: pd.DataFrame, last_year: int | None) -> pd.RangeIndex:
    as_of = members.attrs.get("as_of", pd.Timestamp.today())
    last_year = last_year or int(max(members["joined"].dt.year.max(), as_of.year))
    return pd.RangeIndex(FIRST_YEAR, last_year + 1, name="year")


def _when(per_year: pd.DataFrame, year: int) -> str:
    """ "At the end of 1999"; the series' last year is the year the data were checked, not yet over."""
    return f"In {year} (so far)" if year == int(per_year["year"].max()) else f"At the end of {year}"


def _row(per_year: pd.DataFrame, year: int) -> pd.Series:
    first, last = int(per_year["year"].min()), int(per_year["year"].max())
    if number(year, "The year", first, last) != int(year):
        raise InputError(f"The year must be a whole year from {first} to {last}; you gave {year}.")
    return per_year.loc[per_year["year"] == year].iloc[0]
