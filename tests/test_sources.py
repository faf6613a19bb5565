"""Citations: the short form shown beside every claim, quiz answer and glossary entry."""
import pandas as pd
import pytest

from natocourse.data import DataError, load_table
from natocourse.sources import cite, show_sources


def test_a_single_author_is_cited_by_surname():
    assert cite("depetris2021") == "DePetris (2021)"


def test_what_the_authors_column_adds_in_brackets_is_left_out():
    assert cite("ap_riyadh_2025") == "Lee & Litvinova (2025)"
    assert cite("nsarchive_what_gorbachev_heard_2017") == "Savranskaya & Blanton (2017)"


def test_a_newsroom_or_organisation_is_named_in_full():
    assert cite("jamestown_monitor_russia_nato_1999") == "The Jamestown Foundation (1999)"


def test_every_citation_reads_as_author_and_year():
    """No citation of any source may show a torn bracket such as 'News) (2024)'."""
    for source_id in load_table("sources")["source_id"]:
        text = cite(source_id)
        lead = text.rsplit(" (", 1)[0]
        assert lead.count("(") == lead.count(")") and not lead.endswith(")"), text


def test_an_unknown_source_names_the_file():
    with pytest.raises(DataError, match="sources.csv"):
        cite("no_such_source")


# ---------------------------------------------------------------- each form of citation, on a table of our own

def toy_sources() -> pd.DataFrame:
    source = {"kind": "journal article", "publisher": "A Press", "year": 2020, "url": None,
              "licence": "CC BY 4.0", "seed_file": None}
    return pd.DataFrame([
        {**source, "source_id": "smith", "authors": "Jane Smith", "title": "Arms & <races>",
         "url": "https://example.org/a?b=1&c=2"},
        {**source, "source_id": "essay", "kind": "essay", "authors": "author not given",
         "title": "One two three four five six seven", "seed_file": "004_essay.txt"},
        {**source, "source_id": "trio", "kind": "book", "authors": "Ann Lee; Bo Kim; Cy Hu", "title": "Three"},
        {**source, "source_id": "pact", "kind": "treaty", "authors": "Ukraine; Russian Federation", "title": "Pact"},
    ])


def test_a_source_without_author_is_cited_by_the_start_of_its_title():
    assert cite("essay", toy_sources()) == '"One two three four five..." (2020)'


def test_three_authors_or_more_are_cited_as_et_al():
    assert cite("trio", toy_sources()) == "Lee et al. (2020)"


def test_a_treaty_is_cited_by_all_its_parties():
    assert cite("pact", toy_sources()) == "Ukraine; Russian Federation (2020)"


@pytest.fixture
def shown_sources(monkeypatch):
    """What show_sources displays, as HTML text."""
    shown = []
    monkeypatch.setattr("natocourse.sources.display", shown.append)
    def show(*tables_or_ids):
        show_sources(*tables_or_ids, sources=toy_sources())
        return shown[-1].data
    return show


def test_sources_list_links_a_title_that_has_a_web_address_and_escapes_it(shown_sources):
    text = shown_sources("smith")
    assert '<a href="https://example.org/a?b=1&amp;c=2">Arms &amp; &lt;races&gt;</a>' in text
    assert text.startswith("<ol><li>Jane Smith (2020). ") and text.endswith("Licence: CC BY 4.0.</li></ol>")


def test_sources_list_gives_a_title_without_web_address_as_text(shown_sources):
    text = shown_sources("trio")
    assert "<a " not in text and "Three. A Press." in text


def test_sources_list_marks_only_the_five_source_documents(shown_sources):
    items = shown_sources("essay", "smith").split("<li>")[1:]
    assert "one of the course's five source documents" in items[0]
    assert "five source documents" not in items[1]


def test_sources_list_numbers_each_source_once_in_first_seen_order(shown_sources):
    table = pd.DataFrame({"source_id": ["pact", "smith"], "quote_source_id": ["trio", None]})
    text = shown_sources(table, "pact", "essay")
    assert [item.split(" (")[0] for item in text.split("<li>")[1:]] == [
        "Ukraine; Russian Federation", "Jane Smith", "Ann Lee; Bo Kim; Cy Hu", "author not given"]


def test_an_organisation_that_wrote_an_essay_is_named_in_full_not_by_its_last_word():
    assert cite("isw_weakness_is_lethal_2023") == "Institute for the Study of War (2023)"
