"""Find the course's CSV files, check them against the one schema, return DataFrames.

The schema is ``data/datapackage.json`` (a Frictionless Data Package): every
column's type, whether it is required, its allowed values, each table's
primary key and its foreign keys. This module reads that descriptor and
nothing else, so the loader and the tests can never disagree about a file.

Row numbers in messages are the ones a spreadsheet shows: the header is row 1,
the first record is row 2.

>>> glossary = load_table("glossary")            # doctest: +SKIP
>>> glossary.loc[0, "term"]                       # doctest: +SKIP
'Security dilemma'
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


def _foreign_key_problems(res, rows, row_numbers, shown, data_dir, descriptor, known_keys) -> list[Problem]:
    problems = []
    for fk in res["schema"].get("foreignKeys", []):
        column = _as_list(fk["fields"])[0]
        target = fk["reference"]["resource"]
        target_column = _as_list(fk["reference"]["fields"])[0]
        allowed = _key_values(target, target_column, data_dir, descriptor, known_keys)
        target_file = resource(descriptor, target)["path"]
        for record, number in zip(rows, row_numbers):
            value = record[column]
            if value is not None and value not in allowed:
                problems.append(Problem(shown, f'"{value}" is not a {target_column} listed in data/{target_file}',
                                        number, column))
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
    frame.attrs["row_numbers"] = row_numbers
    return frame


def data_as_of(descriptor: dict) -> pd.Timestamp:
    """The date the data were last checked against their sources (the package's "created")."""
    return pd.Timestamp(descriptor["created"]).tz_localize(None).normalize()


def _typed_bound(bound, field):
    return dt.date.fromisoformat(bound) if field.get("type") == "date" else bound


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _listed(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _shown(path: Path) -> str:
    """A path as a reader knows it: data/<file> when inside the course's data folder."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return f"{path.parent.name}/{path.name}"
