"""Notebook 06's widgets: recording a round updates the matrix and the chart, a restart keeps the rounds, a damaged
or unwritable rounds file loses nothing, the cards print one page each, and who argues what opens the claims."""
import errno
import json

import pytest

import natocourse.widgets.negotiation as negotiation
from natocourse.models.negotiation import Proposal, load_scenario
from natocourse.widgets.negotiation import NegotiationRoom, SavedRounds, cards_document, rounds_path, who_argues_what


@pytest.fixture
def rounds_file(tmp_path):
    return tmp_path / "negotiation-rounds.json"


def record_a_round(room, proposer="russia", issue="enlargement", value="2", answers=(("united_states", "accept"),)):
    recorder = room.recorder_view()
    controls = recorder.controls
    controls["proposer"].value, controls["issue"].value, controls["value"].value = proposer, issue, value
    controls["words"].value = "a moratorium on new members"
    controls["propose"].click()
    for delegation, answer in answers:
        controls["answers"][delegation][0].value = answer
    controls["answer"].click()
    return controls


def test_recording_a_round_updates_the_matrix_and_the_chart(rounds_file):
    room = NegotiationRoom("jan2022", SavedRounds(rounds_file))
    board = room.board_view()
    matrix_before, zone_before = board.drawn["matrix"], board.drawn["zone"]
    controls = record_a_round(room)
    assert "Recorded and saved: 1 answer" in controls["status"].value
    assert board.drawn["matrix"][0] != matrix_before[0] and board.drawn["zone"][0] != zone_before[0]
    assert "2 positions moved since the start" in board.drawn["matrix"][1]
    assert room.standings()[("enlargement", "united_states")].position == 2
    saved = json.loads(rounds_file.read_text(encoding="utf-8"))
    assert saved["proposals"][0]["responses"]["united_states"]["answer"] == "accept"


def test_a_restart_keeps_the_rounds_of_both_scenarios(rounds_file):
    room = NegotiationRoom("jan2022", SavedRounds(rounds_file))
    record_a_round(room)
    room.chooser.value = "peace_conference"
    record_a_round(room, proposer="turkiye", issue="territory", value="2", answers=(("ukraine", "counter"),))
    restarted = NegotiationRoom("peace_conference", SavedRounds(rounds_file))  # a new kernel reads the file
    assert [p.proposer for p in restarted.proposals()] == ["turkiye"]
    restarted.chooser.value = "jan2022"
    assert [p.proposer for p in restarted.proposals()] == ["russia"]
    assert restarted.standings()[("enlargement", "russia")].position == 2


def test_a_damaged_rounds_file_is_set_aside_and_the_usable_rounds_kept(rounds_file):
    good = Proposal.new("jan2022", 1, "russia", "enlargement", 2, "kept")
    rounds_file.write_text(negotiation.rounds_json([good]).replace('"proposals": [', '"proposals": ["junk", '),
                           encoding="utf-8")
    rounds = SavedRounds(rounds_file)
    assert [p.text for p in rounds.proposals("jan2022")] == ["kept"]
    assert "could not be read in full (proposal 1 is not a recorded proposal)" in rounds.notice
    copies = list(rounds_file.parent.glob("negotiation-rounds.json.damaged-*"))
    assert len(copies) == 1 and "junk" in copies[0].read_text(encoding="utf-8")
    rounds_file.write_text("{ not json", encoding="utf-8")
    assert SavedRounds(rounds_file).proposals("jan2022") == []  # a new file is started; the old one is kept aside
    assert len(list(rounds_file.parent.glob("negotiation-rounds.json.damaged-*"))) == 2


def test_a_failed_save_keeps_the_round_in_memory_and_writes_it_next_time(rounds_file, monkeypatch):
    rounds = SavedRounds(rounds_file)

    def full_disk(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("natocourse.quiz.progress.write_atomically", full_disk)  # where every saved file is written
    assert not rounds.propose(Proposal.new("jan2022", 1, "nato", "exercises", 2, "observers"))
    assert "could not be saved: the disk is full" in rounds.problem
    assert [p.text for p in rounds.proposals("jan2022")] == ["observers"]
    monkeypatch.undo()
    assert rounds.save() and rounds.problem == ""
    assert [p.text for p in SavedRounds(rounds_file).proposals("jan2022")] == ["observers"]


def test_two_notebooks_saving_at_once_keep_each_others_rounds(rounds_file):
    first, second = SavedRounds(rounds_file), SavedRounds(rounds_file)
    first.propose(Proposal.new("jan2022", 1, "nato", "exercises", 2, "first"))
    second.propose(Proposal.new("jan2022", 1, "russia", "missiles", 3, "second"))
    assert {p.text for p in SavedRounds(rounds_file).proposals("jan2022")} == {"first", "second"}


def test_starting_a_new_class_keeps_a_copy_and_clears_one_scenario(rounds_file):
    rounds = SavedRounds(rounds_file)
    rounds.propose(Proposal.new("jan2022", 1, "nato", "exercises", 2, "old class"))
    rounds.propose(Proposal.new("peace_conference", 1, "turkiye", "territory", 2, "other scenario"))
    kept = rounds.start_over("jan2022")
    assert "old class" in kept.read_text(encoding="utf-8")
    again = SavedRounds(rounds_file)
    assert again.proposals("jan2022") == [] and len(again.proposals("peace_conference")) == 1


def test_the_rounds_export_as_csv(rounds_file, tmp_path):
    room = NegotiationRoom("jan2022", SavedRounds(rounds_file))
    record_a_round(room)
    written = room.rounds.export_csv(room.scenario, tmp_path / "rounds.csv")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("scenario,round,proposal_id") and "Russian Federation" in lines[1] and "accept" in lines[1]


def test_the_rounds_file_lies_beside_the_quiz_answers(monkeypatch, tmp_path):
    monkeypatch.delenv("NATOCOURSE_ROUNDS", raising=False)
    monkeypatch.setenv("NATOCOURSE_PROGRESS", str(tmp_path / "progress.json"))
    assert rounds_path() == tmp_path / "negotiation-rounds.json"


def test_the_printable_cards_have_one_page_per_delegation():
    from natocourse.data import load_table
    scenario = load_scenario("peace_conference")
    page = cards_document(scenario, load_table("sources"))
    assert page.count("class='role-card'") == len(scenario.delegations) == 9
    assert "break-after: page" in page and "Instructions from your capital" in page


def test_who_argues_what_opens_the_claims_of_a_cell():
    view = who_argues_what()
    grid, shown = view.children
    buttons = [c for c in grid.children if hasattr(c, "click") and not c.disabled]
    buttons[0].click()
    assert "argues" in shown.value and "<table" in shown.value


def test_the_scenario_menu_redraws_every_view(rounds_file):
    room = NegotiationRoom("jan2022", SavedRounds(rounds_file))
    cards, board = room.cards_view(), room.board_view()
    room.chooser.value = "peace_conference"
    assert "A peace conference" in board.drawn["zone"][1]
    assert "Ukraine" in cards.children[2].value
