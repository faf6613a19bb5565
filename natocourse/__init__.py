"""Shared code for the course notebooks: data, sources, charts, widgets and quizzes.

A lesson needs one import line, ``import natocourse as course``: its setup cell calls ``course.setup()``, and
every cell after it reaches what it uses as ``course.<name>`` (``course.show_enlargement_map(members,
year=1990)``). The names in ``LESSON_NAMES`` are imported from their module the first time a cell uses one, so
a lesson loads only the modules it needs, and a Jupyter server that loads the package's extension
(``natocourse.notebook_runner``) does not load pandas or matplotlib with it.
"""
import importlib

# what the lessons' cells call, by the module that holds it (models compute; widgets draw and respond)
LESSON_NAMES = {
    "data": ["DataError", "load_table", "validate_package"],
    "errors": ["CourseError"],
    "sources": ["cite", "show_sources"],
    "quiz.model": ["QuizError", "load_quiz"],
    "quiz.view": ["show_quiz"],
    "models.enlargement": ["members_per_year", "enlargement_per_year", "turning_points", "waves_table"],
    "models.games": ["Game"],
    "models.iterated": ["RESTRAIN", "play", "restraint_by_noise", "strategies"],
    "models.richardson": ["RichardsonModel", "fit_richardson", "leave_one_out", "load_spending"],
    "models.record": ["FAILED", "agreement_record", "outcome_tally", "close_up", "negotiated"],
    "widgets.predict": ["predict"],
    "widgets.reference": ["show_claims", "claims_explorer", "show_glossary", "glossary_explorer"],
    "widgets.enlargement": ["membership_slider", "show_enlargement_map", "enlargement_map_slider", "show_timeline",
                            "show_closeness"],
    "widgets.dilemma": ["worlds_explorer", "game_explorer", "offence_explorer", "match_explorer", "show_match",
                        "show_noise_effect", "richardson_explorer", "show_fits"],
    "widgets.record": ["record_explorer", "show_events", "show_outcomes", "show_agreements", "findings_explorer",
                       "show_overview", "show_close_up", "show_standoff"],
    "widgets.negotiation": ["NegotiationRoom", "who_argues_what"],
}
_MODULE_OF = {name: module for module, names in LESSON_NAMES.items() for name in names}

__all__ = ["CourseError", "DataError", "QuizError", "cite", "load_quiz", "load_table", "setup", "show_quiz",
           "show_sources", "validate_package"]


def setup() -> None:
    """Projector-sized chart style, tables that show whole names, and plain messages for problems."""
    import pandas as pd

    from .charts.style import setup_charts
    from .errors import show_course_errors_plainly
    setup_charts()
    pd.set_option("display.max_colwidth", None)  # a table must not cut a country or a title short
    show_course_errors_plainly()


def __getattr__(name: str):
    """``course.show_enlargement_map`` and the other lesson names, imported on first use."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'natocourse' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})  # so that Tab completes course.show_<Tab> in a notebook
