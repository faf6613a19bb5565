"""The diplomacy record model: filters, outcome counts, summaries, the close-up, the standoff and the findings (the data itself: tests/test_content_record.py)."""
import pandas as pd
import pytest

from natocourse.models import record
from natocourse.data import DataError, load_table, vocabulary, vocabulary_gaps
from natocourse.errors import CourseError


# ---------------------------------------------------------------- the record itself


# ---------------------------------------------------------------- filters

def test_filter_by_forum_keeps_only_that_forum(events):
    picked = record.filter_events(events, forum="Normandy format")
    assert picked["event_id"].tolist() == ["normandy_format_first_meeting", "normandy_summit_paris_2019"]


def test_filter_by_actor_matches_the_names_in_the_actors_column(events):
    picked = record.filter_events(events, actor="Türkiye")
    assert set(picked["event_id"]) == {"antalya_lavrov_kuleba_2022", "prisoner_exchange_azovstal_2022",
                                        "istanbul_talks_2022", "trilateral_memorandum_2022", "black_sea_grain_initiative",
                                        "black_sea_grain_initiative_end", "istanbul_talks_2025_05",
                                        "istanbul_talks_2025_06", "istanbul_talks_2025_07"}
    russia = record.filter_events(events, actor="Russia (or the USSR)")
    assert "two_plus_four_treaty" in set(russia["event_id"])  # the Soviet Union counts as Russia's predecessor


def test_filters_combine_and_period_is_inclusive(events):
    picked = record.filter_events(events, practice="dialogue and backchannel", years=(2022, 2022))
    assert picked["date"].dt.year.eq(2022).all()
    assert {"us_russia_ssd_geneva_2022", "istanbul_talks_2022", "black_sea_grain_initiative"} <= set(picked["event_id"])
    assert (picked["practice"] == "dialogue and backchannel").all()


def test_unknown_forum_gets_a_message_listing_the_forums(events):
    with pytest.raises(CourseError, match='No event has forum "G7".*Normandy format'):
        record.filter_events(events, forum="G7")


def test_reversed_period_gets_a_plain_message(events):
    with pytest.raises(CourseError, match="first year must not come after the last"):
        record.filter_events(events, years=(2020, 2010))


def test_every_actor_in_the_menu_has_events(events):
    for actor in record.actors_in(events):
        assert len(record.filter_events(events, actor=actor)) > 0


# ---------------------------------------------------------------- outcome counts

def test_tally_counts_every_negotiated_act_once(events):
    negotiated = ((events["outcome"] != "not applicable") & ~events["practice"].isin(record.NOT_NEGOTIATED)
                  & (events["forum"] != "unilateral")).sum()
    for by in ("forum", "period", "type", "practice"):
        assert record.outcome_tally(events, by=by).to_numpy().sum() == negotiated


def test_tally_leaves_out_accessions_applications_and_sanctions(events):
    """Joining NATO is not a success of talks with Russia, nor a sanctions package an agreement."""
    tally = record.outcome_tally(events, by="practice")
    assert not {"enlargement", "sanctions", "none (military action)", "none (other unilateral act)"} & set(tally.index)
    assert "unilateral" not in record.outcome_tally(events, by="forum").index  # Russia's draft treaties: a proposal
    assert (events["practice"] == "enlargement").any() and (events["practice"] == "sanctions").any()


def test_tally_by_period_stays_in_time_order(events):
    tally = record.outcome_tally(events, by="period")
    assert tally.index.tolist() == ["1990-1999", "2000-2013", "2014-2021", "2022-today"]
    assert list(tally.columns) == [o for o in record.outcomes() if o in tally.columns]


def test_tally_by_something_else_is_refused_plainly(events):
    with pytest.raises(CourseError, match="by forum, period, type or practice"):
        record.outcome_tally(events, by="colour")


def test_tally_summary_names_the_leaders_with_their_counts():
    tally = pd.DataFrame({"implemented": [3, 1], "no agreement": [0, 2]}, index=pd.Index(["A", "B"], name="forum"))
    assert record.tally_summary(tally) == ("6 negotiated acts by forum, 4 implemented in full. "
                                           "Most implemented in full: A (3 of 3). "
                                           "Most that ended in no agreement, collapse or rejection: B (2 of 3). "
                                           "These count the events the course records (accessions, sanctions "
                                           "and one-sided acts left out), not all the diplomacy there was.")


def toy_events(*rows) -> pd.DataFrame:
    """Events of our own: (date, outcome, practice, forum) each."""
    return pd.DataFrame([{"date": pd.Timestamp(day), "outcome": outcome, "practice": practice, "forum": forum}
                         for day, outcome, practice, forum in rows])


def test_record_summary_of_one_event_gives_its_day_and_outcome():
    one = toy_events(("2015-02-12", "collapsed", "dialogue and backchannel", "Normandy format"))
    assert record.record_summary(one) == ("1 event on 12 Feb 2015; outcomes of the 1 negotiated act: 1 collapsed.")


def test_record_summary_says_what_it_does_not_count():
    shown = toy_events(("2014-03-18", "not applicable", "none (military action)", "unilateral"),
                       ("2014-09-05", "collapsed", "dialogue and backchannel", "OSCE"),
                       ("2015-02-12", "collapsed", "dialogue and backchannel", "Normandy format"),
                       ("2016-07-08", "implemented", "enlargement", "NATO"))
    assert record.record_summary(shown) == (
        "4 events from 18 Mar 2014 to 8 Jul 2016; outcomes of the 2 negotiated acts: 2 collapsed; 2 not counted "
        "(statements, accessions, sanctions, military action and other one-sided acts).")
    only_war = shown.iloc[:1]
    assert record.record_summary(only_war) == ("1 event on 18 Mar 2014; 1 not counted (statements, accessions, "
                                               "sanctions, military action and other one-sided acts).")


def test_tally_summary_names_every_row_that_ties_for_the_lead():
    tally = pd.DataFrame({"implemented": [2, 2, 0], "collapsed": [0, 1, 1]},
                         index=pd.Index(["A", "B", "C"], name="period"))
    summary = record.tally_summary(tally)
    assert summary.startswith("6 negotiated acts by period, 4 implemented in full. ")
    assert "Most implemented in full: A (2 of 2) and B (2 of 3). " in summary
    assert "no agreement, collapse or rejection: B (1 of 3) and C (1 of 1). " in summary


def test_record_summary_counts_what_is_shown(events):
    picked = record.filter_events(events, years=(2014, 2015))
    summary = record.record_summary(picked)
    assert summary.startswith(f"{len(picked)} events from 21 Feb 2014 to 18 Feb 2015")
    assert "4 collapsed" in summary  # the Kyiv agreement of 21 February, the Geneva statement, Minsk I and II
    assert record.record_summary(picked.iloc[0:0]).startswith("No event matches")


# ---------------------------------------------------------------- quiz numbers come from the data


# ---------------------------------------------------------------- the close-up


def test_standoff_sets_each_demand_beside_its_answer():
    table = record.standoff(load_table("claims"))
    assert len(table) == len(load_table("standoff")) == 3
    assert table["demand_by"].str.contains("Russian").all()
    assert table["answer"].notna().all()


def test_standoff_with_a_missing_claim_names_the_file_and_id():
    claims = load_table("claims")
    with pytest.raises(DataError, match='data/standoff.csv, row 2, column "answer_claim_id": names the claim '
                                        '"us_jan2022_open_door_unchanged", which the claims shown do not have'):
        record.standoff(claims[claims["claim_id"] != "us_jan2022_open_door_unchanged"])


# ---------------------------------------------------------------- the seeds' findings


def test_findings_of_an_unknown_kind_lists_the_kinds(findings):
    with pytest.raises(CourseError, match="Choose one of: practice, challenge"):
        record.findings_of(findings, "wish")


# ---------------------------------------------------------------- the schema's vocabularies, ordered here

@pytest.mark.parametrize("name, column", [("OUTCOME_ORDER", "outcome"), ("PRACTICE_ORDER", "practice")])
def test_each_order_places_exactly_the_values_the_schema_allows(name, column):
    gaps = vocabulary_gaps("events", column, getattr(record, name), f"{name} in natocourse/models/record.py")
    assert not gaps, "\n".join(map(str, gaps))


@pytest.mark.parametrize("listed, column", [
    (record.NOT_NEGOTIATED, "practice"), ((record.NOT_DIPLOMACY, *record.FAILED), "outcome"),
    (record.AGREEMENT_TYPES, "type"), ((record.ONE_SIDED,), "forum")])
def test_each_value_the_model_singles_out_is_one_the_schema_allows(listed, column):
    unknown = [value for value in listed if value not in vocabulary("events", column)]
    assert not unknown, f"natocourse/models/record.py names {unknown}, which events.{column} does not allow"
