"""Write the student edition of the course: what Binder, the hub link and a student's clone should get.

    python tools/student_edition.py OUT [--repo OWNER/NAME] [--branch students] [--ref HEAD]

The edition is checked out by git from a commit of the teacher's repository (committed files only, so nothing
local or generated slips in), limited to the paths in ``INCLUDE``: the lessons and homework worksheets, the
``natocourse`` package, the data, the pins and their lock, Binder's set-up and the licences. Its README is
``tools/student_README.md``, with the launch links of course.toml (its repository replaced by ``--repo`` when given). Never included:
``instructor/`` (the sources with every solution and hidden check), ``instructor/dist/`` (answer keys and
autograder zips, never committed anyway), ``tests/``, ``docs/`` (the teacher guide) and the tools.

Before anything is written, every file of the edition is searched for every answer, hidden check and marking
note of the instructor sources (see ``answer_strings``); one found stops the command with the file's name.

``--branch students`` also commits the edition as the next commit of that branch of the teacher's repository
(the working tree and the checked-out branch are not touched), ready for
``git push CLASS_REPOSITORY students:main``. See docs/teacher-guide.md, section 4.6, "The teacher's repository
and the students' repository".
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from links import Links, filled, read_links  # tools/links.py: the launch links of course.toml

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "student_README.md"
MARKER = "<!-- student edition, made by tools/student_edition.py: do not edit here -->"
INCLUDE = ["notebooks", "natocourse", "data", "binder", "requirements.txt", "constraints.txt", "pyproject.toml",
           "LICENSE", "LICENSE-CONTENT.md", ".gitignore"]
SHORTEST = 12  # characters: shorter answer strings ("B", "True", "q5_answer") say nothing on their own


# ---------------------------------------------------------------- what must never reach a student

def normalise(text: str) -> str:
    """One space for any run of white space, one kind of quote (Otter rewrites 'B' as "B" and back).

    >>> normalise("assert  q5_answer ==\\n 'B'")
    'assert q5_answer == "B"'
    """
    return re.sub(r"\s+", " ", text.replace("'", '"')).strip()


def secret_and_public_text(source: dict) -> tuple[list[str], str]:
    """The answer text of an Otter Assign source (solutions, hidden checks, marking notes) and the rest."""
    secret, public, in_solution = [], [], False
    for cell in source["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "raw":
            in_solution = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(text.strip(), in_solution)
        elif text.lstrip().startswith("# HIDDEN"):
            secret += re.split(r"\n|;", text.replace("# HIDDEN", ""))  # a hidden check: its statements
        elif in_solution and cell["cell_type"] == "markdown":
            secret += re.split(r"(?<=[.!?])\s+", normalise(text))  # a marking note: its sentences
        elif in_solution:  # a solution cell: marked lines are answers, the others are handed out
            inside = False
            for line in text.splitlines():
                marker = line.strip()
                if marker in ("# BEGIN SOLUTION", "# END SOLUTION"):
                    inside = marker == "# BEGIN SOLUTION"
                elif inside or marker.endswith("# SOLUTION"):
                    secret += line.rsplit("# SOLUTION", 1)[0].split(";")
                else:
                    public.append(line)
        else:
            public.append(text)
    return secret, normalise("\n".join(public))


def answer_strings(sources: list[Path]) -> dict[str, str]:
    """Every answer string of the sources (a line or statement of code, a sentence of a note) -> its source.

    Strings shorter than ``SHORTEST`` or also in the handed-out text (a prompt quoting a function) are left out.
    """
    found = {}
    for path in sources:
        secret, public = secret_and_public_text(json.loads(path.read_text(encoding="utf-8")))
        for piece in map(normalise, secret):
            if len(piece) >= SHORTEST and piece not in public:
                found.setdefault(piece, path.name)
    return found


def strings_of(path: Path) -> str:
    """A file's text as a reader would search it: a notebook's cells and metadata decoded from JSON."""
    text = path.read_bytes().decode("utf-8")  # a binary file (an autograder zip) cannot be checked: it fails
    if path.suffix in (".ipynb", ".json"):
        def walk(value):
            if isinstance(value, dict):
                return [s for k, v in value.items() if not k.startswith("image/") for s in walk(v)]
            if isinstance(value, list):
                return [s for v in value for s in walk(v)]
            return [value] if isinstance(value, str) else []
        text = "\n".join(walk(json.loads(text)))
    return normalise(text)


def leaks(folder: Path, answers: dict[str, str]) -> list[str]:
    """Where any answer string appears in the folder: 'file: "string" (from source)', one per finding."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts):
        try:
            text = strings_of(path)
        except (UnicodeDecodeError, ValueError):
            found.append(f"{path.relative_to(folder)}: not a text file, so it cannot be checked for answers")
            continue
        found += [f'{path.relative_to(folder)}: "{answer}" (from {source})'
                  for answer, source in answers.items() if answer in text]
        if path.suffix == ".ipynb" and re.search(r'"hidden":\s*true', path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(folder)}: holds a hidden Otter check")
    return found


# ---------------------------------------------------------------- writing it

def git(*args: str, cwd: Path = ROOT, env: dict | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.rstrip()


def edition_links(repo: str | None) -> Links:
    """The links of course.toml, with ``repo`` (--repo) as the repository when given."""
    links = read_links()
    return Links(repo, links.branch, links.hub) if repo else links


def write_edition(out: Path, ref: str = "HEAD", repo: str | None = None, root: Path = ROOT) -> None:
    """Write the edition of ``ref`` into ``out`` (empty, new, or a previous edition: its .git is kept)."""
    out = out.resolve()
    if out.exists() and any(p.name != ".git" for p in out.iterdir()):
        readme = out / "README.md"
        if not (readme.exists() and readme.read_text(encoding="utf-8").startswith(MARKER)):
            raise SystemExit(f"{out} holds files that are not a student edition: choose an empty or new folder")
    with tempfile.TemporaryDirectory() as scratch:
        edition = Path(scratch) / "edition"
        edition.mkdir()
        # a checkout of the commit into the scratch folder, with its own index: the teacher's is not touched
        git("--work-tree", str(edition), "checkout", ref, "--", *INCLUDE, cwd=root,
            env={**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")})
        text = MARKER + "\n" + README.read_text(encoding="utf-8")
        (edition / "README.md").write_text(filled(text, edition_links(repo)), encoding="utf-8")
        sources = sorted((root / "instructor").glob("*.ipynb"))
        if not sources:
            raise SystemExit(f"no instructor sources in {root / 'instructor'} to check the edition against: "
                             "run this in the teacher's repository")
        found = leaks(edition, answer_strings(sources))
        if found:
            raise SystemExit("the student edition would hold answers; nothing was written:\n  " + "\n  ".join(found))
        out.mkdir(parents=True, exist_ok=True)
        for old in out.iterdir():
            if old.name != ".git":
                shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
        for new in edition.iterdir():
            shutil.move(new, out / new.name)
    changed = git("status", "--porcelain", "--", *INCLUDE, cwd=root)
    if changed:
        print(f"note: the edition is built from {ref}; these uncommitted changes are not in it:\n{changed}")


def commit_to_branch(folder: Path, branch: str, root: Path = ROOT) -> str:
    """Commit ``folder`` as the next commit of ``branch`` in the repository at ``root``; return the commit."""
    if git("branch", "--show-current", cwd=root) == branch:
        raise SystemExit(f"{branch} is the branch checked out here: name another one, such as students")
    with tempfile.TemporaryDirectory() as scratch:
        # the folder's files staged in an index of their own: the teacher's index and working tree are not touched
        env = {**os.environ, "GIT_DIR": git("rev-parse", "--absolute-git-dir", cwd=root),
               "GIT_WORK_TREE": str(folder), "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git("add", "--all", "--force", ".", cwd=folder, env=env)
        tree = git("write-tree", cwd=folder, env=env)
    parent = git("for-each-ref", "--format=%(objectname)", f"refs/heads/{branch}", cwd=root)
    if parent and git("rev-parse", f"{parent}^{{tree}}", cwd=root) == tree:
        return parent  # nothing changed since the last edition
    source = git("rev-parse", "--short", "HEAD", cwd=root)
    commit = git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", f"Student edition of {source}",
                 cwd=root)
    git("update-ref", f"refs/heads/{branch}", commit, cwd=root)
    return commit


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write (new, empty, or a previous edition)")
    parser.add_argument("--repo", help="the students' GitHub repository, OWNER/NAME, for the README's links")
    parser.add_argument("--branch", help="also commit the edition to this branch of this repository")
    parser.add_argument("--ref", default="HEAD", help="the commit to take the edition from (default: HEAD)")
    args = parser.parse_args(argv)
    write_edition(args.out, args.ref, args.repo)
    print(f"student edition of {args.ref} written to {args.out}")
    if not edition_links(args.repo).repository:
        print("note: its README has no launch links yet: set repository in course.toml (or give --repo OWNER/NAME)")
    if args.branch:
        commit = commit_to_branch(args.out.resolve(), args.branch)
        print(f"committed to branch {args.branch} ({commit[:8]}); publish it with: "
              f"git push CLASS_REPOSITORY {args.branch}:main")


if __name__ == "__main__":
    main()
