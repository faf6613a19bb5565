"""The package's layers (data -> models -> charts -> widgets), as import-linter checks them (pyproject.toml)."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": ""})


def test_every_contract_is_kept():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 kept, 0 broken" in run.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "natocourse", tmp_path / "natocourse", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_a_model_that_imports_a_widget_breaks_the_layers(tmp_path):
    root = copy_of_the_package(tmp_path)
    games = root / "natocourse" / "models" / "games.py"
    games.write_text(games.read_text() + "\nfrom ..widgets.base import Interactive  # noqa\n")
    run = lint(root)
    assert run.returncode != 0
    assert "natocourse.models.games -> natocourse.widgets.base" in run.stdout


def test_one_lesson_s_charts_importing_another_s_break_independence(tmp_path):
    root = copy_of_the_package(tmp_path)
    chart = root / "natocourse" / "charts" / "dilemma.py"
    chart.write_text(chart.read_text() + "\nfrom .map import EnlargementMap  # noqa\n")
    run = lint(root)
    assert run.returncode != 0
    assert "natocourse.charts.dilemma -> natocourse.charts.map" in run.stdout


def test_a_model_that_draws_breaks_the_contract(tmp_path):
    root = copy_of_the_package(tmp_path)
    model = root / "natocourse" / "models" / "record.py"
    model.write_text(model.read_text() + "\nimport matplotlib  # noqa\n")
    assert lint(root).returncode != 0
