"""The homework marks what it should: per assignment, the answer key scores 100% of the automatic points, an
untouched worksheet 0, and a crafted partial submission exactly the partial score intended (right direction but
wrong size, two of three items, a source that does not support the chosen reading); and no automatic point is given
for a source id that merely exists.

Built and graded like tests/test_homework.py (whose helpers this file reuses): the instructor sources are built into
a temporary folder and the submissions graded with ``natocourse.grading.grade_folder``. Marked ``grading`` (slow).
"""
from __future__ import annotations

import ast
import doctest

import nbformat
import pytest

import natocourse
from natocourse import grading, sandbox
from test_homework import ASSIGNMENTS, _set_answer, answered, auto_questions, built  # noqa: F401 (a fixture)

pytestmark = pytest.mark.grading

# Each partial submission: the answers typed into some answer cells, and the points each question must then get.
PARTIAL = {
    "hw01_enlargement": (
        {"q1": 'new_neighbour_names = ["Estonia", "Latvia", "Lithuania"]\nnew_neighbours = len(new_neighbour_names)',
         "q2": "pause_began = 1982\npause_ended = 1999\npause_years = 17",  # a pause read right, not the longest
         "q4": "percent_bordering = 0.1875",  # a fraction, not a percentage
         "q5": 'q5_answer = "B"',
         "q6_sources": 'q6_reading = "C"\nq6_sources = ["security_dilemma_essay"]'},  # exists, argues another reading
        {"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 1, "q6_sources": 0}),
    "hw02_security_dilemma": (
        {"q1": 'stag_hunt_equilibria = ["both restrain", "both arm"]\npd_equilibria = ["both restrain"]',
         "q2": "first_pd_advantage = 1",  # right direction, not the exact threshold
         "q3": "tft_restrain_percent = 10\ngenerous_restrain_percent = 50",  # right comparison, wrong numbers
         "q4": 'q4_answer = "A"',
         "q5": 'q5_answer = "B"',
         "q6_sources": 'q6_combination = "PD/SH"\nq6_sources = ["putin_address_2022_02_24"]',
         "q7": 'mixed_equilibria = [("arm", "arm")]\nx_star = 0.0\ny_star = 0.0'},
        {"q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 1, "q6_sources": 1, "q7": 1}),
    "hw03_diplomacy": (
        {"q1": "agreements_implemented = 10\nagreements_collapsed = 12",
         "q2": 'most_failures_forum = "bilateral"\nmost_implemented_period = "2022-today"',
         "q3": 'forums_january_2022 = ["NATO-Russia Council", "OSCE"]',  # two of three, none wrong
         "q4": 'q4_answer = "D"',
         "q5": 'q5_answer = "B"',
         "q6_references": 'q6_position = "not seriously tried by Russia"\n'
                          'q6_events = ["minsk_ii", "russian_invasion_2022"]\n'  # one negotiated act, one war
                          'q6_sources = ["hill_stent2022"]'},
        {"q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 1, "q6_references": 1, "q7": 0}),
}
EXPECTED_PARTIAL = {"hw01_enlargement": (3, 9), "hw02_security_dilemma": (6, 11), "hw03_diplomacy": (5, 12)}
# the automatic points of the track that needs no coding, and of the optional coding extension
TRACKS = {"hw01_enlargement": (7, {"q3": 2}), "hw02_security_dilemma": (9, {"q7": 2}),
          "hw03_diplomacy": (10, {"q7": 2})}
IRRELEVANT_SOURCE = "natural_earth"  # a source that exists (the map's outlines) and argues nothing
IRRELEVANT_EVENT = "russian_invasion_2022"  # an event that exists and is not a negotiated act


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):  # noqa: F811
    """Key, blank and partial submission of every assignment, graded: {assignment: {student: {question: points}}}."""
    results = {}
    for name in ASSIGNMENTS:
        folder = tmp_path_factory.mktemp(f"in_{name}")
        nbformat.write(answered(built, name, auto_questions(built, name)), folder / "key.ipynb")
        nbformat.write(nbformat.read(built / "student" / f"{name}.ipynb", as_version=4), folder / "blank.ipynb")
        answers, _ = PARTIAL[name]

        def fill(nb, answers=answers):
            for question, source in answers.items():
                _set_answer(nb, question, source)
        nbformat.write(answered(built, name, [], change=fill), folder / "partial.ipynb")
        subs = grading.grade_folder(folder, tmp_path_factory.mktemp(f"out_{name}"), dist=built / "dist", jobs=3)
        results[name] = {s.student: {r["question"]: r["points"] for r in s.rows if r["points"] != ""} for s in subs}
        assert all(s.flags == [] and not s.problems for s in subs), [(s.student, s.flags, s.problems) for s in subs]
    return results


def maximum(built, name):  # noqa: F811
    return sum(q.points for q in grading.load_assignment(name, built / "dist")[1] if not q.manual)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_key_scores_100_blank_0_and_partial_exactly_as_intended(built, graded, name):  # noqa: F811
    scores = graded[name]
    total = maximum(built, name)
    assert total == EXPECTED_PARTIAL[name][1]
    assert sum(scores["key"].values()) == total
    assert sum(scores["blank"].values()) == 0
    assert scores["partial"] == PARTIAL[name][1]
    assert sum(scores["partial"].values()) == EXPECTED_PARTIAL[name][0]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_most_automatic_points_need_no_coding_and_the_written_argument_is_worth_4(built, name):  # noqa: F811
    questions = {q.name: q for q in grading.load_assignment(name, built / "dist")[1]}
    main, extension = TRACKS[name]
    assert {q: questions[q].points for q in extension} == extension
    assert {q.name for q in questions.values() if q.extension} == set(extension)  # the grader reports it apart
    assert sum(q.points for q in questions.values() if not q.manual and q.name not in extension) == main
    assert [q.points for q in questions.values() if q.manual] == [4]
    cells = [c.source for c in nbformat.read(built / "student" / f"{name}.ipynb", as_version=4).cells]
    heading = next(i for i, c in enumerate(cells) if "Extension (optional" in c)
    for q in extension:  # the extension's questions come after its heading, marked optional
        assert cells.index(f'grader.check("{q}")') > heading


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_written_question_shows_its_rubric_to_students(built, name):  # noqa: F811
    text = (built / "student" / f"{name}.ipynb").read_text(encoding="utf-8")
    for level in range(5):
        assert f"| {level} |" in text
    assert "marks the reasoning, not which side you take" in text


def _key_values(built, name, question):  # noqa: F811
    """The key's answer to one question, as the variables it sets."""
    blank = next(q for q in grading.load_assignment(name, built / "dist")[1] if q.name == question).blank_answer
    key = {c.id: c for c in nbformat.read(built / "dist" / name / "solution.ipynb", as_version=4).cells}
    env = {"course": natocourse}
    exec(key[blank["cell_id"]].source, env)
    return env


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_no_point_is_given_for_a_source_or_event_id_that_merely_exists(built, name):  # noqa: F811
    known_sources = set(natocourse.load_table("sources")["source_id"])
    known_events = set(natocourse.load_table("events")["event_id"])
    assert IRRELEVANT_SOURCE in known_sources and IRRELEVANT_EVENT in known_events
    tests = grading.load_tests(grading.load_assignment(name, built / "dist")[0])
    checked = 0
    for question, spec in tests.items():
        for case in spec["suites"][0]["cases"]:
            names = {n for e in doctest.DocTestParser().get_examples(case["code"]) for n in e.source.split()}
            reads = [v for v in ("q6_sources", "q6_events") if any(v in n for n in names)]
            if not reads or not case.get("hidden"):  # the public checks are worth 0 points
                continue
            env = _key_values(built, name, question)
            assert sandbox.run_case(question, case["code"], dict(env))[0], f"{question}: the key fails its own check"
            for variable in reads:
                fake = dict(env)
                fake[variable] = [IRRELEVANT_SOURCE] if variable.endswith("sources") else [IRRELEVANT_EVENT] * 2
                passed, _ = sandbox.run_case(question, case["code"], fake)
                if variable.endswith("events") and "q6_sources" in reads:
                    continue  # a case about both: the sources part is tested on its own line
                assert not passed, f"{name} {question}: a point for {variable} = {fake[variable]}, ids that only exist"
                checked += 1
    assert checked >= 1, f"{name}: no automatic point checks the sources at all"


def test_the_relevance_lists_name_only_sources_and_events_that_exist(built):  # noqa: F811
    known = set(natocourse.load_table("sources")["source_id"]) | set(natocourse.load_table("events")["event_id"])
    found = 0
    for name in ASSIGNMENTS:
        for question, spec in grading.load_tests(grading.load_assignment(name, built / "dist")[0]).items():
            for case in spec["suites"][0]["cases"]:
                for example in doctest.DocTestParser().get_examples(case["code"]):
                    for node in ast.walk(ast.parse(example.source)):
                        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["_r"] \
                                and isinstance(node.value, ast.Dict):
                            relevant = ast.literal_eval(node.value)
                            missing = {i for ids in relevant.values() for i in ids} - known
                            assert not missing, f"{name} {question}: {sorted(missing)}"
                            found += 1
    assert found == 3  # hw01 and hw02 q6_sources, hw03 q6_references
