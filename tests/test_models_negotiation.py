"""The negotiation role-play's model: data rules across the three tables, matrix, zone, rounds and their file text."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from natocourse.data import DATA_DIR, DataError
from natocourse.models.negotiation import (Proposal, RoundsError, agreements, apply_rounds, check_rounds, issue_matrix,
                                          load_scenario, matrix_changes, question_grid, real_record, role_card,
                                          rounds_csv, rounds_json, starting_standings, zone_of_agreement, zone_summary,
                                          zones)


@pytest.fixture(scope="module")
def jan():
    return load_scenario("jan2022")


@pytest.fixture(scope="module")
def peace():
    return load_scenario("peace_conference")


def test_the_matrix_at_the_start_shows_sourced_stances_and_blanks(jan):
    matrix = issue_matrix(jan)
    assert matrix.shape == (6, 7)
    assert matrix.loc["NATO enlargement", "Russia"] == 4
    assert matrix.loc["NATO enlargement", "United States"] == 0
    assert pd.isna(matrix.loc["Intermediate-range missiles in Europe", "Ukraine"])  # stated nothing: a blank


def test_the_zone_is_the_overlap_of_every_range_at_the_table(jan, peace):
    start = starting_standings(jan)
    assert zone_of_agreement(start, "missiles") == (2, 3)  # the US, NATO and Russia ranges meet at 2-3
    assert zone_of_agreement(start, "enlargement") is None
    table = zones(jan).set_index("issue_id")
    assert table.loc["exercises", "low"] == 2
    assert table.loc["enlargement", "floor"] == 3 and table.loc["enlargement", "floor_by"] == ["russia"]
    summary = zone_summary(jan, zones(jan))
    assert "overlap on 2 of 6 issues" in summary and "No overlap on 4 of 6" in summary
    assert "Russia's range starts at 3" in summary
    assert zones(peace)["low"].isna().all()  # the peace conference starts with no overlap anywhere


def test_accepting_counter_and_rejecting_move_ranges_as_documented(jan):
    proposal = (Proposal.new("jan2022", 1, "russia", "enlargement", 2, "a moratorium")
                .answered("united_states", "accept").answered("nato", "counter", 1)
                .answered("france_germany", "reject"))
    standings = apply_rounds(jan, [proposal])
    assert (standings[("enlargement", "russia")].position, standings[("enlargement", "russia")].low) == (2, 2)
    assert standings[("enlargement", "united_states")].high == 2  # 0-1 stretched to include 2
    assert standings[("enlargement", "nato")].position == 1
    assert standings[("enlargement", "france_germany")].high == 1  # 0-2 rejects 2: cut back to 0-1
    assert zone_of_agreement(standings, "enlargement") is None  # Poland and the Baltics, Finland-Sweden still at 0
    changes = matrix_changes(jan, standings)
    assert changes[("enlargement", "russia")] == 4


def test_an_issue_is_agreed_when_everyone_at_the_table_accepts(jan):
    everyone = [d for (i, d) in starting_standings(jan) if i == "missiles" and d != "united_states"]
    proposal = Proposal.new("jan2022", 2, "united_states", "missiles", 2, "transparency visits")
    for delegation in everyone:
        proposal = proposal.answered(delegation, "accept")
    agreed = agreements(jan, [proposal])
    assert list(agreed["issue"]) == ["Intermediate-range missiles in Europe"] and agreed.loc[0, "value"] == 2
    assert agreements(jan, [proposal.answered("russia", "reject")]).empty


def test_a_value_off_the_scale_or_an_unknown_answer_is_refused_in_words():
    with pytest.raises(RoundsError, match="from 0 to 4"):
        Proposal.new("jan2022", 1, "russia", "enlargement", 5)
    with pytest.raises(RoundsError, match="accept, reject, counter"):
        Proposal.new("jan2022", 1, "russia", "enlargement", 2).answered("nato", "maybe")


def test_rounds_survive_their_file_text_and_damage_keeps_the_usable_ones(jan):
    good = Proposal.new("jan2022", 1, "russia", "enlargement", 2, "x").answered("nato", "counter", 1)
    proposals, damage = check_rounds(rounds_json([good]).encode())
    assert proposals == [good] and damage == ""
    text = rounds_json([good]).replace('"proposals": [', '"proposals": [{"id": 1}, ')
    proposals, damage = check_rounds(text.encode())
    assert proposals == [good] and damage == "proposal 1 is not a recorded proposal"
    assert check_rounds(b"\x00\xff")[1] == "it is not text"
    assert check_rounds(b"[]")[1] == "it is not a file of negotiation rounds"
    assert "nato" not in rounds_csv(jan, [good]) and "NATO (Secretary General and the Allies)" in rounds_csv(jan, [good])


def test_role_cards_carry_every_position_with_its_source(jan):
    card = role_card(jan, "ukraine")
    lines = [line for lines in card.sections.values() for line in lines] + [
        line for lines in card.instructions.values() for line in lines]
    own = jan.positions[jan.positions["delegation_id"] == "ukraine"]
    assert len(lines) == len(own)
    assert all(line.source_id for line in lines)
    assert card.sections["aim"][0].stance.startswith("position 0, acceptable 0-1")


def test_value_meanings_read_the_ends_and_the_middle_values(jan):
    meanings = jan.value_meanings("enlargement")
    assert meanings[2] == "a political pause or moratorium on new members with no legal bar"
    assert meanings[4].startswith("a legally binding end to NATO enlargement")


def test_the_real_record_of_january_2022_ends_with_the_invasion():
    from natocourse.data import load_table
    record = real_record(load_table("events"), "jan2022")
    assert "us_russia_ssd_geneva_2022" in set(record["event_id"])
    assert record["date"].max() == pd.Timestamp("2022-02-24")


def test_the_question_grid_counts_claims_by_question_and_perspective():
    from natocourse.data import load_table
    grid = question_grid(load_table("claims"))
    assert set(grid.index) == {"promise_1990", "enlargement_caused_war", "talks_2021_22", "peace_talks"}
    assert grid.loc["talks_2021_22", "Russian government"] >= 1


# ---------------------------------------------------------------- data damage: file, row and column named

def damaged(tmp_path: Path, table: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("quizzes"))
    path = data / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def row_of(table: str, starts: str) -> int:
    lines = (DATA_DIR / f"{table}.csv").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(starts))


def test_a_delegation_of_the_other_scenario_is_named_with_file_row_and_column(tmp_path):
    data = damaged(tmp_path, "positions", "jan2022_russia_enlargement_aim,jan2022,russia,",
                   "jan2022_russia_enlargement_aim,jan2022,eu,")
    with pytest.raises(DataError) as err:
        load_scenario("jan2022", data)
    row = row_of("positions", "jan2022_russia_enlargement_aim")
    assert str(err.value).startswith(f'data/positions.csv, row {row}, column "delegation_id": "eu" is not a '
                                     'delegation of the scenario "jan2022" in data/delegations.csv')


def test_an_issue_of_the_other_scenario_is_named_with_file_row_and_column(tmp_path):
    data = damaged(tmp_path, "positions", "jan2022_russia_enlargement_aim,jan2022,russia,enlargement,",
                   "jan2022_russia_enlargement_aim,jan2022,russia,territory,")
    with pytest.raises(DataError) as err:
        load_scenario("jan2022", data)
    row = row_of("positions", "jan2022_russia_enlargement_aim")
    assert f'data/positions.csv, row {row}, column "issue_id": "territory" is not an issue of the scenario' in str(err.value)


def test_an_unknown_delegation_is_named_by_the_schema_check(tmp_path):
    data = damaged(tmp_path, "positions", "jan2022_russia_enlargement_aim,jan2022,russia,",
                   "jan2022_russia_enlargement_aim,jan2022,atlantis,")
    with pytest.raises(DataError) as err:
        load_scenario("jan2022", data)
    assert 'column "delegation_id": "atlantis" is not a delegation_id listed in data/delegations.csv' in str(err.value)


def test_a_card_row_with_no_source_is_named(tmp_path):
    data = damaged(tmp_path, "positions", ",2021-12-17,russia_mfa_draft_nato_agreement_2021,", ",2021-12-17,,")
    with pytest.raises(DataError) as err:
        load_scenario("jan2022", data)
    assert 'positions.csv, row 2, column "source_id": is empty but a value is required' in str(err.value)


def test_a_stance_outside_its_range_and_a_round_on_an_aim_are_named(tmp_path):
    data = damaged(tmp_path, "positions", "jan2022,russia,enlargement,aim,,", "jan2022,russia,enlargement,aim,2,")
    with pytest.raises(DataError) as err:
        load_scenario("jan2022", data)
    assert 'row 2, column "round": gives a round, but only instruction rows do' in str(err.value)
    data = damaged(tmp_path / "b", "positions", ",4,3,4,2021-12-17,russia_mfa_draft_nato_agreement_2021,",
                   ",4,0,2,2021-12-17,russia_mfa_draft_nato_agreement_2021,")
    with pytest.raises(DataError, match=r'row 2, column "stance": the range 0-2 does not include the stance 4'):
        load_scenario("jan2022", data)
