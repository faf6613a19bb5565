"""Binder, CI and laptops must run the same versions: the pins of the requirements files agree, one lock
(constraints.txt) holds every package they bring at the version tested and every install goes through it,
pyproject.toml declares what the package imports, and on Binder it all fits with repo2docker's base image."""
import ast
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
import tomllib
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"
REPO2DOCKER_BASE = ROOT / "tests" / "fixtures" / "repo2docker_base_py311.txt"
# Binder's platform, for requirement markers such as `; sys_platform != "win32"`
BINDER = {"python_version": "3.11", "python_full_version": "3.11.14", "sys_platform": "linux",
          "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64",
          "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def requirement_lines(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def package_lines(path: Path) -> list[str]:
    """The lines that name a package (the course's own as "." or "-e ."), without options such as -r and -c."""
    return [line for line in requirement_lines(path) if not line.startswith("-") or line == "-e ."]


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


# ---------------------------------------------------------------- the lock: constraints.txt

def locked() -> dict[str, list[Requirement]]:
    """The lock's entries by package: one, or one per platform or Python where they differ (a marker says which)."""
    entries: dict[str, list[Requirement]] = {}
    for line in requirement_lines(LOCK):
        requirement = Requirement(line)
        assert len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "==", (
            f"constraints.txt should pin exactly, not {line!r}: write it with `make lock`")
        entries.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return entries


def locked_version(name: str, environment: dict[str, str]) -> str | None:
    """The version the lock gives a package on a platform, or None if it gives none there."""
    for requirement in locked().get(canonicalize_name(name), []):
        if requirement.marker is None or requirement.marker.evaluate(environment):
            return next(iter(requirement.specifier)).version
    return None


def test_lock_holds_every_hand_pinned_version():
    lock = locked()
    for path in (ROOT / "requirements.txt", ROOT / "requirements-test.txt"):
        for name, version in pins(path).items():
            versions = {next(iter(r.specifier)).version for r in lock.get(canonicalize_name(name), [])}
            assert versions == {version}, (f"{path.name} pins {name}=={version}, constraints.txt has "
                                           f"{sorted(versions) or 'nothing'}: run `make lock`")


def test_lock_is_complete_and_this_environment_matches_it():
    """Every package the course and its tests bring here is locked, at the version installed, and no other."""
    here = default_environment()
    closure = installed_closure(package_lines(ROOT / "requirements.txt")
                                + package_lines(ROOT / "requirements-test.txt"), here)
    closure.pop("natocourse")  # the course's own package is installed from the clone, never locked
    for name, version in sorted(closure.items()):
        assert locked_version(name, here) is not None, (
            f"{name} is installed for the course or its tests but missing from constraints.txt: run `make lock`")
        assert locked_version(name, here) == version, (
            f"constraints.txt locks {name}=={locked_version(name, here)} but {version} is installed: "
            "run `make setup-test` (or `make lock` if the lock is what is behind)")
    stale = sorted(name for name in locked() if locked_version(name, here) and name not in closure)
    assert not stale, f"constraints.txt locks {', '.join(stale)}, which nothing needs any more: run `make lock`"


def test_laptop_ci_and_binder_all_install_through_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line and " -r requirements" in line]
    assert len(installs) >= 2, "the Makefile's setup should install requirements.txt and requirements-test.txt"
    for line in installs:
        assert "-c constraints.txt" in line, f"the Makefile installs without the lock: {line.strip()}"
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), "CI should install through make"
    binder = ROOT / "binder" / "requirements.txt"
    constraints = [line.split(maxsplit=1)[1] for line in requirement_lines(binder) if line.startswith("-c ")]
    # pip reads a path inside a requirements file from that file's folder; repo2docker runs from the clone's top
    assert [(binder.parent / path).resolve() for path in constraints] == [LOCK], (
        "binder/requirements.txt should name the lock: -c ../constraints.txt")


def test_the_student_edition_carries_the_lock():
    """Binder builds the class repository: the lock that binder/requirements.txt names must be copied into it."""
    tree = ast.parse((ROOT / "tools" / "student_edition.py").read_text(encoding="utf-8"))
    include = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                   and any(getattr(target, "id", None) == "INCLUDE" for target in node.targets))
    assert LOCK.name in include, "tools/student_edition.py should copy constraints.txt into the student edition"


# ---------------------------------------------------------------- pyproject.toml: what the package needs

def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared() -> list[Requirement]:
    """The package's dependencies and those of its extras (grading, test, browser), less the course itself."""
    lines = project()["dependencies"] + [line for extra in project()["optional-dependencies"].values()
                                         for line in extra]
    return [Requirement(line) for line in lines if canonicalize_name(Requirement(line).name) != "natocourse"]


def imported_distributions() -> dict[str, set[str]]:
    """{distribution: modules of natocourse that import it}, for every import that is not the standard library."""
    distributions = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "natocourse").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names} - set(sys.stdlib_module_names) - {"natocourse"}:
                for distribution in distributions.get(top, [top]):
                    found.setdefault(canonicalize_name(distribution), set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_pyproject_declares_every_package_the_code_imports():
    names = {canonicalize_name(requirement.name) for requirement in declared()}
    for distribution, modules in sorted(imported_distributions().items()):
        assert distribution in names, (f"{', '.join(sorted(modules))} imports {distribution}, which pyproject.toml "
                                       "does not declare: add it to dependencies (or to an extra)")


def test_pyproject_ranges_admit_the_locked_versions():
    for requirement in declared():
        version = locked_version(requirement.name, BINDER)
        assert version is not None, f"pyproject.toml needs {requirement}, which constraints.txt does not lock"
        assert requirement.specifier.contains(version), (
            f"pyproject.toml needs {requirement} but constraints.txt locks {version}")


def test_requires_python_starts_at_the_python_that_is_tested():
    tested = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    assert project()["requires-python"] == f">={tested}", (
        f"CI and Binder test Python {tested}: pyproject.toml's requires-python should start there")
    assert SpecifierSet(project()["requires-python"]).contains(BINDER["python_full_version"])


# ---------------------------------------------------------------- Binder: our pins on top of repo2docker's base

def applies(requirement: Requirement, extras=(), environment=BINDER) -> bool:
    """Whether a requirement holds on a platform (Binder's unless told), for a package installed with these extras."""
    return requirement.marker is None or any(requirement.marker.evaluate({**environment, "extra": extra})
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


def installed_closure(lines: list[str], environment=BINDER) -> dict[str, str]:
    """Every package the requirement lines bring on a platform, with the version installed here: {name: version}."""
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
            if applies(dependency, requirement.extras, environment):
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
    """The packages binder/requirements.txt names; the lock it names as well sets their versions and the rest."""
    return package_lines(ROOT / "binder" / "requirements.txt")


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
                          "--disable-pip-version-check", "--report", str(report), "-r", str(requirements),
                          "-c", str(LOCK)],
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
