"""What every interactive view shares: controls above their output, and a year slider.

Every interactive chart uses ipywidgets' ``interactive_output``: the callback
draws the chart (``show_figure``) into an Output widget, so no front-end
extension beyond ipywidgets is needed. Widget modules wire controls to chart
and table functions; nothing in them computes.
"""
from __future__ import annotations

import ipywidgets as widgets
import pandas as pd


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


_BUILT: dict = {}
KEEP_BUILT = 8  # charts kept built; a notebook uses two or three


def built_once(build, *frames: pd.DataFrame):
    """``build(*frames)``, made once for frames of the same content and reused: the charts that are slow to build
    and fast to redraw (the map, the record overview), so that a notebook cell need not keep them itself."""
    key = (build, *((tuple(frame.columns), int(pd.util.hash_pandas_object(frame).sum())) for frame in frames))
    if key not in _BUILT:
        if len(_BUILT) >= KEEP_BUILT:
            del _BUILT[next(iter(_BUILT))]  # the oldest
        _BUILT[key] = build(*frames)
    return _BUILT[key]
