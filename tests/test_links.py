"""The launch links come from one place, course.toml (tools/links.py, make links)."""
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402

EXAMPLE = "myschool%2Fnato-course-students"  # the guide's worked example (section 2.2), not a launch link
URL = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\]]+|https://[^\s)\]]+/git-pull\?[^\s)\]]+")


def test_every_file_is_in_step_with_course_toml():
    assert links.main(["--check"]) == 0


def test_no_file_shows_a_placeholder_link():
    for name in links.FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "OWNER/REPO" not in text and "HUB.EXAMPLE" not in text, name


def test_every_launch_link_in_the_files_is_one_the_config_makes():
    config = links.read_links()
    made = {config.binder(), config.binder(presenter=True)} | ({config.hub_link()} if config.hub else set())
    for name in links.FILES:
        found = {url for url in URL.findall((ROOT / name).read_text(encoding="utf-8")) if EXAMPLE not in url}
        assert found <= made if config.repository else not found, (name, found - made)


def test_unset_the_block_says_what_to_set():
    text = links.filled(f"a\n{links.START}\nold\n{links.END}\nb", links.Links())
    assert "course.toml" in text and "make links" in text and "mybinder" not in text and "old" not in text


def test_set_the_block_links_binder_presenter_and_hub(tmp_path):
    config = tmp_path / "course.toml"
    config.write_text('[links]\nrepository = "myschool/nato-course-students"\nhub = "https://hub.school.example/"\n')
    text = links.block(links.read_links(config))
    assert ("https://mybinder.org/v2/gh/myschool/nato-course-students/main?urlpath=lab%2Ftree%2Fnotebooks%2F"
            "00_start_here.ipynb") in text
    assert "urlpath=voila%2Frender%2Fnotebooks%2F00_start_here.ipynb" in text
    assert ("https://hub.school.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fmyschool%2F"
            "nato-course-students&branch=main&urlpath=lab%2Ftree%2Fnato-course-students%2Fnotebooks%2F"
            "00_start_here.ipynb") in text


@pytest.mark.parametrize("line, message", [
    ('repository = "nato-course"', "should be OWNER/NAME"),
    ('repository = "a/b"\nhub = "hub.school.example"', "starting with https://"),
    ("repository = [", "cannot be read"),
])
def test_a_bad_entry_gets_a_sentence(tmp_path, line, message):
    config = tmp_path / "course.toml"
    config.write_text(f"[links]\n{line}\n")
    with pytest.raises(links.LinksError, match=message):
        links.read_links(config)
