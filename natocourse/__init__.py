"""Shared code for the course notebooks: data, sources, charts, widgets and quizzes.

A notebook's setup cell reads ``import natocourse as course; course.setup()``.
"""
import pandas as pd

from .charts.style import setup_charts
from .data import DataError, load_table, validate_package
from .errors import CourseError, show_course_errors_plainly
from .quiz.model import QuizError, load_quiz
from .quiz.view import show_quiz
from .sources import cite, show_sources

__all__ = ["CourseError", "DataError", "QuizError", "cite", "load_quiz", "load_table", "setup", "show_quiz",
           "show_sources", "validate_package"]


def setup() -> None:
    """Projector-sized chart style, tables that show whole names, and plain messages for problems."""
    setup_charts()
    pd.set_option("display.max_colwidth", None)  # a table must not cut a country or a title short
    show_course_errors_plainly()
