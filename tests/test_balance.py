"""Balance and plain naming in what students read: every contested question has several attributed
perspectives, no camp dominates the claims, and no text calls a source document a "seed"."""
import json
import re
from pathlib import Path

import pytest

from natocourse.data import DATA_DIR, load_table

ROOT = Path(__file__).resolve().parent.parent
MOST_CLAIMS_FOR_ONE_PERSPECTIVE = 0.25
PERSPECTIVES_PER_QUESTION = 3
SEED_NAME = re.compile(r"\bseeds?\b(?! (?:of|for|in|=|\d+ to|value))", re.IGNORECASE)  # not the random seed


@pytest.fixture(scope="module")
def claims():
    return load_table("claims")


def test_no_perspective_holds_more_than_a_quarter_of_the_claims(claims):
    shares = claims["perspective"].value_counts(normalize=True)
    assert shares.max() <= MOST_CLAIMS_FOR_ONE_PERSPECTIVE, shares.head(3).to_dict()


def test_every_contested_question_has_at_least_three_perspectives(claims):
    questions = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    field = next(f for r in questions["resources"] if r["name"] == "claims"
                 for f in r["schema"]["fields"] if f["name"] == "question")
    for question in field["constraints"]["enum"]:
        voices = claims.loc[claims["question"] == question, "perspective"].nunique()
        assert voices >= PERSPECTIVES_PER_QUESTION, f"{question}: {voices} perspectives"


def student_texts():
    """(where, text) for everything a student reads: data text columns, quizzes, lesson and homework notebooks."""
    columns = {"claims": ["claim", "holder"], "events": ["title", "short_title", "outcome_why", "notes"],
               "findings": ["label", "finding", "record"], "glossary": ["term", "definition"]}
    for table, names in columns.items():
        frame = load_table(table)
        for name in names:
            for key, text in zip(frame.iloc[:, 0], frame[name].fillna("")):
                yield f"{table}.csv {key} {name}", text
    for path in sorted((DATA_DIR / "quizzes").glob("*.yaml")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{path.relative_to(ROOT)} cell {number}", "".join(cell["source"])


def test_students_never_read_seed_for_a_source_document():
    found = [(where, SEED_NAME.search(text).group(0)) for where, text in student_texts() if SEED_NAME.search(text)]
    assert not found, found[:10]
