"""Keeping a submission from forging its grade, for the grader (natocourse/grading.py) only.

A student's code runs in the same Jupyter kernel as Otter's checks, on the teacher's computer. Three defences:

* **The sandbox.** Each submission is graded inside Debian's bubblewrap (``bwrap``): its own PID, network, IPC,
  UTS and user namespaces, no capabilities, a private scratch home and ``/tmp``, and only the Python, the
  course package and its data, read-only. The answer keys, the teacher's clone, the other submissions and the
  results folder are not on its file system; the autograder of that one assignment is (Otter needs its hidden
  tests). Every process it starts dies with it. Memory, CPU time and file size are limited inside.
* **The re-check.** A cell added at the end of the graded copy writes the variables the tests read to JSON
  (plain data, never pickle). A fresh process that never ran student code decodes them and runs the tests
  again; the grader keeps the lower score and flags any difference.
* **The scan.** Code cells that touch the grader, files, processes or the network are flagged for review.

>>> decode(encode({"a": (1, 2.5), "b": [True, None]}))
{'a': (1, 2.5), 'b': [True, None]}
>>> scan_code(['import otter\\ngrader = otter.Notebook("hw01.ipynb")', 'x = 3', 'import subprocess'])
['processes (cell 3: import subprocess)']
"""
from __future__ import annotations

import doctest
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
HOME = "/home/student"  # the scratch folder, as the sandbox sees it
AUTOGRADER = "/grader/autograder.zip"
MAX_JSON_BYTES = 20_000_000  # results and answers come from the student's side: read no more than this
SYSTEM = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"]
SYSTEM_FILES = ["/etc/hosts", "/etc/nsswitch.conf", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts"]
RECHECK_MODULES = ("natocourse", "pandas", "numpy", "math")  # modules a test may use by a notebook's name


# ---------------------------------------------------------------- the sandbox

def environment(home: str) -> dict[str, str]:
    """The grading process's environment: nothing of the teacher's but PATH and the language."""
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
           "LANG": os.environ.get("LANG", "C.UTF-8"), "HOME": home, "TMPDIR": home if home != HOME else "/tmp",
           "USER": "student", "MPLBACKEND": "agg", "JUPYTER_PLATFORM_DIRS": "1", "PYTHONWARNINGS": "ignore",
           "PYTHONSAFEPATH": "1", "NATOCOURSE_PROGRESS": f"{home}/progress.json", **python_path()}
    if "SYSTEMROOT" in os.environ:  # Windows needs it to start Python at all
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def python_path() -> dict[str, str]:
    """PYTHONPATH with this course first: the kernel and the re-check import the grader's own copy of the package
    (an editable install may point elsewhere). PYTHONSAFEPATH keeps natocourse/ itself off sys.path."""
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {"PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def bwrap_command(scratch: Path, autograder: Path | None, command: list[str]) -> list[str]:
    """``command`` run by bubblewrap, with ``scratch`` as the home and only what grading needs, read-only."""
    args = [shutil.which("bwrap") or "bwrap",
            "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",  # own pid, net, ipc, uts, user
            "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in SYSTEM + SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    for path in readable_paths():
        args += ["--ro-bind", str(path), str(path)]
    if autograder is not None:
        args += ["--ro-bind", str(Path(autograder).resolve()), AUTOGRADER]
    args += ["--bind", str(scratch), HOME, "--chdir", HOME]
    for key, value in environment(HOME).items():
        args += ["--setenv", key, value]
    return args + ["--"] + command


def readable_paths() -> list[Path]:
    """Python, the course's virtual environment, the package and its data: never the rest of the clone."""
    paths = [Path(sys.base_prefix), Path(sys.prefix), PACKAGE, ROOT / "data"]
    paths = [p.resolve() for p in paths if p.exists() and not str(p.resolve()).startswith("/usr")]
    return list(dict.fromkeys(paths))


@lru_cache(maxsize=1)
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot sandbox the grading on this computer, or None if it can (tried once, for real)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    if not shutil.which("bwrap"):
        return "bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="natocourse-bwrap-") as scratch:
        try:
            done = subprocess.run(bwrap_command(Path(scratch), None, [sys.executable, "-c", "import natocourse"]),
                                  capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap did not start: {err}"
    if done.returncode != 0:
        lines = (done.stderr.strip() or f"exit status {done.returncode}").splitlines()
        return f"bubblewrap did not start: {lines[-1][:300]}"
    return None


def limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    """Limits for this process and the kernel it starts: address space, CPU time, file size, no core dumps."""
    try:
        import resource
    except ImportError:  # Windows: no limits, and no sandbox either (the grader says so)
        return
    for limit, value in ((resource.RLIMIT_AS, memory_mb * 2 ** 20), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, 512 * 2 ** 20), (resource.RLIMIT_CORE, 0)):
        _, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, hard))


def grade_one(submission: str, autograder: str, out: str, memory_mb: str, cpu_seconds: str) -> None:
    """Inside the sandbox: run Otter's non-container grader on one notebook and save its results as JSON."""
    limit_resources(int(memory_mb), int(cpu_seconds))
    from otter.api import grade_submission

    results = grade_submission(submission, autograder, quiet=True)
    Path(out).write_text(json.dumps(results.to_dict(), default=str), encoding="utf-8")


# ---------------------------------------------------------------- the answers, as plain data

class Unexportable(TypeError):
    """A value the re-check cannot rebuild exactly from plain data (a function, an object of the student's)."""


def export_cell(names: list[str], path: str) -> str:
    """The cell added at the end of the graded copy: it saves the variables the tests read."""
    return ("from natocourse.sandbox import export_answers as _natocourse_export_answers\n"
            f"_natocourse_export_answers(globals(), {names!r}, {path!r})")


def export_answers(namespace: dict, names: list[str], path: str) -> None:
    """Write ``names`` from the kernel's ``namespace`` to ``path`` as JSON; a value that cannot be is named so."""
    answers = {}
    for name in names:
        if name in namespace:
            try:
                answers[name] = encode(namespace[name])
            except Exception:  # an Unexportable, or an object whose methods fail: the re-check says which
                answers[name] = {"$": "unexportable", "type": type(namespace[name]).__qualname__}
    Path(path).write_text(json.dumps(answers), encoding="utf-8")


def encode(value, depth: int = 0):
    """Plain JSON for the types answers come in. Exact types only: a subclass could fake its comparisons."""
    kind = type(value)
    if depth > 30:
        raise Unexportable("nested too deeply")
    if value is None or kind in (bool, int, float, str):
        return value
    if value is Ellipsis:  # an answer still as handed out: the re-check must say so, as Otter does
        return {"$": "ellipsis"}
    if kind in (list, tuple, set, frozenset):
        items = [encode(item, depth + 1) for item in value]
        return items if kind is list else {"$": kind.__name__, "items": items}
    if kind is dict:
        return {"$": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is types.ModuleType:
        return {"$": "module", "name": value.__name__}
    if "numpy" in sys.modules:
        np = sys.modules["numpy"]
        if isinstance(value, np.generic) and np.dtype(kind).type is kind and value.dtype.kind in "biufU":
            return {"$": "numpy", "dtype": value.dtype.str, "value": encode(value.item(), depth + 1)}
        if kind is np.ndarray and value.dtype.kind in "biufUmM":
            return {"$": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape),
                    "items": value.ravel().view("i8" if value.dtype.kind in "mM" else value.dtype).tolist()}
    if "pandas" in sys.modules:
        pd = sys.modules["pandas"]
        if kind in (pd.Series, pd.DataFrame):
            dtypes = [str(value.dtype)] if kind is pd.Series else [str(t) for t in value.dtypes]
            return {"$": kind.__name__, "name": encode(getattr(value, "name", None), depth + 1),
                    "table": value.to_json(orient="table", date_unit="ns"), "dtypes": dtypes,
                    "index_dtype": str(value.index.dtype)}
        if kind is pd.Timestamp:
            return {"$": "Timestamp", "iso": value.isoformat()}
    raise Unexportable(kind.__qualname__)


def decode(value):
    """The value :func:`encode` saved, rebuilt from plain data; Unexportable if it was not saved."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [decode(item) for item in value]
    if type(value) is not dict:
        raise Unexportable(type(value).__name__)
    kind = value.get("$")
    if kind in ("tuple", "set", "frozenset"):
        return {"tuple": tuple, "set": set, "frozenset": frozenset}[kind](decode(i) for i in value["items"])
    if kind == "dict":
        return {decode(k): decode(v) for k, v in value["items"]}
    if kind == "ellipsis":
        return Ellipsis
    if kind == "module" and str(value["name"]).split(".")[0] in RECHECK_MODULES:
        import importlib
        return importlib.import_module(value["name"])
    if kind == "numpy":
        import numpy as np
        return np.dtype(value["dtype"]).type(decode(value["value"]))
    if kind == "ndarray":
        import numpy as np
        dtype = np.dtype(value["dtype"])
        items = np.array(value["items"], dtype="i8" if dtype.kind in "mM" else dtype)
        return items.view(dtype).reshape(value["shape"])
    if kind in ("Series", "DataFrame"):
        import pandas as pd
        frame = pd.read_json(io.StringIO(value["table"]), orient="table")
        try:  # JSON keeps the values, not always their exact types (dates to the microsecond or the nanosecond)
            frame = frame.astype(dict(zip(frame.columns, value["dtypes"])))
            frame.index = frame.index.astype(value["index_dtype"])
        except (TypeError, ValueError, KeyError):
            pass
        if kind == "DataFrame":
            return frame
        series = frame.iloc[:, 0]
        series.name = decode(value["name"])
        return series
    if kind == "Timestamp":
        import pandas as pd
        return pd.Timestamp(value["iso"])
    raise Unexportable(str(value.get("type") or kind))


# ---------------------------------------------------------------- the re-check, in a fresh process

def recheck(answers_path: str, tests: dict[str, list[str]]) -> dict:
    """Run each question's test cases on the decoded answers: {"results": {q: [[passed, message]]}, "unexportable"}."""
    path = Path(answers_path)
    if not path.is_file() or path.stat().st_size > MAX_JSON_BYTES:
        return {"error": "the answers were not exported (the kernel stopped early, or the code interfered)"}
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        assert type(saved) is dict
    except Exception:
        return {"error": "the exported answers are not readable"}
    env, unexportable = {}, {}
    for name, value in saved.items():
        try:
            env[str(name)] = decode(value)
        except Exception as err:
            unexportable[str(name)] = str(err) or type(err).__name__
    results = {question: [list(run_case(f"{question} {i}", code, env)) for i, code in enumerate(cases)]
               for question, cases in tests.items()}
    return {"results": results, "unexportable": unexportable}


def run_case(name: str, code: str, env: dict) -> tuple[bool, str]:
    """One doctest test case, as Otter runs it (otter.test_files.ok_test.run_doctest)."""
    examples = doctest.DocTestParser().parse(code, name)
    test = doctest.DocTest([e for e in examples if isinstance(e, doctest.Example)], env, name, None, None, code)
    runner = doctest.DocTestRunner(verbose=False)
    output = io.StringIO()
    runner.run(test, out=output.write, clear_globs=False)
    if runner.failures:
        return False, "❌ Test case failed\n" + output.getvalue()
    return True, ""


# ---------------------------------------------------------------- the scan

HANDED_OUT = re.compile(r'(import otter|grader = otter\.Notebook\("[\w.-]*"\)|grader\.check\("\w+"\)'
                        r'|grader\.check_all\(\)|grader\.export\([^()]*\))')
SCAN = {
    "the grader": r"\botter\b|\bgrader\b|\bChecker\b|GradingResults|\bTestFile\b|autograder|solution\.ipynb|"
                  r"natocourse\.(sandbox|homework)|export_answers",
    "files outside its folder": r"\bopen\s*\(|\bos\.(walk|listdir|scandir|remove|unlink|rename|replace|chdir|"
                                r"makedirs|mkdir|rmdir|chmod)\b|\bshutil\b|\bglob\b|\bpathlib\b|\bPath\s*\(|"
                                r"__file__|\.\./|['\"]/|~/|expanduser|\binstructor\b|\bzipfile\b|\btarfile\b|"
                                r"^%+(run|load|writefile|cd)\b",
    "processes": r"\bos\.(kill|killpg|fork|forkpty|setsid|setpgid|system|popen|exec\w*|spawn\w*|getppid|_exit|"
                 r"posix_spawn\w*)\b|\bsubprocess\b|\bsignal\b|\bpsutil\b|\bmultiprocessing\b|\bthreading\b|"
                 r"\bpty\b|\bctypes\b|/proc\b|^!|^%+(bash|sh|system|sx|script)\b",
    "the network": r"\bsocket\b|\burllib\b|\brequests\b|\bhttpx?\b|\bftplib\b|\bsmtplib\b|\burlopen\b|"
                   r"\baiohttp\b|https?://",
    "code that hides what it runs": r"\b(exec|eval|compile|__import__)\s*\(|\bimportlib\b|\bbuiltins\b|"
                                    r"__builtins__|sys\.modules|__subclasses__|__globals__|__code__|\bgetattr\s*\(|"
                                    r"\bsetattr\s*\(|\bbase64\b|\bcodecs\b|\bzlib\b|\bmarshal\b|\bpickle\b|\bdill\b|"
                                    r"\bfrom (os|sys) import\b|\bimport (os|sys) as\b",
}


def scan_code(sources: list[str]) -> list[str]:
    """What the code cells touch that homework never needs, with the first line that does it."""
    found = {}
    for number, source in enumerate(sources, 1):
        for line in source.splitlines():
            text = line.strip()
            if not text or text.startswith("#") or HANDED_OUT.fullmatch(text):
                continue
            for what, pattern in SCAN.items():
                if what not in found and re.search(pattern, text):
                    found[what] = f"{what} (cell {number}: {text[:80]})"
    return [found[what] for what in SCAN if what in found]


# ---------------------------------------------------------------- entry points of the child processes

def main(argv: list[str]) -> int:
    if argv[:1] == ["--grade-one"]:
        grade_one(*argv[1:6])
        return 0
    if argv[:1] == ["--recheck"]:  # the request comes on stdin, the answer goes to stdout, both JSON
        request = json.load(sys.stdin)
        json.dump(recheck(request["answers"], request["tests"]), sys.stdout, default=str)
        return 0
    print("natocourse.sandbox is run by natocourse.grading (python -m natocourse.grading --help)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
