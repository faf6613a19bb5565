"""Series derived from the members table: computed from the rows, never typed in.

>>> members = load_table("members")                      # doctest: +SKIP
>>> members_per_year(members, last_year=2024).tail(1)     # doctest: +SKIP
    year  members  joined_that_year
75  2024       32                 1
"""
from __future__ import annotations

import pandas as pd

FIRST_YEAR = 1949


def members_per_year(members: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """Members on 31 December of each year, and how many joined that year.

    The years run to ``last_year``, by default the year the data were last checked
    (so the committed outputs do not change on New Year's Day).
    """
    joined_year = members["joined"].dt.year
    as_of = members.attrs.get("as_of", pd.Timestamp.today())
    last_year = last_year or int(max(joined_year.max(), as_of.year))
    years = pd.RangeIndex(FIRST_YEAR, last_year + 1, name="year")
    joined = joined_year.value_counts().reindex(years, fill_value=0)
    return pd.DataFrame({"year": years, "members": joined.cumsum().to_numpy(),
                         "joined_that_year": joined.to_numpy()})


def membership_summary(per_year: pd.DataFrame, year: int) -> str:
    """One sentence for the chart's text alternative, computed from the series."""
    row = per_year.loc[per_year["year"] == year].iloc[0]
    first = per_year.iloc[0]
    latest = per_year.iloc[-1]
    change = int(row["members"] - first["members"])
    sentence = (f"At the end of {year} NATO had {row['members']} members, {change} more than the "
                f"{first['members']} of {int(first['year'])}")
    if year != int(latest["year"]):
        sentence += f"; by {int(latest['year'])} it had {latest['members']}"
    return sentence + "."
