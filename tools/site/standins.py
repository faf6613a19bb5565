"""Static stand-ins for the site: what a reader without a kernel sees in place of each interactive view.

Every stand-in is drawn at build time by the course's own chart and table functions (``natocourse.widgets``),
never by running a notebook: the ``show_*`` function a widget redraws with is called at a few marked settings and
its displayed outputs (charts with their alt text, tables) are captured.

- ``PREDICTIONS``: prediction key -> (what Reveal shows, the answer line or None). The site puts both behind a
  ``<details>`` reveal; a key of a lesson with no entry here stops the build, naming the key.
- ``WIDGETS``: the name of the function a widget cell calls -> its stand-in, a list of panels (label, draw), in
  chronological or logical order. Several panels become a stepped gallery on the site (a row of buttons over one
  chart at a time, starting at the lesson's own setting; without JavaScript, all in order).

Both the site (tools/site/build.py) and the printed worksheets (tools/handouts/build.py) read a lesson's cells
with ``prediction_of``, ``quiz_of`` and ``widget_of``, find the stand-in with ``cell_stand_in`` and draw it with
``capture``: one reading and one drawing for both.
"""
from __future__ import annotations

import ast
import base64
import functools
import html
import io
import numbers
from collections.abc import Callable
from dataclasses import dataclass

Panel = tuple[str, Callable[[], None]]


class StandInMissing(KeyError):
    """A prediction or widget of a lesson has no stand-in; the message names it and where to add one."""

    def __str__(self) -> str:
        return self.args[0]


# ---------------------------------------------------------------- the course's tables, loaded once

@functools.cache
def table(name: str):
    import natocourse as course
    return course.load_table(name)


@functools.cache
def per_year():
    from natocourse.models.enlargement import enlargement_per_year
    return enlargement_per_year(table("members"))


def shown(value, unit: str = "") -> str:
    """A number as a class reads it (2004, 12,500, 33%), with its unit; text as it is."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = int(value) if float(value).is_integer() else round(float(value), 2)
        text = f"{value:,}" if abs(value) >= 10_000 else str(value)
        return text + (unit if unit.startswith("%") else f" {unit}" if unit else "")
    return str(value)


# ---------------------------------------------------------------- predictions: what Reveal shows, and the answer

def _waves_since_1990():
    from natocourse.models.enlargement import waves_table
    return int((waves_table(table("members"))["wave"].astype(int) > 1990).sum())


def _capital_1000km():
    years = per_year()
    return int(years.loc[years["moscow_km"] < 1000, "year"].min())


def _border_gain():
    gained = per_year().set_index("year")["border_km"].diff()
    joined = {"Poland (1999)": 1999, "the three Baltic states (2004)": 2004, "Finland (2023)": 2023}
    return max(joined, key=lambda name: gained[joined[name]])


def _most_dangerous_world():
    worlds = table("jervis_worlds").set_index("world_id")
    world = worlds[worlds["name"] == "Doubly dangerous"].iloc[0]
    return (f"{world['advantage']} has the advantage, postures "
            f"{'can' if world['distinguishable'] == 'yes' else 'cannot'} be told apart")


def _game_outcome():
    from natocourse.models.games import Game
    names = {("restrain", "restrain"): "both restrain", ("arm", "arm"): "both arm",
             ("arm", "restrain"): "one arms, the other restrains", ("restrain", "arm"): "one arms, the other restrains"}
    return " or ".join(sorted({names[pair] for pair in Game(T=5, R=3, P=1, S=0).pure_nash()}))


def _stag_hunt():
    from natocourse.models.games import Game
    return Game(T=3, R=4, P=2, S=1)


def _tft_restraint():
    from natocourse.models.iterated import RESTRAIN, play, strategies
    tft = strategies()["tit for tat"]
    return round(40 * play(tft, tft, rounds=40, noise=0.1, seed=1).share(RESTRAIN, RESTRAIN))


def _forgiveness():
    from natocourse.models.iterated import restraint_by_noise, strategies
    restraint = lambda name: restraint_by_noise(strategies()[name], strategies()[name], [0.1])[0]
    generous, plain = restraint("generous tit for tat (33% forgiving)"), restraint("tit for tat")
    return ("much more often" if generous > 2 * plain else "less often" if generous < plain else "a little more often")


def _fits():
    from natocourse.models.richardson import fit_richardson, load_spending
    return {"Richardson's figures": fit_richardson(load_spending(table("richardson_1909_1913"))),
            "Correlates of War": fit_richardson(load_spending(table("cow_milex_1909_1913")))}


def _show_fits():
    from IPython.display import display

    from natocourse.models.richardson import leave_one_out
    from natocourse.widgets.dilemma import show_fits
    show_fits(_fits())
    display(leave_one_out(_fits()["Correlates of War"]).round(2).rename(columns=str.capitalize))


def _agreements_share():
    from natocourse.models.record import agreement_record
    agreements = agreement_record(table("events"))
    return round(100 * agreements.get("implemented", 0) / agreements.sum())


def _forum_failures():
    from natocourse.models.record import FAILED, outcome_tally
    forums = {"NATO summits": "NATO summit", "the Trilateral Contact Group": "Trilateral Contact Group", "the UN": "UN",
              "talks between two governments (bilateral)": "bilateral"}
    failures = outcome_tally(table("events"), by="forum").reindex(columns=list(FAILED), fill_value=0).sum(axis=1)
    return max(forums, key=lambda name: failures.get(forums[name], 0))


def _minsk():
    meaning = {"implemented": "implemented in full", "partially implemented": "partly implemented and still in force",
               "ongoing": "still being negotiated", "collapsed": "collapsed"}
    return meaning[table("events").set_index("event_id").loc["minsk_ii", "outcome"]]


def _eve_of_war():
    from natocourse.models.record import close_up, negotiated
    window = close_up(table("events"))
    agreed = ("implemented", "partially implemented", "adopted", "signed")
    return int(window[negotiated(window)]["outcome"].isin(agreed).sum())


def _since_2024():
    from natocourse.models.record import negotiated
    events = table("events")
    since = events[events["date"].dt.year >= 2024]
    return int((since[negotiated(since)]["outcome"] == "implemented").sum())


def _w(module: str, name: str):
    """A function of natocourse.widgets.<module>, imported when first called (the build imports it once)."""
    def call(*args, **kwargs):
        import importlib
        return getattr(importlib.import_module(f"natocourse.widgets.{module}"), name)(*args, **kwargs)
    return call


def _claims(section):
    return lambda: _w("reference", "show_claims")(table("claims"), section=section)


def _both(*draws):
    def draw():
        for each in draws:
            each()
    return draw


def _waves_reveal():
    from IPython.display import display

    from natocourse.models.enlargement import turning_points, waves_table
    display(waves_table(table("members")).rename(columns=str.capitalize).rename(columns=lambda c: c.replace("_", " ")))
    _w("enlargement", "show_timeline")(per_year(), turning_points(table("events")))


def _border_reveal():
    from IPython.display import display
    members = table("members")
    borders = members.loc[members["borders_russia_today"], ["country", "joined", "russia_border_km",
                                                            "russia_border_km_range"]]
    _w("enlargement", "show_closeness")(per_year())
    display(borders.set_axis(["Country", "Member since", "Border with Russia (km)", "Published figures (km)"], axis=1))


def _members_1990():
    from natocourse.models.enlargement import members_per_year
    return int(members_per_year(table("members")).set_index("year").loc[1990, "members"])


class Gallery:
    """A reveal that shows an explorer: its panels in their order, starting at the notebook's own setting
    (``first``: its label)."""

    def __init__(self, panels: Callable[[], list[Panel]], first: Callable[[], str] | str | None = None):
        self.panels_of, self.first = panels, first

    def panels(self) -> list[Panel]:
        return self.panels_of()

    def start(self, panels: list[Panel]) -> int:
        """The index of the panel the lesson reveals first (0 when it names none of them)."""
        first = self.first() if callable(self.first) else self.first
        return next((i for i, (label, _draw) in enumerate(panels) if label == first), 0)


# key -> (what Reveal shows, the answer: a function giving (value, unit), or None when the guess stands alone)
PREDICTIONS: dict[str, tuple[Callable[[], None], Callable[[], tuple] | None]] = {
    "00_members_1990": (Gallery(lambda: _membership_panels(), "1990"), lambda: (_members_1990(), "members")),
    "01_waves": (_waves_reveal, lambda: (_waves_since_1990(), "waves")),
    "01_capital_1000km": (Gallery(lambda: _map_panels(), lambda: str(_capital_1000km())),
                          lambda: (_capital_1000km(), "")),
    "01_border": (_border_reveal, lambda: (_border_gain(), "")),
    "01_bucharest": (_claims("bucharest"), None),
    "01_finland_sweden": (_claims("finland_sweden"), None),
    "02_worlds": (Gallery(lambda: _worlds_panels(), lambda: _world_label("Doubly dangerous")), lambda: (_most_dangerous_world(), "")),
    "02_game": (Gallery(lambda: _game_panels(), "T=5 R=3 P=1 S=0"), lambda: (_game_outcome(), "")),
    "02_offence": (Gallery(lambda: _offence_panels(), "offence advantage +2"),
                   lambda: (_stag_hunt().with_offence_advantage(2).name, "")),
    "03_tft_noise": (lambda: _w("dilemma", "show_match")("tit for tat", "tit for tat", noise=0.1, seed=1),
                     lambda: (_tft_restraint(), "rounds")),
    "03_forgiveness": (lambda: _w("dilemma", "show_noise_effect")(), lambda: (_forgiveness(), "")),
    "03_richardson": (Gallery(lambda: _richardson_panels(), "settles: k=l=0.5, a=b=0.8"),
                      lambda: ("it settles" if _richardson(0.5, 0.5, 0.8, 0.8).is_stable() else "it runs away", "")),
    "03_second_series": (_show_fits, lambda: ("yes, positive" if _fits()["Correlates of War"].slope > 0
                                              else "no, flat or negative", "")),
    "04_agreements": (lambda: _w("record", "show_agreements")(table("events")), lambda: (_agreements_share(), "%")),
    "04_forum": (lambda: _w("record", "show_outcomes")(table("events"), by="forum"), lambda: (_forum_failures(), "")),
    "04_minsk": (lambda: _w("record", "show_findings")(table("findings"), table("events"), kind="recommendation"),
                 lambda: (_minsk(), "")),
    "05_eve_of_war": (_both(lambda: _w("record", "show_close_up")(table("events")),
                            lambda: _w("record", "show_standoff")(table("claims"))),
                      lambda: (_eve_of_war(), "agreements")),
    "05_peace_talks": (_claims("peace_talks"), None),
    "05_since_2024": (lambda: _w("record", "show_overview")(table("events"), years=(2024, 2026)),
                      lambda: (_since_2024(), "acts")),
}


def _membership(year):
    from natocourse.models.enlargement import members_per_year
    _w("enlargement", "show_membership")(members_per_year(table("members")), year)


def _world_name(w) -> str:
    return (f"{w.advantage} has the advantage, postures "
            f"{'can' if w.distinguishable == 'yes' else 'cannot'} be told apart")


def _world_label(name: str) -> str:
    return next(_world_name(w) for w in table("jervis_worlds").itertuples() if w.name == name)


def _richardson(k, l, a, b):
    from natocourse.models.richardson import RichardsonModel
    return RichardsonModel(k=k, l=l, a=a, b=b, g=2, h=2)


def answer_line(key: str) -> str | None:
    """ "The record: 16 members" (or None: a prediction read beside the claims, with no answer to compute)."""
    _reveal, answer = prediction(key)
    if answer is None:
        return None
    value, unit = answer()
    return f"The record: {shown(value, unit)}"


def prediction(key: str):
    if key not in PREDICTIONS:
        raise StandInMissing(f'The prediction "{key}" has no static stand-in for the site: add it to PREDICTIONS '
                             "in tools/site/standins.py (what its Reveal shows, and its answer).")
    return PREDICTIONS[key]


# ---------------------------------------------------------------- widgets: a few marked settings each

def _wave_years():
    from natocourse.models.enlargement import waves_table
    return sorted({1990, *(int(w) for w in waves_table(table("members"))["wave"])})


def _map_panels():
    show = _w("enlargement", "show_enlargement_map")
    return [(str(year), functools.partial(show, table("members"), year)) for year in _wave_years()]


def _membership_panels():
    return [(str(year), functools.partial(_membership, year)) for year in (1949, 1990, 1999, 2004, 2024)]


def _worlds_panels():
    worlds = table("jervis_worlds")
    show = _w("dilemma", "show_world")
    return [(_world_name(w), functools.partial(show, worlds, w.world_id)) for w in worlds.itertuples()]


def _game_panels():
    show = _w("dilemma", "show_game")
    settings = {"T=5 R=3 P=1 S=0": (5, 3, 1, 0), "T=3 R=4 P=2 S=1": (3, 4, 2, 1), "T=3 R=2 P=0 S=1": (3, 2, 0, 1),
                "T=3 R=4 P=1 S=2": (3, 4, 1, 2)}
    return [(label, functools.partial(show, *values)) for label, values in settings.items()]


def _offence_panels():
    show = _w("dilemma", "show_offence_game")
    label = lambda a: f"offence advantage {a:+g}" if a else "no offence advantage"
    return [(label(a), functools.partial(show, _stag_hunt(), a)) for a in (-1, 0, 1, 2)]


def _match_panels():
    show = _w("dilemma", "show_match")
    settings = [("tit for tat, no noise", "tit for tat", "tit for tat", 0.0),
                ("tit for tat, 10% noise", "tit for tat", "tit for tat", 0.1),
                ("generous, 10% noise", "generous tit for tat (33% forgiving)", "generous tit for tat (33% forgiving)", 0.1),
                ("grim trigger, 10% noise", "grim trigger", "grim trigger", 0.1),
                ("tit for tat vs always arm", "tit for tat", "always arm", 0.0)]
    return [(label, functools.partial(show, a, b, noise=noise, seed=1)) for label, a, b, noise in settings]


def _richardson_panels():
    show = _w("dilemma", "show_richardson")
    settings = [("settles: k=l=0.5, a=b=0.8", dict(k=0.5, l=0.5, a=0.8, b=0.8, g=2, h=2)),
                ("runs away: k=l=1, a=b=0.5", dict(k=1, l=1, a=0.5, b=0.5, g=2, h=2)),
                ("one-sided: k=1.5, l=0.2", dict(k=1.5, l=0.2, a=0.8, b=0.8, g=2, h=2)),
                ("goodwill: g=h=-2", dict(k=0.5, l=0.5, a=0.8, b=0.8, g=-2, h=-2))]
    return [(label, functools.partial(show, **values)) for label, values in settings]


def _record_panels():
    show = _w("record", "show_overview")
    periods = [(1990, 2026), (1990, 1999), (2000, 2013), (2014, 2021), (2022, 2026)]
    return [(f"{a}-{b}", functools.partial(show, table("events"), years=(a, b))) for a, b in periods]


def _claims_panels(theme):
    from natocourse.claims import perspectives
    show = _w("reference", "show_claims")
    claims = table("claims")
    return [("all perspectives", functools.partial(show, claims, theme=theme))] + [
        (p, functools.partial(show, claims, theme=theme, perspective=p)) for p in perspectives(claims, theme)]


def _findings_panels():
    from natocourse.widgets.record import FINDING_KINDS
    show = _w("record", "show_findings")
    kinds = dict.fromkeys(table("findings")["kind"])
    return [(FINDING_KINDS.get(k, k), functools.partial(show, table("findings"), table("events"), kind=k)) for k in kinds]


def _glossary_panels():
    show = _w("reference", "show_glossary")
    glossary = table("glossary")
    return [(c, functools.partial(show, glossary, category=c)) for c in sorted(glossary["category"].unique())]


def _html(markup: str):
    def draw():
        from IPython.display import HTML, display
        display(HTML(markup))
    return draw


@functools.cache
def _room():
    from natocourse.widgets.negotiation import NegotiationRoom
    return NegotiationRoom("jan2022")


def _scenarios_panels():
    room = _room()
    rows = []
    for s in room.scenarios.values():
        names = ", ".join(s.delegation_names().values())
        rows.append(f"<p><b>{html.escape(s.title)}</b>: {len(s.delegations)} delegations ({html.escape(names)}); "
                    f"{len(s.issues)} issues.</p>")
    return [("the two scenarios", _html("".join(rows)))]


def _cards_panels():
    from natocourse.models.negotiation import role_card
    from natocourse.widgets.negotiation import card_html
    room = _room()
    panels = []
    for s in room.scenarios.values():
        for key, name in s.delegation_names().items():
            panels.append((f"{name} ({s.title.split(':')[0]})",
                           _html(card_html(role_card(s, key), room.sources))))
    return panels


def _board_panels():
    from natocourse.charts.negotiation import board
    from natocourse.models.negotiation import apply_rounds

    def draw(s):
        from IPython.display import HTML, display
        for chart, summary in board(s, apply_rounds(s, [])).values():
            display(HTML(chart), metadata={"text/html": {"alt": summary}})  # an HTML chart, with its alt text
            print(summary)
    return [(f"{s.title} (before the first round)", functools.partial(draw, s)) for s in _room().scenarios.values()]


def _debrief_panels():
    from natocourse.widgets.negotiation import debrief_html
    room = _room()
    return [(s.title, _html(debrief_html(s, [], table("events"), room.sources))) for s in room.scenarios.values()]


def _in_class(what: str):
    return lambda: [("in class", _html(f"<p><i>{html.escape(what)} It works in the live lesson (Run this lesson "
                                       "live, above) or on the teacher's screen.</i></p>"))]


WIDGETS: dict[str, Callable[[], list[Panel]]] = {
    "membership_slider": _membership_panels,
    "enlargement_map_slider": _map_panels,
    "worlds_explorer": _worlds_panels,
    "game_explorer": _game_panels,
    "offence_explorer": _offence_panels,
    "match_explorer": _match_panels,
    "richardson_explorer": _richardson_panels,
    "record_explorer": _record_panels,
    "claims_explorer": None,  # its theme comes from the cell: see widget_panels
    "findings_explorer": _findings_panels,
    "glossary_explorer": _glossary_panels,
    "who_argues_what": lambda: [("counts of claims", lambda: _w("negotiation", "show_who_argues_what")(table("claims")))],
    "chooser_view": _scenarios_panels,
    "cards_view": _cards_panels,
    "board_view": _board_panels,
    "debrief_view": _debrief_panels,
    "recorder_view": _in_class("Here the class records each proposal and every delegation's answer."),
    "record_view": _in_class("Here the recorded rounds are listed, and exported for the debrief."),
}


def widget_panels(name: str, keywords: dict) -> list[Panel]:
    """The panels standing in for the widget cell that calls ``name`` (``keywords``: its literal arguments)."""
    if name == "claims_explorer":
        return _claims_panels(keywords.get("theme"))
    if WIDGETS.get(name) is None:
        raise StandInMissing(f'The interactive view "{name}" has no static stand-in for the site: add it to WIDGETS '
                             "in tools/site/standins.py.")
    return WIDGETS[name]()


# ---------------------------------------------------------------- reading a lesson's cells (the site and the worksheets)

def _calls(source: str):
    """Every call in a cell: (function name, literal positional args, literal keyword args)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            kwargs = {k.arg: k.value.value for k in node.keywords if k.arg and isinstance(k.value, ast.Constant)}
            found.append((name, args, kwargs, node))
    return found


def prediction_of(source: str):
    """(key, prompt) of the cell's ``predict(...)``, or None."""
    for name, args, _kwargs, _node in _calls(source):
        if name == "predict" and len(args) >= 2 and isinstance(args[0], str):
            return args[0], args[1]
    return None


def quiz_of(source: str):
    for name, args, _kwargs, _node in _calls(source):
        if name == "show_quiz" and args and isinstance(args[0], str):
            return args[0]
    return None


def widget_of(source: str):
    """(function name, literal keywords) of the last top-level call of a widget cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        kwargs = {k.arg: k.value.value for k in last.value.keywords if k.arg and isinstance(k.value, ast.Constant)}
        return name, kwargs
    return None


def interactive_hint(outputs: list) -> str:
    """The "[Interactive] ..." line a widget cell saves in place of its view ("" when there is none)."""
    for output in outputs:
        plain = output.get("data", {}).get("text/plain", "")
        plain = "".join(plain) if isinstance(plain, list) else plain
        if plain.startswith("[Interactive]"):
            return plain
    return ""


@dataclass
class StandIn:
    """What stands in for an interactive cell: ``kind`` "prediction" (``name``: its key, ``panels``: what its
    Reveal shows), "widget" (``name``: the function it calls) or "quiz" (``name``: the quiz, no panels);
    ``start``: the panel the lesson shows first."""
    kind: str
    name: str
    panels: list[Panel]
    start: int = 0
    prompt: str = ""


def reveal_panels(key: str) -> tuple[list[Panel], int]:
    """What a prediction's Reveal shows, as panels, and the one the lesson reveals first."""
    reveal, _answer = prediction(key)
    if isinstance(reveal, Gallery):
        panels = reveal.panels()
        return panels, reveal.start(panels)
    return [("", reveal)], 0


def cell_stand_in(source: str, tags=(), outputs=()) -> StandIn | None:
    """The stand-in of a code cell, or None for a cell whose saved outputs are shown as they are.

    Raises StandInMissing (naming the key or the function) when an interactive cell has none."""
    predicted = prediction_of(source)
    if predicted:
        panels, start = reveal_panels(predicted[0])
        return StandIn("prediction", predicted[0], panels, start, predicted[1])
    quiz = quiz_of(source)
    if quiz:
        return StandIn("quiz", quiz, [])
    if "widget" in tags or interactive_hint(list(outputs)):
        name, kwargs = widget_of(source) or (None, {})
        return StandIn("widget", name, widget_panels(name, kwargs))
    return None


# ---------------------------------------------------------------- drawing a stand-in: what it displays, captured

@dataclass
class Shown:
    """One thing a stand-in displayed: ``kind`` "png" (``data``: bytes, ``alt``: its text alternative), "html"
    (a table, or a chart drawn in HTML, which has an ``alt``), "text", or "caption" (a printed line: a chart's
    summary)."""
    kind: str
    data: bytes | str
    alt: str = ""


def capture(draw: Callable[[], None]) -> list[Shown]:
    """What ``draw()`` displays (charts with their alt text, tables, text), then the lines it printed."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    InteractiveShell.instance()
    with capture_output() as cap:
        draw()
    shown = []
    for output in cap.outputs:
        data, meta = output.data, output.metadata or {}
        if "image/png" in data:
            png = data["image/png"]
            png = base64.b64decode(png) if isinstance(png, str) else png
            alt = (meta.get("image/png") or {}).get("alt") or str(data.get("text/plain", "")).removeprefix("[Chart] ")
            shown.append(Shown("png", png, alt))
        elif "text/html" in data:  # a table, or a chart drawn in HTML (with its alt text)
            shown.append(Shown("html", data["text/html"], (meta.get("text/html") or {}).get("alt", "")))
        elif "text/plain" in data:
            shown.append(Shown("text", data["text/plain"]))
    shown += [Shown("caption", line) for line in (cap.stdout or "").splitlines() if line]
    return shown


def smaller_png(png: bytes, max_width: int = 1100) -> bytes:
    """A chart at most ``max_width`` pixels wide, in 256 colours: a tenth of the bytes, the same to the eye."""
    from PIL import Image
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    if picture.width > max_width:
        picture = picture.resize((max_width, round(picture.height * max_width / picture.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    # fast octree: a third of median cut's time (and fewer bytes); zlib's optimize would treble it for 7 % less
    picture.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return buffer.getvalue()
