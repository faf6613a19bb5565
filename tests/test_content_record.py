"""The diplomacy record's content: the events, findings and quiz answers the course promises, as they stand.

These tests check the data itself (dates, coverage, agreement between quiz and record); the model's behaviour is
tested on the same tables in tests/test_models_record.py.
"""
import pandas as pd
import pytest

from natocourse.models import record
from natocourse.models.enlargement import turning_points
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
def quiz():
    return {q.id: q for name in ("diplomacy", "war_and_peace") for q in load_quiz(name).questions}  # lessons 04, 05


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
                   "The Budapest Memorandum, 1994": None,
                   "The Anti-Ballistic Missile (ABM) Treaty, 1972": None}  # the United States left it (2001-02)


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


def test_close_up_holds_the_week_of_talks_and_the_invasion(events):
    days = record.close_up(events)
    assert days["date"].between("2021-12-01", "2022-02-28").all()
    assert {"russia_draft_treaties_2021", "us_russia_ssd_geneva_2022", "nato_russia_council_2022",
            "osce_permanent_council_2022", "us_written_response_2022", "nato_written_response_2022",
            "russian_invasion_2022"} <= set(days["event_id"])


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
