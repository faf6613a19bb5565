"""Controls wired to chart and table functions; nothing here computes.

Every interactive chart uses ipywidgets' ``interactive_output``: the callback
draws the chart (``show_figure``) into an Output widget, so no front-end
extension beyond ipywidgets is needed.
"""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import HTML, display

from .glossary import ALL, glossary_html, search_glossary


def year_slider(draw, first: int, last: int, value: int, description: str = "Year") -> widgets.VBox:
    """A year slider above the chart ``draw(year)`` shows; the chart redraws as the slider moves."""
    slider = widgets.IntSlider(value=value, min=first, max=last, step=1, description=description,
                               continuous_update=False, layout=widgets.Layout(width="90%"),
                               style={"description_width": "initial"})
    chart = widgets.interactive_output(draw, {"year": slider})
    return widgets.VBox([slider, chart])


def glossary_explorer(glossary, sources) -> widgets.VBox:
    """A search box and a category menu above the matching glossary terms."""
    search = widgets.Text(placeholder="type a word, e.g. deterrence", description="Search:")
    category = widgets.Dropdown(options=[ALL, *sorted(glossary["category"].unique())], value=ALL,
                                description="Category:")

    def show(text, chosen):
        display(HTML(glossary_html(search_glossary(glossary, text, chosen), sources)))

    table = widgets.interactive_output(show, {"text": search, "chosen": category})
    return widgets.VBox([widgets.HBox([search, category]), table])
