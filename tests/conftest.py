"""Fixtures several test files share: the course's own tables, read once per module."""
import pytest

from natocourse.data import load_table


@pytest.fixture(scope="module")
def events():
    return load_table("events")


@pytest.fixture(scope="module")
def findings():
    return load_table("findings")
