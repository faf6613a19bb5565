"""A student's slip in a cell gets a sentence, never a traceback: one test per slip the course has seen."""
import pytest

from natocourse.data import load_table
from natocourse.widgets.dilemma import show_match, show_noise_effect, show_world
from natocourse.models.enlargement import enlargement_per_year
from natocourse.errors import CourseError, InputError, choose, number
from natocourse.models.richardson import RichardsonModel
from natocourse.widgets.enlargement import show_membership
from natocourse.widgets.record import show_events
from natocourse.widgets.reference import claims_explorer, show_glossary


@pytest.fixture(scope="module")
def per_year():
    return enlargement_per_year(load_table("members"))


def test_a_year_before_nato_names_the_years_there_are(per_year):
    with pytest.raises(InputError, match="The year must be from 1949 to"):
        show_membership(per_year, year=1940)


def test_a_world_that_does_not_exist_lists_the_four():
    with pytest.raises(InputError, match='"offence" is not a world.*offence_indistinguishable'):
        show_world(load_table("jervis_worlds"), "offence")


def test_a_misspelt_strategy_suggests_the_right_one():
    with pytest.raises(InputError, match='Did you mean "tit for tat"'):
        show_match("tit-for-tat", "tit for tat", noise=0.1)


def test_a_misspelt_theme_suggests_the_right_one():
    with pytest.raises(InputError, match='Did you mean "enlargement"'):
        claims_explorer(load_table("claims"), load_table("sources"), theme="enlargment")


def test_a_perspective_not_in_the_theme_is_named():
    with pytest.raises(InputError, match='"pundits" is not a perspective on enlargement'):
        claims_explorer(load_table("claims"), load_table("sources"), theme="enlargement", perspective="pundits")


def test_a_misspelt_event_or_term_id_suggests_the_right_one_without_listing_them_all():
    with pytest.raises(InputError, match='Did you mean "minsk_ii"\\?$'):  # 90 ids: the hint, not the list
        show_events(load_table("events"), ["minsk_protocol", "minsk_2"])
    with pytest.raises(InputError, match='"spiral" is not a glossary term id.*Did you mean "spiral_model"'):
        show_glossary(load_table("glossary"), terms=["security_dilemma", "spiral"])


def test_one_noise_level_is_not_a_curve():
    with pytest.raises(InputError, match="at least two noise levels"):
        show_noise_effect((0.2,))
    with pytest.raises(InputError, match="from 0 to 1"):
        show_noise_effect((0, 2))


def test_richardson_constants_must_be_numbers():
    with pytest.raises(InputError, match="k must be a number; you gave 'a'"):
        RichardsonModel(k="a", l=1, a=1, b=1, g=1, h=1)


def test_helpers_pass_good_values_through_and_are_course_errors():
    assert choose("diplomacy", ["diplomacy"], "theme") == "diplomacy"
    assert number(3, "x", 0, 5) == 3.0
    with pytest.raises(CourseError, match="at least 0"):
        number(-1, "x", low=0)
    with pytest.raises(InputError, match="must be a number"):
        number(True, "x")


def test_a_notebook_prints_the_sentence_and_what_to_do(capsys):
    """In IPython the handler prints the message alone, with the advice for a typed value."""
    from IPython.core.interactiveshell import InteractiveShell
    from natocourse.errors import show_course_errors_plainly
    shell = InteractiveShell.instance()
    show_course_errors_plainly()
    shell.run_cell("from natocourse.errors import choose\nchoose('x', ['y'], 'theme')")
    shown = capsys.readouterr().out
    assert '"x" is not a theme' in shown and "Change the value in the cell" in shown and "Traceback" not in shown
