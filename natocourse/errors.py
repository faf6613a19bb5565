"""The one exception family the course raises for people, and how a notebook shows it.

A teacher who mistyped a CSV row or a quiz file should see one plain sentence
naming the file, the row or question, and what was expected, not a traceback.
"""
from __future__ import annotations


class CourseError(Exception):
    """A problem a teacher or student can fix; its message says how."""


def show_course_errors_plainly() -> None:
    """In IPython, print a CourseError as its message alone (other errors keep their traceback)."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: a traceback is fine there
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, kind, error, traceback, tb_offset=None):
        print(f"Problem in the course files: {error}")
        print("Fix the file named above and run the cell again.")

    shell.set_custom_exc((CourseError,), handler)
