"""Runs inside a notebook's kernel, after run-all: times every interactive control's redraw.

``benchmarks/run.py`` runs this file in the kernel with ``runpy.run_path``, then
calls ``report_redraw_timings()``. Setting a control's value in the kernel runs its
``interactive_output`` callback synchronously (draw, PNG, messages to the
Output widget), so ``time.perf_counter`` around the assignment measures what a
student waits for on the kernel side. The result comes back as one display
output of type ``REPORT_MIME``.
"""
import base64
import gc
import io
import sys
import time

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display
from ipywidgets.widgets import widget as widget_module, widget_float, widget_int, widget_selection

from natocourse.charts.style import DPI, FIGSIZE
from natocourse.widgets.base import Interactive

REPORT_MIME = "application/vnd.natocourse.benchmark+json"
MAX_STEPS = 60  # a slider with more values is sampled evenly
BASELINE_DRAWS = 30
TYPED_WORDS = ("deterrence", "minsk")  # a Text redraws on every keystroke, so type them letter by letter


def interactives_in_creation_order():
    """Every live Interactive; ipywidgets' registry keeps creation order, which is display order in a run-all."""
    registry = getattr(widget_module, "_instances", None)
    candidates = list(registry.values()) if registry is not None else gc.get_objects()
    return [w for w in candidates if isinstance(w, Interactive)]


def controls_of(box):
    """The value-carrying controls inside a box, depth first; Output widgets hold results, not controls."""
    for child in box.children:
        if isinstance(child, widgets.Box):
            yield from controls_of(child)
        elif isinstance(child, widgets.ValueWidget) and not isinstance(child, (widgets.HTML, widgets.HTMLMath,
                                                                                  widgets.Label)):
            yield child


def spread(values, limit=MAX_STEPS):
    values = list(values)
    if len(values) <= limit:
        return values
    return [values[round(i * (len(values) - 1) / (limit - 1))] for i in range(limit)]


def planned_changes(control):
    """(trait, values) a student would go through with this control, or None for a type not handled."""
    if isinstance(control, widget_int._BoundedIntRange):  # a period: drag the start right, then the end left
        ends = spread(range(control.min, control.max + 1), MAX_STEPS // 2)
        return "value", [(start, control.max) for start in ends] + [(control.min, end) for end in reversed(ends)]
    if isinstance(control, (widget_int._IntRange, widget_float._FloatRange,
                            widget_selection._MultipleSelection)):
        return None  # float range sliders and multi-selects: not used by the course yet
    if isinstance(control, widget_selection._Selection):  # Dropdown, ToggleButtons, SelectionSlider, ...
        return "index", spread(range(len(control.options)))
    if isinstance(control, widget_int._BoundedInt):
        return "value", spread(range(control.min, control.max + 1, control.step or 1))
    if isinstance(control, widget_float._BoundedFloat):
        count = MAX_STEPS if not control.step else min(MAX_STEPS, round((control.max - control.min) / control.step) + 1)
        return "value", [control.min + (control.max - control.min) * i / max(count - 1, 1) for i in range(count)]
    if isinstance(control, (widget_int._Int, widget_float._Float)):  # unbounded IntText, FloatText
        return "value", [control.value + i for i in range(1, 11)]
    if isinstance(control, (widgets.Text, widgets.Textarea)):
        typed = []
        for word in TYPED_WORDS:
            typed += [word[:n] for n in range(1, len(word) + 1)] + [""]
        return "value", typed
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return "value", [not control.value, control.value] * 5
    return None


class CountedTracebacks:
    """Counts callback errors: an Output widget catches them and shows a traceback, so they never raise here."""

    def __enter__(self):
        self.shell, self.count = get_ipython(), 0
        original = self.shell.showtraceback

        def counting(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)
        self.shell.showtraceback = counting
        return self

    def __exit__(self, *exc):
        del self.shell.showtraceback  # back to the class's method


def time_changes(control, trait, values):
    """Milliseconds per change; a value equal to the current one would trigger no redraw, so it is skipped."""
    original = getattr(control, trait)
    durations = []
    for value in values:
        if getattr(control, trait) == value:
            continue
        start = time.perf_counter()
        setattr(control, trait, value)
        durations.append((time.perf_counter() - start) * 1000)
    setattr(control, trait, original)  # leave the notebook as it was (untimed)
    return durations


def measure_control(control):
    plan = planned_changes(control)
    if plan is None:
        return {"durations_ms": [], "callback_errors": 0, "unsupported": type(control).__name__}
    with CountedTracebacks() as errors:
        durations = time_changes(control, *plan)
    return {"durations_ms": durations, "callback_errors": errors.count, "unsupported": None}


def draw_bare_line(step):
    """The cheapest chart of the course's size: default style, one line, shown as a PNG."""
    with plt.style.context("default"):
        fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
        ax.plot(range(1949, 2026), [(year * 7 + step) % 32 for year in range(1949, 2026)])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    display({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": "[Chart] baseline"},
            raw=True)


def baseline_durations():
    """The bare draw wired through the same interactive_output machinery as the course's controls."""
    slider = widgets.IntSlider(min=0, max=BASELINE_DRAWS)
    widgets.interactive_output(draw_bare_line, {"step": slider})  # draws once on creation: a warm-up
    return time_changes(slider, "value", range(1, BASELINE_DRAWS + 1))


def control_label(control):
    return (control.description or "").rstrip(":").strip() or type(control).__name__


def report_redraw_timings():
    controls = []
    for number, interactive in enumerate(interactives_in_creation_order(), start=1):
        for control in controls_of(interactive):
            controls.append({"interactive": number, "hint": interactive.hint, "control": control_label(control),
                             "type": type(control).__name__, **measure_control(control)})
    display({REPORT_MIME: {"controls": controls, "baseline_ms": baseline_durations(),
                           "backend": matplotlib.get_backend(), "python": sys.version.split()[0]}}, raw=True)
