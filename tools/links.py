"""Write the course's launch links from one place, course.toml: the Binder, presenter (Voilà) and hub links.

    python tools/links.py            # write them into every file that has a links block (make links)
    python tools/links.py --check    # exit 1 if a file is out of step with course.toml

A links block is the text between ``<!-- links: start -->`` and ``<!-- links: end -->`` (README.md,
tools/student_README.md, docs/teacher-guide.md). Until ``repository`` is set, the block says what to set
instead of showing links that lead nowhere. The site and the student edition ask this module for their links too.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "course.toml"
FILES = ["README.md", "tools/student_README.md", "docs/teacher-guide.md"]
START, END = "<!-- links: start -->", "<!-- links: end -->"
BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
FIRST_LESSON = "notebooks/00_start_here.ipynb"
BADGE = "https://mybinder.org/badge_logo.svg"


class LinksError(ValueError):
    """course.toml holds something that cannot make a link; the message says what and how to fix it."""


@dataclass(frozen=True)
class Links:
    repository: str = ""  # OWNER/NAME of the students' repository on GitHub; empty: not set yet
    branch: str = "main"
    hub: str = ""  # https://... of a JupyterHub with nbgitpuller; empty: none

    def binder(self, notebook: str = FIRST_LESSON, presenter: bool = False) -> str:
        """The Binder link that opens ``notebook`` in JupyterLab, or in Voilà with ``presenter``."""
        path = f"voila/render/{notebook}" if presenter else f"lab/tree/{notebook}"
        return f"https://mybinder.org/v2/gh/{self.repository}/{self.branch}?urlpath={quote(path, safe='')}"

    def hub_link(self, notebook: str = FIRST_LESSON) -> str:
        """The nbgitpuller link: the hub clones (or updates) the repository into a folder named after it."""
        folder = self.repository.split("/")[1]
        return (f"{self.hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{self.repository}', safe='')}"
                f"&branch={quote(self.branch, safe='')}&urlpath={quote(f'lab/tree/{folder}/{notebook}', safe='')}")


def read_links(path: Path = CONFIG) -> Links:
    """The [links] table of course.toml, checked."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("links", {})
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise LinksError(f"{path.name}: cannot be read ({err})") from None
    links = Links(**{key: str(table.get(key, default)).strip() for key, default in
                     (("repository", ""), ("branch", "main"), ("hub", ""))})
    if links.repository and not re.fullmatch(r"[\w.-]+/[\w.-]+", links.repository):
        raise LinksError(f'{path.name}: repository "{links.repository}" should be OWNER/NAME, as in the address '
                         "github.com/OWNER/NAME, for example myschool/nato-course-students")
    if links.hub and not re.fullmatch(r"https://[^\s/]+(/[^\s]*)?", links.hub):
        raise LinksError(f'{path.name}: hub "{links.hub}" should be the hub\'s address, starting with https://')
    return Links(links.repository, links.branch or "main", links.hub.rstrip("/"))


def block(links: Links) -> str:
    """The Markdown of a links block."""
    if not links.repository:
        return (f"{START}\n**The launch links are not set yet.** Put the students' repository (the student edition, "
                "`OWNER/NAME` on GitHub) in `course.toml` and run `make links`: it writes the Binder, presenter "
                f"(Voilà) and hub links here, in the teacher guide and on the course's website.\n{END}")
    lines = [START,
             f"[![Launch on Binder]({BADGE})]({links.binder()}) the lessons in JupyterLab, nothing to install",
             "",
             f"[![Presenter view on Binder]({BADGE})]({links.binder(presenter=True)}) the presenter view (Voilà: "
             "code hidden, for the projector)"]
    if links.hub:
        lines += ["", f"On the school's JupyterHub: [open the course]({links.hub_link()})"]
    return "\n".join([*lines, END])


def filled(text: str, links: Links) -> str:
    """``text`` with every links block rewritten from ``links``."""
    return BLOCK.sub(lambda _: block(links), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that every file is in step")
    args = parser.parse_args(argv)
    try:
        links = read_links()
    except LinksError as err:
        print(err, file=sys.stderr)
        return 2
    stale = []
    for name in FILES:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        if BLOCK.search(text) and filled(text, links) != text:
            stale.append(name)
            if not args.check:
                path.write_text(filled(text, links), encoding="utf-8")
    if args.check and stale:
        print("out of step with course.toml (run make links): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("checked: " if args.check else "links written from course.toml: ") + (", ".join(stale) or "no change"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
