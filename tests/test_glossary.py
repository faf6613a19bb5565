"""The glossary: a search a student types, a category menu, and the table it shows."""
import pandas as pd

from natocourse.glossary import ALL_CATEGORIES, glossary_html, search_glossary

SOURCES = pd.DataFrame([{"source_id": "smith", "kind": "book", "authors": "Jane Smith", "title": "Terms",
                         "publisher": "A Press", "year": 2020, "url": None, "licence": "CC BY 4.0",
                         "seed_file": None}])


def toy_glossary() -> pd.DataFrame:
    return pd.DataFrame([
        {"term": "spiral model", "category": "theory", "definition": "Fear breeds fear.", "source_id": "smith",
         "quote": None},
        {"term": "Deterrence", "category": "strategy", "definition": "Threats that keep a rival from acting.",
         "source_id": "smith", "quote": "To deter is <to dissuade>."},
        {"term": "Alliance", "category": "strategy", "definition": "States that promise to DETER together.",
         "source_id": "smith", "quote": None},
    ])


def test_search_finds_the_text_in_the_term_or_the_definition_in_any_case():
    assert search_glossary(toy_glossary(), "  Deter ")["term"].tolist() == ["Alliance", "Deterrence"]


def test_terms_are_listed_alphabetically_whatever_their_case():
    assert search_glossary(toy_glossary())["term"].tolist() == ["Alliance", "Deterrence", "spiral model"]


def test_a_category_narrows_the_search_and_all_categories_does_not():
    assert search_glossary(toy_glossary(), "fear", "strategy").empty
    assert search_glossary(toy_glossary(), "fear", ALL_CATEGORIES)["term"].tolist() == ["spiral model"]
    assert search_glossary(toy_glossary(), category="theory")["term"].tolist() == ["spiral model"]


def test_glossary_table_cites_the_source_and_escapes_the_quote():
    table = glossary_html(search_glossary(toy_glossary(), "deterrence"), SOURCES)
    assert "<b>Deterrence</b>" in table and "Smith (2020)" in table
    assert "“To deter is &lt;to dissuade&gt;.”" in table
    assert table.endswith("<p><i>1 term.</i></p>")


def test_a_search_that_finds_nothing_says_what_to_try():
    assert "Try a shorter word" in glossary_html(search_glossary(toy_glossary(), "zebra"), SOURCES)
