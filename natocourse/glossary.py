"""Look terms up in the glossary and lay them out as a table.

>>> from natocourse import load_table
>>> glossary = load_table("glossary")
>>> found = search_glossary(glossary, "deter")["term"].tolist()      # in the term or its definition, any case
>>> "Deterrence" in found and "Spiral model" in found                # the second: "deter" in its definition
True
"""
from __future__ import annotations

import html

import pandas as pd

from .data import load_table
from .sources import cited_cell
from .html import html_table

ALL_CATEGORIES = "all categories"


def search_glossary(glossary: pd.DataFrame, text: str = "", category: str = ALL_CATEGORIES) -> pd.DataFrame:
    """Terms whose name or definition contains the text (any case), in one category or all."""
    found = glossary
    if category != ALL_CATEGORIES:
        found = found[found["category"] == category]
    text = text.strip().lower()
    if text:
        hit = found["term"].str.lower().str.contains(text, regex=False) | \
              found["definition"].str.lower().str.contains(text, regex=False)
        found = found[hit]
    return found.sort_values("term", key=lambda s: s.str.lower())


def glossary_html(terms: pd.DataFrame, sources: pd.DataFrame | None = None) -> str:
    """An HTML table of terms with their definitions and sources (quotes shown where the source is one of the source documents)."""
    if terms.empty:
        return "<p><i>No term matches. Try a shorter word, or choose all categories.</i></p>"
    sources = load_table("sources") if sources is None else sources  # read once for every row
    rows = [[f"<b>{html.escape(row.term)}</b><br><small>{row.category}</small>", html.escape(row.definition),
             cited_cell(row.source_id, row.quote, sources)] for row in terms.itertuples()]
    return html_table(["Term", "Meaning", "Source"], rows, "term")
