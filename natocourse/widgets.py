"""Controls wired to chart and table functions; nothing here computes.

Every interactive chart uses ipywidgets' ``interactive_output``: the callback
draws the chart (``show_figure``) into an Output widget, so no front-end
extension beyond ipywidgets is needed.
"""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import HTML, display

from . import claims as claim_tables
from .charts import MembershipChart, closeness_chart, enlargement_timeline, show_figure, show_png
from .errors import choose
from .enlargement import closeness_summary, enlargement_summary, membership_summary, timeline_summary, year_facts
from .glossary import ALL, glossary_html, search_glossary


class Interactive(widgets.VBox):
    """Controls above their output; without a kernel (GitHub, nbviewer) it reads as a plain hint."""

    def __init__(self, children, hint: str):
        super().__init__(children)
        self.hint = hint

    def __repr__(self) -> str:
        return f"[Interactive] {self.hint} Run the notebook to use it."


def year_slider(draw, first: int, last: int, value: int, description: str = "Year") -> Interactive:
    """A year slider above the chart ``draw(year)`` shows; the chart redraws as the slider moves."""
    slider = widgets.IntSlider(value=value, min=first, max=last, step=1, description=description,
                               continuous_update=False, layout=widgets.Layout(width="90%"),
                               style={"description_width": "initial"})
    chart = widgets.interactive_output(draw, {"year": slider})
    return Interactive([slider, chart], f"A slider from {first} to {last} that redraws the chart above.")


def glossary_explorer(glossary, sources) -> Interactive:
    """A search box and a category menu above the matching glossary terms."""
    search = widgets.Text(placeholder="type a word, e.g. deterrence", description="Search:")
    category = widgets.Dropdown(options=[ALL, *sorted(glossary["category"].unique())], value=ALL,
                                description="Category:")

    table = widgets.interactive_output(lambda text, chosen: show_glossary(glossary, sources, text, chosen),
                                       {"text": search, "chosen": category})
    return Interactive([widgets.HBox([search, category]), table],
                       "A search box and a category menu over the glossary.")


def show_membership(per_year, year: int, chart: MembershipChart | None = None) -> None:
    """The members-by-year chart for one year, with its summary underneath (``chart``: one to redraw)."""
    summary = membership_summary(per_year, year)  # first: it names a year outside the series plainly
    show_png((chart or MembershipChart(per_year)).png(year), summary)


def membership_slider(per_year, year: int) -> Interactive:
    """The members-by-year chart with a year slider."""
    first, last = int(per_year["year"].min()), int(per_year["year"].max())
    chart = MembershipChart(per_year)  # built once: each year moves only the marker
    return year_slider(lambda year: show_membership(per_year, year, chart), first, last, year)


def show_glossary(glossary, sources, text: str = "", category: str = ALL) -> None:
    """The glossary terms matching a search, as a table (the explorer's static form)."""
    display(HTML(glossary_html(search_glossary(glossary, text, category), sources)))


def show_claims(claims, sources, theme: str | None = None, perspective: str = claim_tables.ALL,
                ids: list[str] | None = None) -> None:
    """Claims as a table of who argues what, with sources (the explorer's static form)."""
    picked = claim_tables.pick_claims(claims, theme, perspective, ids)
    display(HTML(claim_tables.claims_html(picked, sources)))


def claims_explorer(claims, sources, theme: str, perspective: str = claim_tables.ALL) -> Interactive:
    """A menu of perspectives above the claims of one theme, starting at ``perspective``."""
    choose(theme, claims["theme"].unique(), "theme")
    choose(perspective, [claim_tables.ALL, *claim_tables.perspectives(claims, theme)], f"perspective on {theme}")
    menu = widgets.Dropdown(options=[claim_tables.ALL, *claim_tables.perspectives(claims, theme)],
                            value=perspective, description="Perspective:",
                            style={"description_width": "initial"}, layout=widgets.Layout(width="60%"))
    table = widgets.interactive_output(lambda perspective: show_claims(claims, sources, theme, perspective),
                                       {"perspective": menu})
    return Interactive([menu, table], f"A menu of perspectives over the claims about {theme.replace('_', ' ')}.")


def show_timeline(per_year, turning_points) -> None:
    """The waves-and-turning-points chart, with its summary underneath."""
    show_figure(enlargement_timeline(per_year, turning_points), timeline_summary(per_year, turning_points))


def show_closeness(per_year) -> None:
    """Border length and distance from Moscow by year, with their summary underneath."""
    show_figure(closeness_chart(per_year), closeness_summary(per_year))


def show_enlargement_map(europe, per_year, year: int) -> None:
    """The map of NATO in Europe at the end of one year, its facts beside it and its summary underneath.

    ``europe`` is a ``maps.EnlargementMap``, built once so that each year redraws quickly.
    """
    summary = " ".join(filter(None, [enlargement_summary(per_year, year), europe.borders_note(year)]))
    show_figure(europe.draw(year, facts=year_facts(per_year, year)), summary)


def enlargement_map_slider(europe, per_year, year: int) -> Interactive:
    """The enlargement map with a year slider."""
    first, last = int(per_year["year"].min()), int(per_year["year"].max())
    return year_slider(lambda year: show_enlargement_map(europe, per_year, year), first, last, year)
