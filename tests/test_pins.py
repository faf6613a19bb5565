"""Binder and laptops must run the same versions: the pins of the two requirements files agree,
and on Binder they fit with what repo2docker's base image already holds."""
import json
import os
import re
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REPO2DOCKER_BASE = ROOT / "tests" / "fixtures" / "repo2docker_base_py311.txt"
# Binder's platform, for requirement markers such as `; sys_platform != "win32"`
BINDER = {"python_version": "3.11", "python_full_version": "3.11.14", "sys_platform": "linux",
          "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64",
          "implementation_name": "cpython", "platform_python_implementation": "CPython"}


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


# ---------------------------------------------------------------- Binder: our pins on top of repo2docker's base

def applies(requirement: Requirement, extras=()) -> bool:
    """Whether a requirement holds on Binder's platform, for a package installed with these extras."""
    return requirement.marker is None or any(requirement.marker.evaluate({**BINDER, "extra": extra})
                                             for extra in ("", *extras))


def repo2docker_base() -> tuple[dict[str, str], dict[str, list[Requirement]]]:
    """The base image's packages {name: version}, and the recorded requirements of its Jupyter applications."""
    versions, requires, current = {}, {}, None
    for line in REPO2DOCKER_BASE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            requires[current].append(Requirement(line.strip()))
        else:
            name, version = line.split("==")
            current = canonicalize_name(name)
            versions[current], requires[current] = version, []
    return versions, {name: reqs for name, reqs in requires.items() if reqs}


def installed_closure(lines: list[str]) -> dict[str, str]:
    """Every package the requirement lines bring, with the version installed here: {name: version}."""
    todo = [Requirement("natocourse" if line in (".", "-e .") else line) for line in lines]
    found, seen = {}, set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is required but not installed here: run `make setup` "
                        "(pip install -r requirements.txt).")
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{requirement} is required but {name} {version} is installed: run `make setup`, "
            "or change the pins so that they agree")
        found[name] = version
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        for line in metadata.requires(name) or []:
            dependency = Requirement(line)
            if applies(dependency, requirement.extras):
                todo.append(dependency)
    return found


def unmet(versions: dict[str, str], requires: dict[str, list[Requirement]]) -> list[str]:
    """The requirements that the packages of an environment {name: version} do not meet, as sentences."""
    problems = []
    for package, requirements in sorted(requires.items()):
        for requirement in requirements:
            have = versions.get(canonicalize_name(requirement.name))
            if applies(requirement) and (have is None or not requirement.specifier.contains(have, prereleases=True)):
                problems.append(f"{package} {versions.get(package)} needs {requirement}, but the Binder image "
                                f"would have {requirement.name} {have or '(not installed)'}")
    return problems


def left_broken_on_binder(lines: list[str]) -> list[str]:
    """What pip leaves broken on Binder: base packages our pins do not bring stay, and must accept our versions."""
    base, base_requires = repo2docker_base()
    ours = installed_closure(lines)
    untouched = {name: reqs for name, reqs in base_requires.items() if name not in ours}
    return unmet({**base, **ours}, untouched)


def binder_lines() -> list[str]:
    return requirement_lines(ROOT / "binder" / "requirements.txt")


def test_binder_pins_fit_repo2docker_base_image():
    problems = left_broken_on_binder(binder_lines())
    assert not problems, ("On Binder, " + "; ".join(problems) + ". Pin that package in requirements.txt and "
                          "binder/requirements.txt to a release that accepts our pins.")


def test_the_check_catches_the_old_notebook_of_the_base_image():
    """Without our notebook pin, repo2docker's notebook 7.4 would stay and want a JupyterLab older than ours."""
    without = [line for line in binder_lines() if not line.startswith("notebook==")]
    problems = left_broken_on_binder(without)
    assert any(p.startswith("notebook 7.4.7 needs jupyterlab<4.5") for p in problems), problems


def test_base_image_record_names_the_jupyter_applications():
    base, requires = repo2docker_base()
    for name in ("notebook", "jupyterlab", "jupyter-server", "jupyterhub", "ipywidgets"):
        assert name in base, f"{REPO2DOCKER_BASE.name} should list {name}"
    assert {"notebook", "jupyterhub", "jupyter-resource-usage", "jupyter-offlinenotebook"} <= set(requires)


def pypi_reachable() -> bool:
    """Whether pip's package index answers (through a proxy, if one is set, we assume it does)."""
    index = urlparse(os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple"))
    if index.hostname is None or os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy"):
        return True
    try:
        socket.create_connection((index.hostname, index.port or 443), timeout=5).close()
        return True
    except OSError:
        return False


def fake_base_environment(folder: Path) -> Path:
    """A Python environment whose installed packages look like repo2docker's base image (metadata only)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    site = next(folder.glob("lib/python3*/site-packages"), None) or folder / "Lib" / "site-packages"
    versions, requires = repo2docker_base()
    for name, version in versions.items():
        info = site / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True)
        lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                 *(f"Requires-Dist: {r}" for r in requires.get(name, []))]
        (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (info / "INSTALLER").write_text("conda\n", encoding="utf-8")
        (info / "RECORD").write_text("", encoding="utf-8")
    return next(p for p in (folder / "bin" / "python", folder / "Scripts" / "python.exe") if p.exists())


def test_pip_installs_binder_requirements_on_repo2docker_base_without_conflict(tmp_path):
    """What repo2docker does, dry: `pip install -r binder/requirements.txt` into the base image (needs PyPI)."""
    if not pypi_reachable():
        if os.environ.get("COURSE_REQUIRE_NETWORK"):
            pytest.fail("PyPI cannot be reached, and COURSE_REQUIRE_NETWORK says this test must run.")
        pytest.skip("PyPI cannot be reached: the Binder resolution was checked offline only.")
    python = fake_base_environment(tmp_path / "base")
    # "." (the course package) adds nothing to resolve: its dependencies are all pinned in the file already.
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(line for line in binder_lines() if line not in (".", "-e .")) + "\n",
                            encoding="utf-8")
    report = tmp_path / "report.json"
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--dry-run", "--quiet",
                          "--disable-pip-version-check", "--report", str(report), "-r", str(requirements)],
                         capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, f"pip cannot install binder/requirements.txt on repo2docker's base:\n{pip.stderr}"
    installed = {canonicalize_name(item["metadata"]["name"]): item["metadata"]
                 for item in json.loads(report.read_text(encoding="utf-8"))["install"]}
    base, base_requires = repo2docker_base()
    versions = {**base, **{name: meta["version"] for name, meta in installed.items()}}
    requires = {name: reqs for name, reqs in base_requires.items() if name not in installed}
    requires.update({name: [Requirement(r) for r in meta.get("requires_dist", [])] for name, meta in installed.items()})
    problems = unmet(versions, requires)
    assert not problems, "After pip on Binder, " + "; ".join(problems) + "."
