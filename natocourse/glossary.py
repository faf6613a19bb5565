"""Look terms up in the glossary and lay them out as a table.

>>> glossary = load_table("glossary")                       # doctest: +SKIP
>>> search_glossary(glossary, "deter")["term"].tolist()      # doctest: +SKIP
['Deterrence', ...]
"""
from __future__ import annotations

import html

import pandas as pd

from .sources import cite

ALL = "all categories"


def search_glossary(glossary: pd.DataFrame, text: str = "", category: str = ALL) -> pd.DataFrame:
    """Terms whose name or definition contains the text (any case), in one category or all."""
    found = glossary
    if category != ALL:
        found = found[found["category"] == category]
    text = text.strip().lower()
    if text:
        hit = found["term"].str.lower().str.contains(text, regex=False) | \
              found["definition"].str.lower().str.contains(text, regex=False)
        found = found[hit]
    return found.sort_values("term", key=lambda s: s.str.lower())


def glossary_html(terms: pd.DataFrame, sources: pd.DataFrame) -> str:
    """An HTML table of terms with their definitions and sources (quotes shown where the source is a seed)."""
    if terms.empty:
        return "<p><i>No term matches. Try a shorter word, or choose all categories.</i></p>"
    rows = []
    for row in terms.itertuples():
        quote = f"<br><small>“{html.escape(row.quote)}”</small>" if isinstance(row.quote, str) else ""
        rows.append(f"<tr><td style='text-align:left'><b>{html.escape(row.term)}</b><br><small>{row.category}</small></td>"
                    f"<td style='text-align:left'>{html.escape(row.definition)}</td>"
                    f"<td style='text-align:left'>{html.escape(cite(row.source_id, sources))}{quote}</td></tr>")
    return ("<table style='font-size:1.05em'><thead><tr><th style='text-align:left'>Term</th>"
            "<th style='text-align:left'>Meaning</th><th style='text-align:left'>Source</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p><i>{len(terms)} term{'s' if len(terms) != 1 else ''}.</i></p>")
