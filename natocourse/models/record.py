"""The diplomacy track record: filter the events, tally their outcomes, and set the source documents' findings beside them.

Everything here is computed from ``data/events.csv`` (and, for the findings,
``data/findings.csv``); nothing is typed in. The outcomes and practices are
the schema's (``data/datapackage.json``): this module keeps only their order.

>>> from natocourse import load_table
>>> events = load_table("events")
>>> picked = filter_events(events, forum="Normandy format")
>>> picked["short_title"].tolist()
['First Normandy-format meeting', 'Normandy summit in Paris']
>>> int(outcome_tally(events, by="period").loc["2014-2021"].sum())   # negotiated acts of 2014-2021
18
"""
from __future__ import annotations

import pandas as pd

from ..data import DataError, Problem, in_order, list_items, load_table
from ..errors import CourseError

NO_FILTER = "all"

# The order of the outcomes the schema allows (events.outcome), from the most to the least successful;
# "not applicable" marks acts that are not diplomacy. See ``outcomes()``.
OUTCOME_ORDER = ["implemented", "partially implemented", "adopted", "signed", "ongoing",
                 "no agreement", "collapsed", "rejected", "not applicable"]
NOT_DIPLOMACY = "not applicable"
FAILED = ("no agreement", "collapsed", "rejected")
# The order of the practices the schema allows (events.practice): Enyichukwu et al.'s (2023) typology of
# diplomatic practice, then the course's own values. See ``practices()``.
PRACTICE_ORDER = ["political engagement", "crisis management", "dialogue and backchannel",
                  "partnership and cooperation", "sanctions", "enlargement", "none (military action)",
                  "none (other unilateral act)"]
# Practices left out of the outcome counts: an accession or application is settled between a state and the
# Allies, sanctions are a measure one side imposes, and declarations of independence or court orders are acts
# of one party; counted beside talks with Russia, their "implemented" would read as diplomacy that worked.
NOT_NEGOTIATED = ("enlargement", "sanctions", "none (military action)", "none (other unilateral act)")
# The kinds of event that create obligations: treaties, agreements and ceasefires.
AGREEMENT_TYPES = ("treaty", "agreement", "ceasefire")
# The forum of one-sided acts (a proposal, a declaration): nothing negotiated.
ONE_SIDED = "unilateral"

# Periods of the record: (label, first year, last year).
PERIODS = [("1990-1999", 1990, 1999), ("2000-2013", 2000, 2013), ("2014-2021", 2014, 2021), ("2022-today", 2022, 9999)]
PERIOD_NAMES = {"1990-1999": "after the Cold War", "2000-2013": "partnership and rivalry",
                "2014-2021": "Crimea, Donbas and Minsk", "2022-today": "the full-scale war"}

# The actors a student can pick, and the names they go by in the "actors" column.
ACTORS = {
    "Russia (or the USSR)": ("Russian Federation", "Soviet Union"),
    "Ukraine": ("Ukraine",),
    "United States": ("United States",),
    "NATO": ("NATO",),
    "European Union": ("European Union",),
    "France": ("France",),
    "Germany": ("Germany",),
    "Türkiye": ("Türkiye",),
    "United Nations": ("United Nations", "UN General Assembly", "UN Security Council"),
    "OSCE": ("OSCE",),
    "Finland": ("Finland",),
    "Sweden": ("Sweden",),
}

# December 2021 to February 2022: the standoff before the invasion.
CLOSE_UP = (pd.Timestamp("2021-12-01"), pd.Timestamp("2022-02-28"))


def outcomes() -> list[str]:
    """The outcomes data/datapackage.json allows, from the most to the least successful (``OUTCOME_ORDER``).

    >>> outcomes()[:3]
    ['implemented', 'partially implemented', 'adopted']
    """
    return in_order("events", "outcome", OUTCOME_ORDER, "OUTCOME_ORDER in natocourse/models/record.py")


def practices() -> list[str]:
    """The practices data/datapackage.json allows, in the order of ``PRACTICE_ORDER``.

    >>> practices()[:2]
    ['political engagement', 'crisis management']
    """
    return in_order("events", "practice", PRACTICE_ORDER, "PRACTICE_ORDER in natocourse/models/record.py")


def period_of(dates: pd.Series) -> pd.Series:
    """The period label of each date."""
    years = dates.dt.year
    labels = pd.Series(pd.NA, index=dates.index, dtype="object")
    for label, first, last in PERIODS:
        labels[years.between(first, last)] = label
    return labels


def actors_in(events: pd.DataFrame) -> list[str]:
    """The actors of ``ACTORS`` that take part in at least one event, in the order of ``ACTORS``."""
    return [name for name in ACTORS if _involves(events, name).any()]


def filter_events(events: pd.DataFrame, forum: str = NO_FILTER, practice: str = NO_FILTER, actor: str = NO_FILTER,
                  years: tuple[int, int] | None = None) -> pd.DataFrame:
    """The events matching every filter, in date order; ``years`` is an inclusive (first, last) pair."""
    for column, value in (("forum", forum), ("practice", practice)):
        if value != NO_FILTER and value not in set(events[column]):
            raise CourseError(f'No event has {column} "{value}". Choose one of: '
                              f'{", ".join(sorted(events[column].unique()))}.')
    if actor != NO_FILTER and actor not in ACTORS:
        raise CourseError(f'"{actor}" is not an actor the course knows. Choose one of: {", ".join(ACTORS)}.')
    keep = pd.Series(True, index=events.index)
    if forum != NO_FILTER:
        keep &= events["forum"] == forum
    if practice != NO_FILTER:
        keep &= events["practice"] == practice
    if actor != NO_FILTER:
        keep &= _involves(events, actor)
    if years is not None:
        first, last = years
        if first > last:
            raise CourseError(f"The period runs from {first} to {last}: the first year must not come after the last.")
        keep &= events["date"].dt.year.between(first, last)
    return events[keep].sort_values("date", kind="stable").reset_index(drop=True)


def outcome_tally(events: pd.DataFrame, by: str = "forum", diplomatic_only: bool = True) -> pd.DataFrame:
    """Counts of events by outcome (columns, in ``outcomes()`` order) for each forum, period or type (rows).

    Rows are sorted by their total, largest first, except periods, which stay in time order.
    ``diplomatic_only`` leaves out acts that are not diplomacy (outcome "not applicable") and those that
    were not negotiated between the parties (see ``negotiated``: accessions, applications, sanctions,
    military action and other one-sided acts).
    """
    if by not in ("forum", "period", "type", "practice"):
        raise CourseError(f'Outcomes can be counted by forum, period, type or practice, not by "{by}".')
    rows = events[negotiated(events)] if diplomatic_only else events
    groups = period_of(rows["date"]) if by == "period" else rows[by]
    table = pd.crosstab(groups, rows["outcome"])
    columns = [o for o in outcomes() if o in table.columns]
    table = table[columns]
    if by == "period":
        table = table.reindex([p for p, _, _ in PERIODS if p in table.index])
    else:
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    table.index.name = by
    table.columns.name = "outcome"
    return table


def negotiated(events: pd.DataFrame) -> pd.Series:
    """Which events are acts negotiated between parties, with an outcome to judge (True) and which are not:
    statements, military action, one-sided acts, accessions and sanctions (see ``NOT_NEGOTIATED``)."""
    return ((events["outcome"] != NOT_DIPLOMACY) & ~events["practice"].isin(NOT_NEGOTIATED)
            & (events["forum"] != ONE_SIDED))


def agreement_record(events: pd.DataFrame) -> pd.Series:
    """How the treaties, agreements and ceasefires turned out: a count per outcome."""
    agreements = events[events["type"].isin(AGREEMENT_TYPES)]
    counts = agreements["outcome"].value_counts()
    return counts.reindex([o for o in outcomes() if o in counts.index])


def record_summary(events: pd.DataFrame) -> str:
    """One sentence for the timeline's text alternative, computed from the events shown."""
    if events.empty:
        return "No event matches these filters; widen the period or choose 'all'."
    diplomatic = events[negotiated(events)]
    counts = diplomatic["outcome"].value_counts()
    first, last = events["date"].min(), events["date"].max()
    parts = [f"{counts[o]} {o}" for o in outcomes() if o in counts.index]
    span = f"from {_day(first)} to {_day(last)}" if len(events) > 1 else f"on {_day(first)}"
    sentence = f"{_count(len(events), 'event')} {span}"
    if len(diplomatic):
        sentence += f"; outcomes of the {_count(len(diplomatic), 'negotiated act')}: {', '.join(parts)}"
    others = len(events) - len(diplomatic)
    if others:
        sentence += (f"; {others} not counted (statements, accessions, sanctions, military action and other "
                     "one-sided acts)")
    return sentence + "."


def tally_summary(tally: pd.DataFrame) -> str:
    """One sentence for the outcome chart's text alternative: totals, and the rows with most successes and failures."""
    total = int(tally.to_numpy().sum())
    sizes = tally.sum(axis=1)
    done = tally.reindex(columns=["implemented"], fill_value=0)["implemented"]
    failed = tally.reindex(columns=list(FAILED), fill_value=0).sum(axis=1)
    return (f"{_count(total, 'negotiated act')} by {tally.index.name}, {int(done.sum())} implemented in full. "
            f"Most implemented in full: {_leaders(done, sizes)}. "
            f"Most that ended in no agreement, collapse or rejection: {_leaders(failed, sizes)}. "
            "These count the events the course records (accessions, sanctions and one-sided acts left out), "
            "not all the diplomacy there was.")


def _leaders(counts: pd.Series, sizes: pd.Series) -> str:
    """The rows with the largest count, ties included, as 'name (count of size)'."""
    top = counts[counts == counts.max()]
    return " and ".join(f"{name} ({int(n)} of {int(sizes[name])})" for name, n in top.items())


def close_up(events: pd.DataFrame) -> pd.DataFrame:
    """The events of December 2021 to February 2022, in date order."""
    first, last = CLOSE_UP
    return events[events["date"].between(first, last)].sort_values("date", kind="stable").reset_index(drop=True)


def standoff(claims: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The demands of December 2021 beside the answers they got: issue, demand and answer (claim rows).

    ``pairs`` is the standoff table (data/standoff.csv: issue, demand_claim_id, answer_claim_id).
    """
    pairs = load_table("standoff") if pairs is None else pairs
    known = set(claims["claim_id"])
    problems = [Problem("data/standoff.csv", f'names the claim "{row[column]}", which the claims shown do not have',
                        row=number, column=column)
                for number, row in enumerate(pairs.to_dict("records"), start=2)  # row 1 is the header
                for column in ("demand_claim_id", "answer_claim_id") if row[column] not in known]
    if problems:
        raise DataError(problems)
    by_id = claims.set_index("claim_id")
    return pd.DataFrame([{"issue": row.issue, "demand": by_id.loc[row.demand_claim_id, "claim"],
                          "demand_by": by_id.loc[row.demand_claim_id, "holder"],
                          "demand_source": by_id.loc[row.demand_claim_id, "source_id"],
                          "demand_quote": by_id.loc[row.demand_claim_id, "quote"],
                          "answer": by_id.loc[row.answer_claim_id, "claim"],
                          "answer_by": by_id.loc[row.answer_claim_id, "holder"],
                          "answer_source": by_id.loc[row.answer_claim_id, "source_id"],
                          "answer_quote": by_id.loc[row.answer_claim_id, "quote"]}
                         for row in pairs.itertuples()])


def linked_events(findings: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per (finding, event) link, with the event's date, short title and outcome, in date order per finding.

    The loader has checked that every event_id is in events.csv (the schema's ``listForeignKeys``).
    """
    links = [{"finding_id": row.finding_id, "event_id": event_id} for row in findings.itertuples()
             for event_id in list_items("findings", "event_ids", row.event_ids)]
    columns = ["event_id", "date", "short_title", "outcome", "outcome_why"]
    linked = pd.DataFrame(links, columns=["finding_id", "event_id"]).merge(events[columns], on="event_id", how="left")
    return linked.sort_values(["finding_id", "date"], kind="stable").reset_index(drop=True)


def findings_of(findings: pd.DataFrame, kind: str = NO_FILTER) -> pd.DataFrame:
    """The findings of one kind (practice, challenge, recommendation, strategic response, hypothesis), in order."""
    kinds = list(dict.fromkeys(findings["kind"]))
    if kind != NO_FILTER and kind not in kinds:
        raise CourseError(f'No finding is of kind "{kind}". Choose one of: {", ".join(kinds)}.')
    picked = findings if kind == NO_FILTER else findings[findings["kind"] == kind]
    return picked.reset_index(drop=True)


def _involves(events: pd.DataFrame, actor: str) -> pd.Series:
    names = ACTORS[actor]
    return events["actors"].apply(lambda text: any(name in text for name in names))


def _day(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%b %Y}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
