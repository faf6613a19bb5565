"""The curated data: valid against the one schema, sourced, and clear about damage.

Each damage test copies data/ to a temporary folder, breaks one thing the way a
teacher editing a CSV might, and checks the message a teacher would read.
"""
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from natocourse.data import (DATA_DIR, DataError, in_order, list_items, load_table, read_descriptor, resource,
                             validate_package, validate_table, vocabulary)
from natocourse.errors import CourseError

ROOT = DATA_DIR.parent
TABLES = [r["name"] for r in read_descriptor()["resources"]]


# ---------------------------------------------------------------- the real data

def test_every_table_is_valid():
    problems = validate_package()
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("name", TABLES)
def test_every_table_loads_with_rows(name):
    assert len(load_table(name)) > 0


def test_descriptor_is_a_valid_frictionless_data_package():
    """The ecosystem's own validator agrees with ours (types, keys, foreign keys)."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA_DIR / "datapackage.json"))
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + \
             [f"{e.type}: {e.message}" for e in report.errors]
    assert report.valid, "\n".join(errors[:10])


def test_every_quote_is_found_in_the_seed_documents():
    checker = ROOT.parent / "shared" / "tools" / "check_quotes.py"
    if not checker.exists():
        pytest.skip(f"{checker} is not beside this project")
    run = subprocess.run([sys.executable, str(checker), "data"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]


def test_every_csv_in_data_is_described_by_the_schema():
    described = {r["path"] for r in read_descriptor()["resources"]}
    assert {p.name for p in DATA_DIR.glob("*.csv")} == described


def test_the_five_seed_documents_are_sources():
    sources = load_table("sources")
    assert sources["seed_file"].notna().sum() == 5


def test_outside_sources_give_a_web_address():
    sources = load_table("sources")
    outside = sources[sources["seed_file"].isna()]
    assert outside["url"].notna().all(), outside.loc[outside["url"].isna(), "source_id"].tolist()


def test_glossary_has_the_terms_the_course_uses():
    glossary = load_table("glossary")
    assert len(glossary) >= 25
    text = " ".join(glossary["term"].str.lower())
    for term in ["security dilemma", "balance of power", "defensive realism", "offensive realism", "deterrence",
                 "reassurance", "article 5", "open door", "sphere of influence", "minsk", "normandy format",
                 "enhanced forward presence", "hybrid", "sanctions", "backchannel", "shuttle"]:
        assert term in text, f"the glossary lacks {term!r}"


# ---------------------------------------------------------------- damage

@pytest.fixture
def data(tmp_path):
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def edit_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell; row counts as a spreadsheet does (header = row 1)."""
    path = folder / file
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def message_for(folder: Path, table: str) -> str:
    with pytest.raises(DataError) as caught:
        load_table(table, folder)
    message = str(caught.value)
    assert isinstance(caught.value, CourseError)
    for internals in ("Traceback", "pandas", "tokenizing", "KeyError", "Exception"):
        assert internals not in message
    return message


def test_missing_column_names_file_and_column(data):
    path = data / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r[:5] + r[6:] for r in csv.reader(handle)]  # drop "year"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert message_for(data, "sources").startswith(
        'data/sources.csv, row 1: the column "year" is missing from the header row')


def test_unparseable_date_names_row_column_and_format(data):
    edit_cell(data, "members.csv", 3, "joined", "1949-13-45")
    assert message_for(data, "members").startswith(
        'data/members.csv, row 3, column "joined": "1949-13-45" is not a date (expected YYYY-MM-DD)')


def test_unknown_source_id_names_the_row(data):
    edit_cell(data, "claims.csv", 4, "source_id", "mearsheimer_blog")
    assert message_for(data, "claims").startswith(
        'data/claims.csv, row 4, column "source_id": "mearsheimer_blog" is not a source_id listed in data/sources.csv')


def test_duplicate_key_names_both_rows(data):
    path = data / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[2]]), encoding="utf-8")
    message = message_for(data, "sources")
    assert message.startswith(f'data/sources.csv, row {len(lines) + 1}, column "source_id": ')
    assert "repeats row 3" in message


def test_empty_required_field_names_the_column(data):
    edit_cell(data, "sources.csv", 2, "title", "  ")
    assert message_for(data, "sources") == 'data/sources.csv, row 2, column "title": is empty but a value is required'


def test_value_outside_the_allowed_set_lists_the_allowed(data):
    edit_cell(data, "claims.csv", 2, "perspective", "pro-Russian")
    message = message_for(data, "claims")
    assert message.startswith('data/claims.csv, row 2, column "perspective": "pro-Russian" is not one of the allowed '
                              'values: "realist critique", ')


def test_wrong_type_says_what_was_expected(data):
    edit_cell(data, "sources.csv", 3, "year", "twenty-one")
    assert message_for(data, "sources") == \
        'data/sources.csv, row 3, column "year": "twenty-one" is not a whole number'
    edit_cell(data, "sources.csv", 3, "year", "2021")
    edit_cell(data, "members.csv", 5, "capital_lat", "48,85")
    assert message_for(data, "members").startswith(
        'data/members.csv, row 5, column "capital_lat": "48,85" is not a number')


def test_wrong_boolean_lists_yes_and_no(data):
    edit_cell(data, "members.csv", 2, "borders_russia_today", "maybe")
    assert message_for(data, "members") == \
        'data/members.csv, row 2, column "borders_russia_today": "maybe" is not one of "yes", "no"'


def test_stray_delimiter_names_the_row(data):
    path = data / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",Newsweek,", ",News,week,")
    path.write_text("".join(lines), encoding="utf-8")
    assert message_for(data, "sources").startswith(
        "data/sources.csv, row 4: has 11 values but the header has 10 columns")


def test_stray_quote_names_the_row_where_it_opens(data):
    path = data / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",When Will", ',"When Will')
    path.write_text("".join(lines), encoding="utf-8")
    message = message_for(data, "sources")
    assert message.startswith("data/sources.csv, row 5: a quote mark is not closed or is misplaced")


def test_seed_row_without_quote_is_refused(data):
    claims = load_table("claims", data)
    row = int(claims.index[claims["source_id"] == "security_dilemma_essay"][0]) + 2
    edit_cell(data, "claims.csv", row, "quote", "")
    assert message_for(data, "claims").startswith(
        f'data/claims.csv, row {row}, column "quote": cites the source document "security_dilemma_essay" but has no quote')


def test_file_that_is_not_utf8_says_how_to_save_it(data):
    path = data / "sources.csv"
    path.write_bytes(path.read_bytes().replace("Quaid".encode(), "Qu\xe4id".encode("latin-1")) + b"\xe9\n")
    assert "is not UTF-8 text" in message_for(data, "sources")
    assert "save it as CSV UTF-8" in message_for(data, "sources")


def test_several_problems_are_all_counted(data):
    edit_cell(data, "sources.csv", 2, "year", "soon")
    edit_cell(data, "sources.csv", 3, "kind", "blog")
    frame, problems = validate_table("sources", data)
    assert [p.row for p in problems] == [2, 3]
    assert "(and 1 more problem in the data)" in message_for(data, "sources")


def test_unknown_event_in_findings_names_row_and_column(data):
    edit_cell(data, "findings.csv", 4, "event_ids", "minsk_ii; minsk_iii")
    assert message_for(data, "findings") == ('data/findings.csv, row 4, column "event_ids": "minsk_iii" is not an '
                                             'event_id in data/events.csv')


@pytest.mark.parametrize("file, row, column, value, message", [
    ("sources.csv", 2, "year", "1850", "1850 is below the minimum 1900"),
    ("sources.csv", 2, "year", "2099", "2099 is above the maximum 2030"),
    ("members.csv", 2, "joined", "1948-01-01", "1948-01-01 is below the minimum 1949-08-24"),
    ("events.csv", 2, "short_title", "x" * 51, "is 51 characters long (at most 50 allowed)"),
    ("members.csv", 2, "iso3", "usa", '"usa" does not have the expected form')])
def test_each_kind_of_constraint_the_schema_uses_is_checked(data, file, row, column, value, message):
    edit_cell(data, file, row, column, value)
    assert message_for(data, file.removesuffix(".csv")).startswith(f'data/{file}, row {row}, column "{column}": {message}')


def test_edited_file_is_read_again(data):
    before = load_table("sources", data)
    edit_cell(data, "sources.csv", 2, "title", "A new title")
    assert load_table("sources", data).loc[0, "title"] == "A new title" != before.loc[0, "title"]


# ---------------------------------------------------------------- the schema itself

def edit_schema(folder: Path, table: str, change) -> None:
    """Apply ``change`` to one table's schema in the descriptor of ``folder``."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(resource(descriptor, table)["schema"])
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


@pytest.mark.parametrize("table, change, message", [
    ("events", lambda s: field(s, "title")["constraints"].update(minLength=5),
     ', column "title": the events table sets the constraint "minLength", which natocourse/data.py does not check '
     '(it checks "required", "unique", "enum", "pattern", "minimum", "maximum" and "maxLength"); remove the '
     "constraint or add its check to data.py."),
    ("events", lambda s: field(s, "date").update(type="datetime"),
     ', column "date": the events table gives the type "datetime", which natocourse/data.py does not read'),
    ("events", lambda s: field(s, "date").update(format="%d/%m/%Y"),
     ', column "date": the events table gives the format "%d/%m/%Y", which natocourse/data.py does not read'),
    ("events", lambda s: s.update(uniqueKeys=[["title"]]),
     ': the events table sets the rule "uniqueKeys", which natocourse/data.py does not check'),
    ("findings", lambda s: s["listForeignKeys"][0].pop("separator"),
     ', column "event_ids": the findings table lists the column under listForeignKeys without the "separator"'),
    ("glossary", lambda s: s["foreignKeys"][0].update(fields=["source_id", "quote"]),
     ": the glossary table has a foreign key of several columns (source_id, quote)")],
    ids=["constraint", "type", "format", "table rule", "list without separator", "foreign key of two columns"])
def test_a_schema_rule_the_validator_does_not_check_is_refused_not_skipped(data, table, change, message):
    edit_schema(data, table, change)
    assert message_for(data, table).startswith("data/datapackage.json" + message)
    assert any(str(p).startswith("data/datapackage.json" + message) for p in validate_package(data))


def test_a_vocabulary_is_the_schemas_list_read_again_when_it_changes(data):
    kinds = vocabulary("findings", "kind", data)
    edit_schema(data, "findings", lambda s: field(s, "kind")["constraints"]["enum"].append("wish"))
    assert vocabulary("findings", "kind", data) == [*kinds, "wish"]
    with pytest.raises(DataError) as caught:
        in_order("findings", "kind", kinds, "KINDS in natocourse/example.py", data)
    assert str(caught.value) == ('data/datapackage.json, column "kind": the findings table allows "wish", but KINDS in '
                                 "natocourse/example.py does not name it: add it there.")


def test_a_column_without_allowed_values_has_no_vocabulary():
    with pytest.raises(DataError, match='column "title": the events table gives this column no list of allowed values'):
        vocabulary("events", "title")


def test_a_list_of_ids_is_split_at_the_schemas_separator():
    assert list_items("findings", "event_ids", " minsk_protocol ;minsk_ii; ") == ["minsk_protocol", "minsk_ii"]
    assert list_items("findings", "event_ids", None) == []
    with pytest.raises(DataError, match="does not declare this column a list"):
        list_items("findings", "kind", "practice")


def test_notebook_shows_course_errors_without_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell
    from natocourse.errors import show_course_errors_plainly

    shell = InteractiveShell.instance()
    show_course_errors_plainly()
    shell.run_cell("from natocourse.data import DataError, Problem\n"
                   "raise DataError([Problem('data/events.csv', 'bad date', 17, 'date')])")
    out = capsys.readouterr()
    assert 'Problem in the course files: data/events.csv, row 17, column "date": bad date' in out.out
    assert "Traceback" not in out.out + out.err
