"""The diplomacy record: the events the course promises, filters, outcome counts, the close-up and the seeds' findings."""
import pandas as pd
import pytest

from natocourse.models import record
from natocourse.data import DataError, load_table, vocabulary, vocabulary_gaps
from natocourse.models.enlargement import turning_points
from natocourse.errors import CourseError
from natocourse.quiz.model import load_quiz

# The events issue 5 asks for, with their dates (the convention of data/datapackage.json: signature,
# decision or the day membership took effect).
REQUIRED = {
    "two_plus_four_treaty": "1990-09-12", "budapest_memorandum": "1994-12-05",
    "nato_russia_founding_act": "1997-05-27", "nato_russia_council_rome": "2002-05-28",
    "bucharest_summit_2008": "2008-04-03", "crimea_annexation": "2014-03-18", "wales_summit_2014": "2014-09-05",
    "minsk_protocol": "2014-09-05", "minsk_ii": "2015-02-12", "warsaw_summit_efp": "2016-07-08",
    "russia_draft_treaties_2021": "2021-12-17", "us_russia_ssd_geneva_2022": "2022-01-10",
    "nato_russia_council_2022": "2022-01-12", "osce_permanent_council_2022": "2022-01-13",
    "russian_invasion_2022": "2022-02-24", "istanbul_talks_2022": "2022-03-29",
    "black_sea_grain_initiative": "2022-07-22", "black_sea_grain_initiative_end": "2023-07-17",
    "finland_joins_2023": "2023-04-04", "sweden_joins_2024": "2024-03-07",
}


@pytest.fixture(scope="module")
def events():
    return load_table("events")


@pytest.fixture(scope="module")
def findings():
    return load_table("findings")


@pytest.fixture(scope="module")
def quiz():
    return {q.id: q for q in load_quiz("diplomacy").questions}


# ---------------------------------------------------------------- the record itself

def test_every_required_event_is_in_the_record_on_its_date(events):
    dates = events.set_index("event_id")["date"]
    missing = sorted(set(REQUIRED) - set(dates.index))
    assert not missing
    wrong = {e: f"{dates[e]:%Y-%m-%d}" for e, day in REQUIRED.items() if dates[e] != pd.Timestamp(day)}
    assert not wrong


def test_record_runs_from_1990_to_the_latest_rounds(events):
    assert events["date"].min() == pd.Timestamp("1990-07-16")  # Ukraine's declaration of state sovereignty
    assert events["date"].max() >= pd.Timestamp("2026-02-01")  # the most recent rounds the course could source


# Each strand a balanced record of 1990 to today needs, with events that must be in it (issue 10).
STRANDS = {
    "the end of the USSR and Ukraine's independence": [
        "ukraine_independence_act_1991", "ukraine_independence_referendum_1991", "belovezha_agreement_1991",
        "ussr_dissolved_1991", "russia_ukraine_friendship_treaty_1997"],
    "arms control and how each treaty ended": [
        "cfe_treaty_1990", "cfe_adaptation_agreement_1999", "russia_suspends_cfe_2007", "russia_withdraws_cfe_2023",
        "open_skies_treaty_1992", "us_withdraws_open_skies_2020", "russia_withdraws_open_skies_2021",
        "inf_treaty_us_withdrawal_2019", "new_start_2010", "russia_suspends_new_start_2023", "new_start_expires_2026",
        "vienna_document_2011"],
    "Ukraine's own choices about alignment": [
        "ukraine_sovereignty_declaration_1990", "ukraine_joins_pfp_1994", "ukraine_nsdc_nato_goal_2002",
        "ukraine_map_request_2008", "ukraine_nonbloc_law_2010", "ukraine_nonbloc_repeal_2014",
        "ukraine_constitution_eu_nato_2019", "ukraine_applies_nato_2022"],
    "the EU track and the crisis in Kyiv": [
        "eu_ukraine_pca_1994", "eastern_partnership_2009", "ukraine_suspends_aa_2013", "russia_ukraine_december_deal_2013",
        "kyiv_agreement_21feb_2014", "yanukovych_removed", "geneva_statement_2014", "eu_aa_economic_chapters_2014"],
    "the war in Donbas beyond Minsk": [
        "donbas_war_begins_2014", "mh17_shot_down_2014", "ilovaisk_2014", "debaltseve_2015", "osce_smm_ukraine_2014",
        "steinmeier_formula_2019", "normandy_summit_paris_2019", "ceasefire_measures_2020"],
    "the summits and visits of 2021-22": [
        "biden_putin_geneva_summit_2021", "biden_putin_video_call_2021", "blinken_lavrov_geneva_2022",
        "macron_putin_moscow_2022", "scholz_putin_moscow_2022", "ukraine_invokes_vienna_document_2022"],
    "the annexations, the UN's answers and sanctions": [
        "unga_resolution_68_262", "russia_annexes_four_regions_2022", "unsc_veto_annexation_2022",
        "unga_resolution_es_11_1", "unga_resolution_es_11_4", "unsc_resolution_2774", "eu_sanctions_package_1_2022",
        "g7_oil_price_cap_2022", "eu_sanctions_package_19_2025"],
    "both sides' terms for peace and every round of talks": [
        "belarus_talks_round_1_2022", "istanbul_talks_2022", "zelensky_peace_formula_2022", "putin_conditions_june_2024",
        "china_position_paper_2023", "african_peace_mission_2023", "china_brazil_common_understandings_2024",
        "burgenstock_peace_summit_2024", "us_russia_riyadh_2025", "istanbul_talks_2025_05", "alaska_summit_2025",
        "geneva_peace_plan_talks_2025", "abu_dhabi_trilateral_2026", "geneva_trilateral_talks_2026"],
}


@pytest.mark.parametrize("strand", STRANDS)
def test_record_covers_every_strand(events, strand):
    missing = set(STRANDS[strand]) - set(events["event_id"])
    assert not missing, f"{strand}: {sorted(missing)}"


def test_every_outcome_label_is_justified(events):
    assert events["outcome_why"].str.len().min() > 40


def test_every_event_has_a_short_title_for_charts(events):
    assert events["short_title"].notna().all()
    assert events["short_title"].str.len().max() <= 50


def test_notebook_01_turning_points_are_unchanged(events):
    points = turning_points(events)
    assert points["label"].tolist() == [
        "Two-plus-Four Treaty", "USSR dissolved", "NATO-Russia Founding Act", "Czechia, Hungary, Poland join",
        "Seven states join (the Baltics too)", 'Bucharest: Ukraine, Georgia "will become members"', "Russo-Georgian war",
        "Russia annexes Crimea", "Russia's full-scale invasion of Ukraine", "Finland joins", "Sweden joins"]


def test_events_are_in_date_order_in_the_file(events):
    assert events["date"].is_monotonic_increasing


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

# Each option of the "who sat at the table" question, and the event of the record it names.
AT_THE_TABLE = ["minsk_protocol", "normandy_summit_paris_2019", "us_russia_ssd_geneva_2022", "nato_russia_council_2022",
                "osce_permanent_council_2022", "istanbul_talks_2022", "us_russia_riyadh_2025"]
# Each option of the "which agreements did Russia itself leave" question, and the event in which it ended (None:
# it did not end by Russia's act).
ENDED_BY_RUSSIA = {"The Treaty on Conventional Armed Forces in Europe (CFE), 1990": "russia_withdraws_cfe_2023",
                   "The Treaty on Open Skies, 1992": "russia_withdraws_open_skies_2021",
                   "The Russian-Ukrainian Treaty of Friendship, 1997": None,
                   "New START, the US-Russian treaty limiting strategic nuclear weapons, 2010":
                       "russia_suspends_new_start_2023",
                   "The Black Sea Grain Initiative, 2022": "black_sea_grain_initiative_end",
                   "The Budapest Memorandum, 1994": None}


def test_quiz_ukraine_at_the_table_agrees_with_the_actors_of_each_event(events, quiz):
    actors = events.set_index("event_id")["actors"]
    choices = quiz["ukraine-at-the-table"].choices
    assert len(choices) == len(AT_THE_TABLE)
    for choice, event_id in zip(choices, AT_THE_TABLE):
        assert choice.correct == ("Ukraine" in actors[event_id]), (choice.text, actors[event_id])


def test_quiz_agreements_russia_left_agree_with_the_record(events, quiz):
    by_id = events.set_index("event_id")
    choices = quiz["agreements-ended"].choices
    assert [c.text for c in choices] == list(ENDED_BY_RUSSIA)
    for choice in choices:
        event_id = ENDED_BY_RUSSIA[choice.text]
        assert choice.correct == (event_id is not None), choice.text
        if event_id:
            assert "Russia" in by_id.loc[event_id, "actors"] or "Russia" in by_id.loc[event_id, "title"], event_id


def test_quiz_order_question_is_in_the_order_of_the_record(events):
    dates = events.set_index("event_id")["date"]
    order = ["budapest_memorandum", "nato_russia_founding_act", "nato_russia_council_rome", "bucharest_summit_2008",
             "minsk_ii", "russia_draft_treaties_2021"]
    assert dates[order].is_monotonic_increasing


# ---------------------------------------------------------------- the close-up

def test_close_up_holds_the_week_of_talks_and_the_invasion(events):
    days = record.close_up(events)
    assert days["date"].between("2021-12-01", "2022-02-28").all()
    assert {"russia_draft_treaties_2021", "us_russia_ssd_geneva_2022", "nato_russia_council_2022",
            "osce_permanent_council_2022", "us_written_response_2022", "nato_written_response_2022",
            "russian_invasion_2022"} <= set(days["event_id"])


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

def test_findings_hold_the_seeds_typology_challenges_recommendations_and_hypotheses(findings):
    numbers = findings.groupby("kind")["number"].apply(sorted)
    assert numbers["challenge"] == [1, 2, 3, 4]
    assert numbers["recommendation"] == [1, 2, 3, 4, 5, 6, 7]
    assert numbers["hypothesis"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert len(numbers["practice"]) == 5 and len(numbers["strategic response"]) >= 4
    by_seed = findings.groupby("source_id")["kind"].agg(set)
    assert by_seed["enyichukwu2023"] == {"practice", "challenge", "recommendation"}
    assert by_seed["hussain_ali2025"] == {"strategic response", "hypothesis"}


def test_every_finding_is_quoted_and_attributed(findings):
    assert findings["quote"].str.len().min() > 20
    assert findings["finding"].str.match(r"^(Enyichukwu et al\.|Hussain & Ali) ").all()


def test_findings_link_to_real_events(findings, events):
    links = record.linked_events(findings, events)
    assert links["date"].notna().all()
    assert links.groupby("finding_id")["date"].apply(lambda dates: dates.is_monotonic_increasing).all()
    assert {"minsk_protocol", "minsk_ii"} <= set(links.loc[links["finding_id"] == "e_rec_6_minsk", "event_id"])


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
