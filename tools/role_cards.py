"""Write the role cards of the negotiation lesson (notebook 06) for print: one page per delegation.

    python tools/role_cards.py [--out build/role-cards] [--scenario jan2022]

For each scenario it writes <scenario>.html (print it from any browser) and, when Chromium is installed
(/usr/bin/chromium, or $CHROMIUM), <scenario>.pdf made from it with headless Chromium. Text that would run over a
page is set a little smaller, so that each card fits its page.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from natocourse.data import load_table  # noqa: E402
from natocourse.models.negotiation import SCENARIOS, load_scenario  # noqa: E402
from natocourse.widgets.negotiation import cards_document  # noqa: E402


def chromium() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return found if found and Path(found).exists() else None


def write_cards(out: Path, scenarios) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    sources, written = load_table("sources"), []
    browser = chromium()
    for key in scenarios:
        page = out / f"{key}.html"
        page.write_text(cards_document(load_scenario(key), sources), encoding="utf-8")
        written.append(page)
        if browser:
            pdf = out / f"{key}.pdf"
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", page.resolve().as_uri()], check=True, capture_output=True,
                           timeout=180)
            written.append(pdf)
    if not browser:
        print("Chromium not found: open the HTML files in a browser and print them (one page per delegation).")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "role-cards"))
    parser.add_argument("--scenario", choices=list(SCENARIOS), action="append")
    args = parser.parse_args()
    for path in write_cards(Path(args.out), args.scenario or list(SCENARIOS)):
        print(f"wrote {path}")
