"""Binder and laptops must run the same versions: the pins of the two requirements files agree."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirement_lines(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in requirement_lines(path):
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_binder_and_laptop_pins_are_identical():
    assert pins(ROOT / "binder" / "requirements.txt") == pins(ROOT / "requirements.txt")


def test_every_runtime_requirement_is_pinned_exactly():
    for line in requirement_lines(ROOT / "requirements.txt"):
        assert "==" in line or line in ("-e .", "."), f"not pinned exactly: {line}"


def test_jupyterlab_and_widget_packages_are_pinned_together():
    pinned = pins(ROOT / "requirements.txt")
    for package in ("jupyterlab", "ipywidgets", "jupyterlab-widgets", "widgetsnbextension", "ipykernel"):
        assert package in pinned, f"{package} is not pinned"


def test_binder_installs_the_course_package():
    lines = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert "." in lines or "-e ." in lines, "binder/requirements.txt must install the package itself"


def test_binder_python_matches_the_one_ci_tests_with():
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    version = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert version, f"binder/runtime.txt should read like python-3.11, not {runtime!r}"
    assert f"python{version.group(1)}" in ci, "CI must test with the Python that Binder uses"


def test_test_tools_are_pinned_too():
    for line in requirement_lines(ROOT / "requirements-test.txt"):
        assert line.startswith("-r ") or "==" in line, f"not pinned exactly: {line}"
