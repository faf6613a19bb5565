"""Shared code for the course notebooks: data, sources, charts, widgets and quizzes.

A notebook's setup cell reads ``import natocourse as course; course.setup()``.
"""
from .charts import setup_charts
from .data import DataError, load_table, validate_package
from .errors import CourseError, show_course_errors_plainly
from .quiz import QuizError, load_quiz
from .quiz_widget import show_quiz
from .sources import cite, show_sources

__all__ = ["CourseError", "DataError", "QuizError", "cite", "load_quiz", "load_table", "setup", "show_quiz",
           "show_sources", "validate_package"]


def setup() -> None:
    """Projector-sized chart style, and plain messages for problems in the course files."""
    setup_charts()
    show_course_errors_plainly()
