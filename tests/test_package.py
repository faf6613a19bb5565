"""The package's front door (natocourse/__init__.py): one import line per lesson, every name a lesson calls found."""
import ast
import importlib
from pathlib import Path

import nbformat
import pytest

import natocourse

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
LESSON_NAMES = [(module, name) for module, names in natocourse.LESSON_NAMES.items() for name in names]


@pytest.mark.parametrize("module, name", LESSON_NAMES, ids=[name for _, name in LESSON_NAMES])
def test_each_lesson_name_is_the_object_of_its_module(module, name):
    assert getattr(natocourse, name) is getattr(importlib.import_module(f"natocourse.{module}"), name)
    assert name in dir(natocourse)  # Tab completion in a notebook offers it


def test_a_misspelt_name_is_an_attribute_error_that_names_it():
    with pytest.raises(AttributeError, match="no attribute 'show_enlargment_map'"):
        natocourse.show_enlargment_map  # noqa: B018


def _code(path: Path) -> ast.Module:
    cells = nbformat.read(path, as_version=4).cells
    return ast.parse("\n".join(c.source for c in cells if c.cell_type == "code"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_lesson_has_one_import_line_and_calls_only_names_the_package_has(path):
    tree = _code(path)
    imports = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert imports == ["import natocourse as course"]
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "course"}
    assert used, "the lesson calls nothing from the course's package"
    missing = sorted(name for name in used if not hasattr(natocourse, name))
    assert not missing, f"{path.name} calls course.{missing[0]}, which the package does not have"
