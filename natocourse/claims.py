"""Who argues what: pick claims from data/claims.csv and lay them out with their holder and source.

A claim is always shown with who makes it, from which perspective, and the
source (with the verbatim quotation where the source is one of the five source documents).

>>> from natocourse import load_table
>>> claims = load_table("claims")
>>> russian = pick_claims(claims, theme="enlargement", perspective="Russian government")
>>> sorted(set(russian["perspective"]))
['Russian government']
>>> "Boris Yeltsin" in set(russian["holder"])
True
>>> sorted(set(pick_claims(claims, section="promise_1990")["question"]))
['promise_1990']
"""
from __future__ import annotations

import html

import pandas as pd

from .errors import choose
from .html import html_table
from .sources import cited_cell

ALL_PERSPECTIVES = "all perspectives"


def pick_claims(claims: pd.DataFrame, theme: str | None = None, perspective: str = ALL_PERSPECTIVES,
                ids: list[str] | None = None, section: str | None = None) -> pd.DataFrame:
    """Claims of one theme and perspective, or of one lesson section (claims.sections), or the listed ids in the
    order given."""
    if section is not None:
        choose(section, sections(claims), "section of the claims")
        return claims[_section_lists(claims).apply(lambda listed: section in listed)]
    if ids is not None:
        unknown = sorted(set(ids) - set(claims["claim_id"]))
        if unknown:
            from .data import DataError, Problem
            raise DataError([Problem("data/claims.csv", f"has no claim with claim_id {', '.join(unknown)}")])
        return claims.set_index("claim_id").loc[ids].reset_index()
    found = claims if theme is None else claims[claims["theme"] == theme]
    if perspective != ALL_PERSPECTIVES:
        found = found[found["perspective"] == perspective]
    return found


def perspectives(claims: pd.DataFrame, theme: str | None = None) -> list[str]:
    """The perspectives present (for a menu), most frequent first."""
    found = claims if theme is None else claims[claims["theme"] == theme]
    return found["perspective"].value_counts().index.tolist()


def sections(claims: pd.DataFrame) -> list[str]:
    """The lesson sections the claims name, in the order they first appear."""
    return list(dict.fromkeys(name for listed in _section_lists(claims) for name in listed))


def _section_lists(claims: pd.DataFrame) -> pd.Series:
    return claims["sections"].fillna("").map(lambda cell: [name for name in cell.split("; ") if name])


def claims_html(claims: pd.DataFrame, sources: pd.DataFrame | None = None) -> str:
    """An HTML table: who argues, from which perspective, what, and the source with its quotation."""
    if claims.empty:
        return "<p><i>No claim matches. Choose all perspectives.</i></p>"
    rows = [[f"<b>{html.escape(row.holder)}</b><br><small>{html.escape(row.perspective)}</small>",
             html.escape(row.claim), cited_cell(row.source_id, row.quote, sources)] for row in claims.itertuples()]
    return html_table(["Who", "argues", "Source"], rows, "claim")
