"""The one exception family the course raises for people, and how a notebook shows it.

A teacher who mistyped a CSV row or a quiz file should see one plain sentence
naming the file, the row or question, and what was expected, not a traceback;
so should a student who typed a value a function cannot use.

>>> choose("enlargment", ["enlargement", "diplomacy"], "theme")
Traceback (most recent call last):
...
natocourse.errors.InputError: "enlargment" is not a theme the course knows. Did you mean "enlargement"? Choose one of: enlargement, diplomacy.
>>> number("a", "k")
Traceback (most recent call last):
...
natocourse.errors.InputError: k must be a number; you gave 'a'.
"""
from __future__ import annotations

import difflib
import numbers


LONGEST_LIST = 12  # choices listed in a message; a longer list (every event id) would bury the sentence


class CourseError(Exception):
    """A problem a teacher or student can fix; its message says how."""


class InputError(CourseError):
    """A value typed into a cell (a year, a name, a setting) that the function cannot use."""


def choose(value, choices, what: str):
    """``value`` if it is one of ``choices``; otherwise an InputError that lists them (and the nearest one)."""
    choices = [str(c) for c in choices]
    if str(value) in choices:
        return value
    near = difflib.get_close_matches(str(value), choices, n=1)
    hint = f' Did you mean "{near[0]}"?' if near else ""
    listed = f' Choose one of: {", ".join(choices)}.' if len(choices) <= LONGEST_LIST else ""  # else only the hint
    raise InputError(f'"{value}" is not a {what} the course knows.{hint}{listed}')


def number(value, what: str, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a float if it is a number within [low, high]; otherwise an InputError saying what is allowed."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{what} must be a number; you gave {value!r}.")
    if (low is not None and value < low) or (high is not None and value > high):
        limits = f"from {low} to {high}" if low is not None and high is not None else \
            (f"at least {low}" if low is not None else f"at most {high}")
        raise InputError(f"{what} must be {limits}; you gave {value}.")
    return float(value)


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
        if isinstance(error, InputError):
            print(error)
            print("Change the value in the cell and run it again.")
        else:
            print(f"Problem in the course files: {error}")
            print("Fix the file named above and run the cell again.")

    shell.set_custom_exc((CourseError,), handler)
