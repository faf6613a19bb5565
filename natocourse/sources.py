"""Citations: a short in-text form, and the list of sources a notebook used.

>>> cite("depetris2021")
'DePetris (2021)'
"""
from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from .data import load_table

# Documents whose "authors" is an organisation, cited by its full name.
ORGANISATION_KINDS = {"official", "treaty", "dataset", "reference"}
# Words that make an author an organisation, named in full whatever the kind of source ("Institute for the
# Study of War (2023)", not "War (2023)").
ORGANISATION_WORDS = {"Institute", "Ministry", "Government", "Council", "Office", "Organization", "Organisation",
                      "Agency", "Centre", "Center", "Committee", "Commission", "Union", "Nations", "Foundation",
                      "Department", "Mission", "Assembly", "Parliament", "Service", "University", "Group", "NATO"}


def cited_cell(source_id: str, quote, sources: pd.DataFrame | None = None) -> str:
    """A table cell (HTML): the short citation, and under it the verbatim quotation, if there is one."""
    quoted = f"<br><small>“{html.escape(quote)}”</small>" if isinstance(quote, str) else ""
    return html.escape(cite(source_id, sources)) + quoted


def cite(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """Author (year), the short form used in the notebooks' text.

    What the authors column adds in brackets (an affiliation, "via" a reprint) is left out here.
    """
    row = _row(source_id, sources)
    authors = [a.strip() for a in re.sub(r"\s*\([^)]*\)", "", row["authors"]).split(";")]
    if row["authors"] == "author not given":
        lead = f'"{_short_title(row["title"])}"'
    elif row["kind"] == "treaty" or (len(authors) == 1 and (row["kind"] in ORGANISATION_KINDS | {"news"}
                                                            or ORGANISATION_WORDS & set(authors[0].split()))):
        lead = "; ".join(authors)  # the parties, an organisation, or a newsroom: named in full
    elif len(authors) == 1:
        lead = _surname(authors[0])
    elif len(authors) == 2:
        lead = f"{_surname(authors[0])} & {_surname(authors[1])}"
    else:
        lead = f"{_surname(authors[0])} et al."
    return f"{lead} ({row['year']})"


def source_ids_in(*tables_or_ids) -> list[str]:
    """Every source id cited by the given tables (any *source_id column), quizzes or plain ids, in first-seen order."""
    found: list[str] = []
    for item in tables_or_ids:
        if isinstance(item, str):
            ids = [item]
        elif isinstance(item, pd.DataFrame):
            ids = [v for c in item.columns if c.endswith("source_id") for v in item[c].dropna()]
        else:  # a Quiz
            ids = item.source_ids()
        found += ids
    return list(dict.fromkeys(found))


def show_sources(*tables_or_ids, sources: pd.DataFrame | None = None) -> None:
    """Display the numbered list of sources behind the given tables and quizzes."""
    sources = load_table("sources") if sources is None else sources
    items = []
    for source_id in source_ids_in(*tables_or_ids):
        row = _row(source_id, sources)
        title = html.escape(row["title"])
        if isinstance(row["url"], str):
            title = f'<a href="{html.escape(row["url"])}">{title}</a>'
        seed = " <em>(one of the course's five source documents)</em>" if isinstance(row["seed_file"], str) else ""
        items.append(f"<li>{html.escape(row['authors'])} ({row['year']}). {title}. "
                     f"{html.escape(row['publisher'])}. Licence: {html.escape(row['licence'])}.{seed}</li>")
    display(HTML("<ol>" + "".join(items) + "</ol>"))


def _row(source_id: str, sources: pd.DataFrame | None) -> dict:
    """The source's row as a dict (read cell by cell: taking a whole row of text columns is slow)."""
    sources = load_table("sources") if sources is None else sources
    found = (sources["source_id"].to_numpy() == source_id).nonzero()[0]
    if not len(found):
        from .data import DataError, Problem
        raise DataError([Problem("data/sources.csv", f'has no source with source_id "{source_id}"')])
    return {column: sources[column].iat[found[0]] for column in sources.columns}


def _surname(name: str) -> str:
    return name.split()[-1]


def _short_title(title: str, words: int = 5) -> str:
    parts = title.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")
