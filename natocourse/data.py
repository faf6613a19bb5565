"""Find the course's CSV files, check them against the one schema, return DataFrames.

The schema is ``data/datapackage.json`` (a Frictionless Data Package): every
column's type, whether it is required, its allowed values, each table's
primary key and its foreign keys. This module reads that descriptor and
nothing else, so the loader and the tests can never disagree about a file.
It is also the one place where the course's vocabularies (outcomes,
practices, kinds of finding...) are listed: code asks ``vocabulary`` for them
and keeps only their order (``in_order``) and their styles.

One rule goes beyond Frictionless, which has no foreign key for a list of ids
in one cell: a table's schema may hold ``listForeignKeys``, entries shaped
like ``foreignKeys`` plus a ``separator``, and every item of the cell must
then be a key of the referenced table. Frictionless ignores the property; this
module checks it. A constraint, type or rule this module does not check is
refused, never skipped.

Row numbers in messages are the ones a spreadsheet shows: the header is row 1,
the first record is row 2.

>>> glossary = load_table("glossary")
>>> glossary.loc[0, "term"]
'Security dilemma'
>>> validate_package()             # every table against the schema: no problem
[]
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import CourseError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
LIST_FOREIGN_KEYS = "listForeignKeys"  # the course's own schema property: see the module's docstring
TYPES = ("string", "integer", "number", "date", "boolean")
CHECKED_CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "maxLength")
UNCHECKED_SCHEMA_RULES = ("uniqueKeys", "fieldsMatch")  # Table Schema rules this module does not implement
SEED_QUOTE_RULE = "rows that rest on one of the five source documents carry a verbatim quote"


class DataError(CourseError):
    """A curated file breaks the schema; the message names file, row and column."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        first = problems[0]
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''} in the data)" if more else ""
        super().__init__(str(first) + tail)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f', column "{self.column}"'
        return f"{where}: {self.message}"


# ---------------------------------------------------------------- descriptor

def read_descriptor(data_dir: Path | str = DATA_DIR) -> dict:
    """The data package descriptor, parsed."""
    path = Path(data_dir) / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(_shown(path), "the schema file is missing")]) from None
    except json.JSONDecodeError as err:
        raise DataError([Problem(_shown(path), f"is not valid JSON (line {err.lineno}: {err.msg})")]) from None


def resource(descriptor: dict, name: str) -> dict:
    """The descriptor of one table, by name."""
    for res in descriptor["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in descriptor["resources"])
    raise DataError([Problem(DESCRIPTOR, f'no table named "{name}" (known tables: {known})')])


def schema_problems(res: dict, data_dir: Path | str = DATA_DIR) -> list[Problem]:
    """The rules of one table's schema that this module would not check: refused, so none is skipped silently."""
    shown = _shown(Path(data_dir) / DESCRIPTOR)
    table = f'the {res["name"]} table'
    problems = []
    for field in res["schema"]["fields"]:
        kind = field.get("type", "string")
        if kind not in TYPES:
            problems.append(Problem(shown, f'{table} gives the type "{kind}", which natocourse/data.py does not read '
                                           f"(it reads {_listed(TYPES, 'and')}).", column=field["name"]))
        if field.get("format", "default") != "default":
            problems.append(Problem(shown, f'{table} gives the format "{field["format"]}", which natocourse/data.py '
                                           "does not read (it reads each type's default form).", column=field["name"]))
        for key in field.get("constraints", {}):
            if key not in CHECKED_CONSTRAINTS:
                problems.append(Problem(shown, f'{table} sets the constraint "{key}", which natocourse/data.py does not '
                                               f"check (it checks {_listed(CHECKED_CONSTRAINTS, 'and')}); remove the "
                                               "constraint or add its check to data.py.", column=field["name"]))
    for key in UNCHECKED_SCHEMA_RULES:
        if key in res["schema"]:
            problems.append(Problem(shown, f'{table} sets the rule "{key}", which natocourse/data.py does not check; '
                                           "remove the rule or add its check to data.py."))
    for fk, separator in _foreign_keys(res):
        columns = _as_list(fk["fields"])
        if len(columns) != 1 or len(_as_list(fk["reference"]["fields"])) != 1:
            problems.append(Problem(shown, f"{table} has a foreign key of several columns ({', '.join(columns)}); "
                                           "natocourse/data.py checks foreign keys of one column only."))
        if separator == "":
            problems.append(Problem(shown, f'{table} lists the column under {LIST_FOREIGN_KEYS} without the '
                                           '"separator" that stands between its items.', column=columns[0]))
    return problems


# ---------------------------------------------------------------- vocabularies

def vocabulary(table: str, column: str, data_dir: Path | str | None = None) -> list[str]:
    """The values the schema allows in one column (its ``enum``), in the schema's order.

    >>> vocabulary("findings", "kind")
    ['practice', 'challenge', 'recommendation', 'strategic response', 'hypothesis']
    """
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    for field in resource(_current_descriptor(data_dir), table)["schema"]["fields"]:
        if field["name"] == column and "enum" in field.get("constraints", {}):
            return list(field["constraints"]["enum"])
    raise DataError([Problem(_shown(data_dir / DESCRIPTOR), f"the {table} table gives this column no list of "
                                                             "allowed values (an enum)", column=column)])


def vocabulary_gaps(table: str, column: str, listed, where: str, data_dir: Path | str | None = None) -> list[Problem]:
    r"""What ``listed`` (an order or a style table written in code, named by ``where``) must gain or lose to name
    exactly the values the schema allows in one column; an empty list when it does.

    >>> print(*vocabulary_gaps("findings", "kind", ["practice", "challenge", "recommendation", "wish"], "KINDS"), sep="\n")
    data/datapackage.json, column "kind": the findings table allows "strategic response", but KINDS does not name it: add it there.
    data/datapackage.json, column "kind": the findings table allows "hypothesis", but KINDS does not name it: add it there.
    data/datapackage.json, column "kind": the findings table does not allow "wish", but KINDS names it: remove it there, or add it to the schema.
    """
    allowed, listed = vocabulary(table, column, data_dir), list(listed)
    shown = _shown(Path(DATA_DIR if data_dir is None else data_dir) / DESCRIPTOR)
    return ([Problem(shown, f'the {table} table allows "{value}", but {where} does not name it: add it there.',
                     column=column) for value in allowed if value not in listed]
            + [Problem(shown, f'the {table} table does not allow "{value}", but {where} names it: remove it there, '
                              "or add it to the schema.", column=column) for value in listed if value not in allowed])


def in_order(table: str, column: str, order, where: str, data_dir: Path | str | None = None) -> list[str]:
    """The values the schema allows in one column, arranged as ``order`` (written in code, named by ``where``).

    A value of the schema that ``order`` does not place is a DataError that says what to add where, so a new
    value is never dropped from a count, nor a chart left without its colour, without a word.

    >>> in_order("findings", "kind", ["hypothesis", "strategic response", "practice", "challenge", "recommendation"],
    ...          "KINDS")[:2]
    ['hypothesis', 'strategic response']
    """
    allowed = vocabulary(table, column, data_dir)
    if any(value not in order for value in allowed):
        raise DataError(vocabulary_gaps(table, column, order, where, data_dir))
    return [value for value in order if value in allowed]


def list_items(table: str, column: str, text: str | None, data_dir: Path | str | None = None) -> list[str]:
    """The items of one cell of a list column (see ``listForeignKeys``), split at the schema's separator.

    >>> list_items("findings", "event_ids", "minsk_protocol; minsk_ii")
    ['minsk_protocol', 'minsk_ii']
    """
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    for fk, separator in _foreign_keys(resource(_current_descriptor(data_dir), table)):
        if separator and _as_list(fk["fields"])[0] == column:
            return _split(text, separator)
    raise DataError([Problem(_shown(data_dir / DESCRIPTOR), f"the {table} table does not declare this column a list "
                                                             f"(under {LIST_FOREIGN_KEYS})", column=column)])


# ---------------------------------------------------------------- reading

def read_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, values) records of a CSV file, or a DataError."""
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([Problem(shown, "the file is missing")]) from None
    except UnicodeDecodeError as err:
        raise DataError([Problem(shown, f"is not UTF-8 text (byte {err.start}); save it as CSV UTF-8")]) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    records: list[tuple[int, list[str]]] = []
    next_row_starts = 1
    try:
        for values in reader:
            records.append((next_row_starts, values))
            next_row_starts = reader.line_num + 1
    except csv.Error as err:
        raise DataError([Problem(
            shown, f"a quote mark is not closed or is misplaced ({err}); "
                   "put values containing commas or quotes in double quotes, and double any quote inside them",
            row=next_row_starts)]) from None
    records = [(n, v) for n, v in records if any(cell.strip() for cell in v)]
    if not records:
        raise DataError([Problem(shown, "the file is empty (expected a header row)")])
    (_, header), *body = records
    return [h.strip() for h in header], body


# ---------------------------------------------------------------- cell checks

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


def convert(value: str, field: dict):
    """The typed value of one cell, or raise ValueError with a reader's explanation."""
    kind = field.get("type", "string")
    if kind == "string":
        return value
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            raise ValueError(f'"{value}" is not a whole number')
        return int(value)
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            raise ValueError(f'"{value}" is not a number (use a dot for decimals, no thousands separator)') from None
    if kind == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f'"{value}" is not a date (expected YYYY-MM-DD)') from None
    if kind == "boolean":
        true_values = field.get("trueValues", ["true", "True", "TRUE", "1"])
        false_values = field.get("falseValues", ["false", "False", "FALSE", "0"])
        if value in true_values:
            return True
        if value in false_values:
            return False
        raise ValueError(f'"{value}" is not one of {_listed(true_values + false_values)}')
    raise ValueError(f'the schema gives an unsupported type "{kind}"')


def check_constraints(value, text: str, field: dict) -> str | None:
    """What is wrong with a typed value under the field's constraints, or None."""
    rules = field.get("constraints", {})
    if "enum" in rules and text not in rules["enum"]:
        return f'"{text}" is not one of the allowed values: {_listed(rules["enum"])}'
    if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
        hint = field.get("description", f"pattern {rules['pattern']}")
        return f'"{text}" does not have the expected form ({hint})'
    if "minimum" in rules and value < _typed_bound(rules["minimum"], field):
        return f'{text} is below the minimum {rules["minimum"]}'
    if "maximum" in rules and value > _typed_bound(rules["maximum"], field):
        return f'{text} is above the maximum {rules["maximum"]}'
    if "maxLength" in rules and len(text) > rules["maxLength"]:
        return f"is {len(text)} characters long (at most {rules['maxLength']} allowed)"
    return None


# ---------------------------------------------------------------- tables

def validate_table(name: str, data_dir: Path | str = DATA_DIR, descriptor: dict | None = None,
                   known_keys: dict | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one table; return its DataFrame and every problem found (foreign keys included)."""
    data_dir = Path(data_dir)
    descriptor = descriptor or read_descriptor(data_dir)
    known_keys = {} if known_keys is None else known_keys  # referenced tables are read once per check
    res = resource(descriptor, name)
    refused = schema_problems(res, data_dir)
    if refused:
        raise DataError(refused)
    path = data_dir / res["path"]
    shown = _shown(path)
    fields = res["schema"]["fields"]
    header, body = read_records(path)

    problems: list[Problem] = []
    names = [f["name"] for f in fields]
    for missing in (n for n in names if n not in header):
        problems.append(Problem(shown, f'the column "{missing}" is missing from the header row', row=1))
    for extra in (h for h in header if h not in names):
        problems.append(Problem(shown, f'the header has an unknown column "{extra}" '
                                       f"(expected columns: {', '.join(names)})", row=1))
    if problems:
        raise DataError(problems)

    position = {h: i for i, h in enumerate(header)}
    missing_values = set(res["schema"].get("missingValues", [""]))
    rows, row_numbers = [], []
    for number, values in body:
        if len(values) != len(header):
            problems.append(Problem(shown, f"has {len(values)} values but the header has {len(header)} columns "
                                           "(a stray comma, or a value with a comma not in double quotes?)",
                                    row=number))
            continue
        record = {}
        for field in fields:
            text = values[position[field["name"]]].strip()
            if text in missing_values:
                if field.get("constraints", {}).get("required"):
                    problems.append(Problem(shown, "is empty but a value is required", number, field["name"]))
                record[field["name"]] = None
                continue
            try:
                value = convert(text, field)
            except ValueError as err:
                problems.append(Problem(shown, str(err), number, field["name"]))
                record[field["name"]] = None
                continue
            complaint = check_constraints(value, text, field)
            if complaint:
                problems.append(Problem(shown, complaint, number, field["name"]))
            record[field["name"]] = value
        rows.append(record)
        row_numbers.append(number)

    problems += _unique_problems(res, rows, row_numbers, shown)
    problems += _foreign_key_problems(res, rows, row_numbers, shown, data_dir, descriptor, known_keys)
    problems += _seed_quote_problems(res, rows, row_numbers, shown, data_dir, descriptor, known_keys)
    frame = _frame(rows, fields, row_numbers)
    frame.attrs["as_of"] = data_as_of(descriptor)
    return frame, problems


def load_table(name: str, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """One curated table as a DataFrame, checked against the schema; DataError if anything is wrong."""
    return _load_cached(name, str(Path(data_dir).resolve()), _fingerprint(Path(data_dir))).copy()


def validate_package(data_dir: Path | str = DATA_DIR) -> list[Problem]:
    """Every problem in every table of the package (an empty list when all is well)."""
    descriptor = read_descriptor(data_dir)
    known_keys: dict = {}  # shared, so sources.csv is read once for the whole package
    problems: list[Problem] = []
    for res in descriptor["resources"]:
        try:
            problems += validate_table(res["name"], data_dir, descriptor, known_keys)[1]
        except DataError as err:
            problems += err.problems
    return list(dict.fromkeys(problems))  # a broken sources.csv is reported once, not once per table citing it


@lru_cache(maxsize=32)
def _load_cached(name: str, data_dir: str, fingerprint: tuple) -> pd.DataFrame:
    frame, problems = validate_table(name, data_dir)
    if problems:
        raise DataError(problems)
    return frame


def _fingerprint(data_dir: Path) -> tuple:
    """Modification times of the descriptor and the CSVs, so an edited file is read again."""
    return tuple(p.stat().st_mtime_ns if p.exists() else 0
                 for p in [data_dir / DESCRIPTOR, *sorted(data_dir.glob("*.csv"))])


def _unique_problems(res, rows, row_numbers, shown) -> list[Problem]:
    problems = []
    key = _as_list(res["schema"].get("primaryKey", []))
    unique_columns = [[f["name"]] for f in res["schema"]["fields"]
                      if f.get("constraints", {}).get("unique") and [f["name"]] != key]
    for columns in ([key] if key else []) + unique_columns:
        seen: dict[tuple, int] = {}
        for record, number in zip(rows, row_numbers):
            value = tuple(record[c] for c in columns)
            if None in value:
                continue
            if value in seen:
                shown_value = ", ".join(str(v) for v in value)
                problems.append(Problem(shown, f'"{shown_value}" repeats row {seen[value]} '
                                               f"(each {', '.join(columns)} must be unique)",
                                        number, columns[0]))
            else:
                seen[value] = number
    return problems


def _foreign_keys(res: dict) -> list[tuple[dict, str | None]]:
    """(foreign key, separator) pairs: one value per cell (``foreignKeys``, separator None), then lists of values
    (``listForeignKeys``, separator "" when the schema forgot it)."""
    return ([(fk, None) for fk in res["schema"].get("foreignKeys", [])]
            + [(fk, fk.get("separator", "")) for fk in res["schema"].get(LIST_FOREIGN_KEYS, [])])


def _foreign_key_problems(res, rows, row_numbers, shown, data_dir, descriptor, known_keys) -> list[Problem]:
    problems = []
    for fk, separator in _foreign_keys(res):
        column = _as_list(fk["fields"])[0]
        target = fk["reference"]["resource"]
        target_column = _as_list(fk["reference"]["fields"])[0]
        allowed = _key_values(target, target_column, data_dir, descriptor, known_keys)
        target_file = resource(descriptor, target)["path"]
        # one id per cell "is not a source_id listed in ..."; an id among several "is not an event_id in ..."
        unknown = f'is not {_article(target_column)} {target_column} {"in" if separator else "listed in"}'
        for record, number in zip(rows, row_numbers):
            values = _split(record[column], separator) if separator else [record[column]]
            problems += [Problem(shown, f'"{value}" {unknown} data/{target_file}', number, column)
                         for value in values if value is not None and value not in allowed]
    return problems


def _seed_quote_problems(res, rows, row_numbers, shown, data_dir, descriptor, known_keys) -> list[Problem]:
    """A row citing one of the five seed documents must quote it (check_quotes.py checks the words)."""
    names = {f["name"] for f in res["schema"]["fields"]}
    if not {"source_id", "quote"} <= names or res["name"] == "sources":
        return []
    seeds = _key_values("sources", "source_id", data_dir, descriptor, known_keys, only_seeds=True)
    return [Problem(shown, f'cites the source document "{record["source_id"]}" but has no quote ({SEED_QUOTE_RULE})',
                    number, "quote")
            for record, number in zip(rows, row_numbers)
            if record["source_id"] in seeds and not record["quote"]]


def _key_values(table, column, data_dir, descriptor, known_keys, only_seeds=False) -> set:
    cache_key = (table, column, only_seeds)
    if cache_key in known_keys:
        return known_keys[cache_key]
    frame, problems = validate_table(table, data_dir, descriptor, known_keys)
    if problems:
        raise DataError(problems)
    if only_seeds:
        frame = frame[frame["seed_file"].notna()]
    values = set(frame[column].dropna())
    known_keys[cache_key] = values
    return values


def row_numbers(frame: pd.DataFrame) -> list[int]:
    """Each row's line in its CSV file, for messages that name the row (from line 2 on when not recorded)."""
    recorded = frame.attrs.get("row_numbers")
    return [int(n) for n in recorded.split(",")] if recorded else list(range(2, len(frame) + 2))


def keep_row_numbers(frame: pd.DataFrame, numbers) -> None:
    """Record each row's CSV line in ``frame.attrs``, as one string: pandas deep-copies ``attrs`` at every
    operation on the frame, a string at once but a list number by number (ten times slower for the sources)."""
    frame.attrs["row_numbers"] = ",".join(str(n) for n in numbers)


def _frame(rows: list[dict], fields: list[dict], row_numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "number":
            frame[name] = frame[name].astype("float64")
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
    keep_row_numbers(frame, row_numbers)
    return frame


def data_as_of(descriptor: dict) -> pd.Timestamp:
    """The date the data were last checked against their sources (the package's "created")."""
    return pd.Timestamp(descriptor["created"]).tz_localize(None).normalize()


def _current_descriptor(data_dir: Path) -> dict:
    """The descriptor, read again only when the file has changed (vocabularies are asked for at every redraw).

    Shared between callers: read it, never change it.
    """
    path = Path(data_dir) / DESCRIPTOR
    stat = path.stat() if path.exists() else None
    return _descriptor_at(str(path.resolve()), (stat.st_mtime_ns, stat.st_size) if stat else None)


@lru_cache(maxsize=8)
def _descriptor_at(path: str, version: tuple | None) -> dict:
    return read_descriptor(Path(path).parent)


def _split(text: str | None, separator: str) -> list[str]:
    """The items of a list cell, spaces around them ignored; none for an empty cell."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [item.strip() for item in text.split(separator) if item.strip()]


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _typed_bound(bound, field):
    return dt.date.fromisoformat(bound) if field.get("type") == "date" else bound


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _listed(values, last: str | None = None) -> str:
    """Values in quotes, separated by commas (the last one joined by ``last``, e.g. "and", when given)."""
    quoted = [f'"{v}"' for v in values]
    if last and len(quoted) > 1:
        return f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"
    return ", ".join(quoted)


def _shown(path: Path) -> str:
    """A path as a reader knows it: data/<file> when inside the course's data folder."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return f"{path.parent.name}/{path.name}"
