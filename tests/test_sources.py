"""Citations: the short form shown beside every claim, quiz answer and glossary entry."""
import pytest

from natocourse.data import DataError, load_table
from natocourse.sources import cite


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
