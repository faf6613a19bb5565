"""The reference views every lesson uses: the glossary, and the claims of who argues what."""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import HTML, display

from .. import claims as claim_tables
from ..data import load_table
from ..errors import choose
from ..glossary import ALL_CATEGORIES, glossary_html, search_glossary
from .base import Interactive


def glossary_explorer(glossary, sources=None) -> Interactive:
    """A search box and a category menu above the matching glossary terms."""
    search = widgets.Text(placeholder="type a word, e.g. deterrence", description="Search:")
    category = widgets.Dropdown(options=[ALL_CATEGORIES, *sorted(glossary["category"].unique())], value=ALL_CATEGORIES,
                                description="Category:")

    table = widgets.interactive_output(lambda text, chosen: show_glossary(glossary, sources, text, chosen),
                                       {"text": search, "chosen": category})
    return Interactive([widgets.HBox([search, category]), table],
                       "A search box and a category menu over the glossary.")


def show_glossary(glossary, sources=None, text: str = "", category: str = ALL_CATEGORIES,
                  terms: list[str] | None = None) -> None:
    """The glossary terms matching a search, or the listed ``terms`` (ids), as a table (the explorer's static form)."""
    if terms is not None:
        for term in terms:
            choose(term, glossary["term_id"], "glossary term id")
        glossary = glossary[glossary["term_id"].isin(terms)]
    display(HTML(glossary_html(search_glossary(glossary, text, category), sources)))


def show_claims(claims=None, sources=None, theme: str | None = None,
                perspective: str = claim_tables.ALL_PERSPECTIVES, ids: list[str] | None = None,
                section: str | None = None) -> None:
    """Claims as a table of who argues what, with sources (the explorer's static form): those of one lesson
    ``section`` (``show_claims(section="bucharest")``), of a theme and perspective, or the listed ``ids``.
    ``claims`` and ``sources`` are the course's own tables unless given."""
    claims = load_table("claims") if claims is None else claims
    picked = claim_tables.pick_claims(claims, theme, perspective, ids, section)
    display(HTML(claim_tables.claims_html(picked, sources)))


def claims_explorer(claims, sources=None, *, theme: str,
                    perspective: str = claim_tables.ALL_PERSPECTIVES) -> Interactive:
    """A menu of perspectives above the claims of one theme, starting at ``perspective``."""
    choose(theme, claims["theme"].unique(), "theme")
    choose(perspective, [claim_tables.ALL_PERSPECTIVES, *claim_tables.perspectives(claims, theme)], f"perspective on {theme}")
    menu = widgets.Dropdown(options=[claim_tables.ALL_PERSPECTIVES, *claim_tables.perspectives(claims, theme)],
                            value=perspective, description="Perspective:",
                            style={"description_width": "initial"}, layout=widgets.Layout(width="60%"))
    table = widgets.interactive_output(lambda perspective: show_claims(claims, sources, theme, perspective),
                                       {"perspective": menu})
    return Interactive([menu, table], f"A menu of perspectives over the claims about {theme.replace('_', ' ')}.")
